import { toLang, type Lang } from '../../policy/notice/labels.ts';

export const defaultLang: Lang = 'ja';

/**
 * The page language: `?lang=` when it names a supported language, else the best match in Accept-Language
 * (q-values honoured, `q=0` excluded, ties go to the earlier entry, `*` means the default), else Japanese.
 */
export function negotiateLang(query: string | undefined, acceptLanguage: string | undefined): Lang {
  const asked = toLang(query);
  if (asked) return asked;
  let best: { lang: Lang; q: number } | undefined;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [tag, ...params] = part.trim().split(';');
    if (!tag) continue;
    const lang = tag.trim() === '*' ? defaultLang : toLang(tag);
    if (!lang) continue;
    const qParam = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!(q > 0) || q > 1) continue;
    if (!best || q > best.q) best = { lang, q };
  }
  return best?.lang ?? defaultLang;
}
