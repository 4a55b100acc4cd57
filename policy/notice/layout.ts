import type { LoadedPolicy } from '../load.ts';
import { html, trusted, type SafeHtml } from './html.ts';
import { labels, langNames, langs, type Lang } from './labels.ts';
import { noticePaths, pageHref, type NoticePage } from './paths.ts';
import { noticeCss } from './styles.ts';

export interface PageSpec {
  loaded: LoadedPolicy;
  lang: Lang;
  page: NoticePage;
  title: string;
  /** everything under the page's `<h1>` */
  body: SafeHtml;
}

const navPages: readonly NoticePage[] = ['privacy', 'external', 'anonymized', 'myData'];

/** The newest revision's date (the schema keeps revisions oldest first). */
export function lastRevision(loaded: LoadedPolicy): string {
  return loaded.policy.revisions.at(-1)!.date;
}

/**
 * The whole document: a skip link, the company's name, navigation between the privacy pages, a link to the
 * same page in the other language, the page, and a footer naming the policy revision it was rendered from.
 * No scripts, no external resources: the only stylesheet is inline.
 */
export function renderLayout({ loaded, lang, page, title, body }: PageSpec): string {
  const t = labels[lang];
  const { policy, revision } = loaded;
  const company = policy.controller.name[lang];
  const others = langs.filter((l) => l !== lang);
  const revised = lastRevision(loaded);

  const alternates = [
    ...langs.map((l) => html`<link rel="alternate" hreflang="${l}" href="${pageHref(page, l)}">`),
    html`<link rel="alternate" hreflang="x-default" href="${noticePaths[page]}">`,
  ];
  const nav = navPages.map((p) =>
    p === page
      ? html`<li><a href="${pageHref(p, lang)}" aria-current="page">${t.pages[p]}</a></li>`
      : html`<li><a href="${pageHref(p, lang)}">${t.pages[p]}</a></li>`,
  );
  const switcher = others.map(
    (l) => html`<a href="${pageHref(page, l)}" hreflang="${l}" lang="${l}">${langNames[l]}</a>`,
  );

  const doc = html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title} | ${company}</title>
<link rel="canonical" href="${pageHref(page, lang)}">
${alternates}
<style>${trusted(noticeCss)}</style>
</head>
<body>
<a class="skip" href="#main">${t.skipToContent}</a>
<header>
<p class="company">${company}</p>
<nav aria-label="${t.siteNav}"><ul>${nav}</ul></nav>
<p class="lang"><span>${t.language}${t.colon}</span>${switcher}</p>
</header>
<main id="main" tabindex="-1">
<h1>${title}</h1>
<p class="meta">${t.lastRevised}${t.colon}<time datetime="${revised}">${t.date(revised)}</time> · ${t.policyRevision}${t.colon}<code>${revision}</code></p>
${body}
</main>
<footer>
<p>${company} · ${t.policyRevision}${t.colon}<code>${revision}</code></p>
</footer>
</body>
</html>
`;
  return doc.value;
}
