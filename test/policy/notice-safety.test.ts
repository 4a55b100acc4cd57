import { describe, expect, it } from 'vitest';
import { loadPolicy, parsePolicy, type LoadedPolicy } from '../../policy/load.ts';
import { renderAnonymizedRegister, type PublishedDataset } from '../../policy/notice/anonymized.ts';
import { renderExternalTransmission } from '../../policy/notice/external-transmission.ts';
import { langs, type Lang } from '../../policy/notice/labels.ts';
import { renderPrivacyNotice } from '../../policy/notice/privacy.ts';
import { noticeCss } from '../../policy/notice/styles.ts';
import type { Policy } from '../../policy/schema.ts';

const payload = `<script>alert(1)</script>"'><img src=x onerror=alert(1)>`;
const escapedPayload = '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(1)&gt;';

/** Every free-text string in the policy (both languages, region and tag names, the phone) with `payload` appended. */
function hostile(policy: Policy): LoadedPolicy {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      if (typeof obj.ja === 'string' && typeof obj.en === 'string') return { ja: obj.ja + payload, en: obj.en + payload };
      return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, walk(v)]));
    }
    return value;
  };
  const doc = walk(structuredClone(policy)) as Policy;
  doc.controller.contact.phone += payload;
  for (const r of doc.consent.regions) r.name = { ja: r.name.ja + payload, en: r.name.en + payload };
  for (const tag of doc.externalTags) tag.name += payload;
  return parsePolicy(doc);
}

const loaded = loadPolicy();
const evil = hostile(loaded.policy);
/** Register entries whose staff-written method text is hostile too. */
const datasets: PublishedDataset[] = [1, 2].map((id) => ({
  id,
  level: id === 1 ? 'session' : 'pageview',
  items: ['key', 'time', 'country', 'prop:plan'],
  publishedAt: Date.UTC(2026, 10, id),
  from: Date.UTC(2026, 9, 1),
  to: Date.UTC(2026, 10, 1),
  timeZone: 'Asia/Tokyo',
  methods: [{ method: { ja: `暗号化ファイルで提供${payload}`, en: `Encrypted file${payload}` }, publishedAt: Date.UTC(2026, 10, 3) }],
  provisions: [{ recipient: 'third_party', releasedOn: '2026-11-04' }],
}));
const renderers = {
  privacy: renderPrivacyNotice,
  external: renderExternalTransmission,
  anonymized: (source: LoadedPolicy, lang: Lang) => renderAnonymizedRegister(source, lang, datasets),
};
const pagePaths: Record<string, string> = { privacy: '/privacy', external: '/privacy/external-transmission', anonymized: '/privacy/anonymized' };
const pages = (source: LoadedPolicy) =>
  langs.flatMap((lang) => Object.entries(renderers).map(([name, render]) => [`${name} (${lang})`, lang, render(source, lang)] as [string, Lang, string]));

/** The tags of a document: name, whether closing, raw attribute text. */
function tags(doc: string): { name: string; closing: boolean; attrs: string }[] {
  return [...doc.replace(/<style>[\s\S]*?<\/style>/, '<style></style>').matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)].map((m) => ({
    name: m[2]!.toLowerCase(),
    closing: m[1] === '/',
    attrs: m[3]!,
  }));
}
const attr = (attrs: string, name: string) => attrs.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1];

describe('notice pages render hostile policy text inert', () => {
  it.each(pages(evil))('%s', (_name, _lang, doc) => {
    expect(doc).not.toMatch(/<script/i);
    expect(doc).not.toMatch(/<img/i);
    for (const tag of tags(doc)) expect(tag.attrs, `<${tag.name}${tag.attrs}>`).not.toMatch(/\son[a-z]+\s*=/i);
    expect(doc.split(escapedPayload).length - 1).toBeGreaterThanOrEqual(5);
  });
});

const voidElements = new Set(['meta', 'link', 'br', 'hr', 'img', 'input', 'wbr']);
const allowedElements = new Set([
  'html', 'head', 'meta', 'title', 'link', 'style', 'body', 'a', 'header', 'nav', 'ul', 'ol', 'li', 'p', 'span', 'main',
  'h1', 'h2', 'h3', 'h4', 'section', 'dl', 'dt', 'dd', 'div', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'time', 'code', 'br', 'footer',
]);

