import type { LoadedPolicy } from '../load.ts';
import { linkParagraph, pairs } from './blocks.ts';
import { noticeContext } from './context.ts';
import { html, webUrl, type HtmlValue } from './html.ts';
import type { Lang } from './labels.ts';
import { renderLayout } from './layout.ts';
import { pageHref } from './paths.ts';

/** An external link; a URL that is not http(s) is shown as text, never linked. */
function outbound(url: string): HtmlValue {
  const href = webUrl(url);
  return href ? html`<a href="${href}" rel="noopener noreferrer">${url}</a>` : url;
}

/**
 * `/privacy/external-transmission`: every tag that makes the visitor's browser send data somewhere
 * (ashiato included) with what it sends, to whom, why, its consent category and how to opt out
 * (Telecommunications Business Act art. 27-12). Pure, like the privacy notice.
 */
export function renderExternalTransmission(loaded: LoadedPolicy, lang: Lang): string {
  const ctx = noticeContext(loaded, lang);
  const { policy, t, text } = ctx;
  const l = t.external;
  const categories = new Map(policy.consent.categories.map((c) => [c.id, c]));

  const tags = policy.externalTags.map((tag) => {
    const category = categories.get(tag.category);
    const categoryText = category
      ? text(category.label) + t.paren(category.required ? l.categoryRequired : l.categoryOptional)
      : tag.category;
    return html`<section class="tag" id="tag-${tag.id}" aria-labelledby="tag-${tag.id}-h">
<h2 id="tag-${tag.id}-h">${tag.name}</h2>
${pairs([
  [l.recipient, text(tag.recipient)],
  [l.sends, text(tag.sends)],
  [l.purpose, text(tag.purpose)],
  [l.category, categoryText],
  [l.optOut, tag.optOutUrl ? outbound(tag.optOutUrl) : html`${l.optOutHere} <a href="${pageHref('myData', lang)}">${t.pages.myData}</a>`],
  [l.privacyPolicy, tag.privacyUrl ? outbound(tag.privacyUrl) : html`${l.ownPolicy} <a href="${pageHref('privacy', lang)}">${t.pages.privacy}</a>`],
])}
</section>
`;
  });

  return renderLayout({
    loaded,
    lang,
    page: 'external',
    title: l.title,
    body: html`<p>${l.lead}</p>
${tags.length ? tags : html`<p>${l.none}</p>`}
${linkParagraph(l.changeChoice, pageHref('myData', lang), t.pages.myData)}`,
  });
}