describe.each([
  ['default policy', loaded],
  ['hostile policy', evil],
])('notice pages from the %s', (_label, source) => {
  const tagUrls = new Set(source.policy.externalTags.flatMap((t) => [t.optOutUrl, t.privacyUrl]).filter((u) => u?.startsWith('http')));

  it.each(pages(source))('%s loads nothing from anywhere: no scripts, only same-page, same-origin, mailto/tel and tag links', (_name, _lang, doc) => {
    expect(doc).not.toMatch(/<script|<iframe|<object|<embed|<form|<base|<img|<video|<audio|<source|<svg|http-equiv/i);
    for (const tag of tags(doc)) {
      expect(allowedElements.has(tag.name), tag.name).toBe(true);
      for (const name of ['src', 'srcset', 'action', 'formaction', 'poster', 'data', 'background', 'style']) {
        expect(attr(tag.attrs, name), `${name} on <${tag.name}>`).toBeUndefined();
      }
      if (tag.name === 'link') expect(attr(tag.attrs, 'rel')).toMatch(/^(canonical|alternate)$/);
      const href = attr(tag.attrs, 'href')?.replaceAll('&amp;', '&');
      if (href === undefined) continue;
      const sameOrigin = href.startsWith('/') && !href.startsWith('//');
      const ok = sameOrigin || href.startsWith('#') || /^mailto:[^\s/]+@[^\s/]+$/.test(href) || /^tel:\+?\d+$/.test(href) || tagUrls.has(href);
      expect(ok, href).toBe(true);
    }
    expect(noticeCss).not.toMatch(/url\(|@import|@font-face|expression\(/i);
  });

  it.each(pages(source))('%s is well-formed and navigable', (_name, lang, doc) => {
    const stack: string[] = [];
    for (const tag of tags(doc)) {
      if (voidElements.has(tag.name)) continue;
      if (!tag.closing) stack.push(tag.name);
      else expect(stack.pop(), `closing </${tag.name}>`).toBe(tag.name);
    }
    expect(stack).toEqual([]);

    expect(doc).toMatch(new RegExp(`^<!doctype html>\\n<html lang="${lang}">`));
    expect(doc).toContain('<meta charset="utf-8">');
    expect(doc).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(doc).toMatch(/<title>[^<]+<\/title>/);

    const ids = [...doc.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
    expect(new Set(ids).size, 'ids are unique').toBe(ids.length);
    for (const m of doc.matchAll(/href="#([^"]+)"/g)) expect(ids).toContain(m[1]);
    for (const m of doc.matchAll(/aria-labelledby="([^"]+)"/g)) expect(ids).toContain(m[1]);

    expect(doc).toMatch(/<body>\n<a class="skip" href="#main">[^<]+<\/a>/);
    expect(doc).toContain('<main id="main" tabindex="-1">');
  });

  it.each(pages(source))('%s has headings in order, one h1, and header cells with scopes', (_name, _lang, doc) => {
    const levels = [...doc.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    expect(levels.filter((l) => l === 1)).toHaveLength(1);
    levels.forEach((level, i) => {
      if (i > 0) expect(level - levels[i - 1]!, `h${levels[i - 1]} then h${level}`).toBeLessThanOrEqual(1);
    });
    for (const tag of tags(doc).filter((t) => t.name === 'th' && !t.closing)) expect(attr(tag.attrs, 'scope')).toMatch(/^(col|row)$/);
    expect(doc.split('<table').length).toBe(doc.split('<thead>').length);
  });
});

describe('notice page links between languages and pages', () => {
  it.each(pages(loaded))('%s names both language versions and links the other one', (name, lang, doc) => {
    const path = pagePaths[name.split(' ')[0]!]!;
    const other = lang === 'ja' ? 'en' : 'ja';
    expect(doc).toContain(`<link rel="canonical" href="${path}?lang=${lang}">`);
    for (const l of langs) expect(doc).toContain(`<link rel="alternate" hreflang="${l}" href="${path}?lang=${l}">`);
    expect(doc).toContain(`<link rel="alternate" hreflang="x-default" href="${path}">`);
    expect(doc).toMatch(new RegExp(`<a href="${path.replace('/', '\\/')}\\?lang=${other}" hreflang="${other}" lang="${other}">`));
    expect(doc).toContain(`<a href="${path}?lang=${lang}" aria-current="page">`);
    for (const p of ['/privacy', '/privacy/external-transmission', '/privacy/anonymized', '/privacy/my-data']) expect(doc).toContain(`href="${p}?lang=${lang}"`);
  });
});

describe('notice stylesheet', () => {
  /** WCAG relative luminance contrast of two #rrggbb colours. */
  function contrast(a: string, b: string): number {
    const lum = (hex: string) => {
      const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
    };
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi! + 0.05) / (lo! + 0.05);
  }
  const schemes = [...noticeCss.matchAll(/:root\{([^}]*)\}/g)].map((m) => Object.fromEntries([...m[1]!.matchAll(/--(\w+):(#[0-9a-f]{6})/g)].map((v) => [v[1]!, v[2]!])));

  it('meets WCAG AA contrast for text, muted text and links in light and dark schemes', () => {
    expect(schemes).toHaveLength(2);
    for (const c of schemes) {
      for (const fg of ['fg', 'muted', 'link']) expect(contrast(c[fg]!, c.bg!), fg).toBeGreaterThanOrEqual(4.5);
      expect(contrast(c.fg!, c.head!)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(c.focus!, c.bg!), 'focus ring').toBeGreaterThanOrEqual(3);
    }
  });

  it('uses system fonts, adapts to narrow screens and has a print layout', () => {
    expect(noticeCss).toMatch(/font:[^;]*system-ui/);
    expect(noticeCss).toContain('.table{overflow-x:auto');
    expect(noticeCss).toContain('@media print{');
  });
});
