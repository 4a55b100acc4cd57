import type { LoadedPolicy } from '../../policy/load.ts';
import { html, trusted, type SafeHtml } from '../../policy/notice/html.ts';
import { labels, type Lang } from '../../policy/notice/labels.ts';
import { renderLayout } from '../../policy/notice/layout.ts';
import { pageHref } from '../../policy/notice/paths.ts';
import { myDataLabels, type MyDataClientTexts } from './my-data-labels.ts';

/** The page's only script (same origin; the CSP allows nothing else). */
export const MY_DATA_SCRIPT_PATH = '/privacy/my-data.js';

/**
 * `/privacy/my-data`: the same layout as the notices, with empty places the script fills from
 * `POST /api/my-data` once it has the browser's ids (from the address's #fragment). Without them, or
 * without JavaScript, the page explains how it finds data and why cookieless data cannot be shown.
 * Pure: the same policy and language give the same bytes (the page holds no one's data).
 */
export function renderMyDataPage(loaded: LoadedPolicy, lang: Lang): string {
  const { policy } = loaded;
  const t = labels[lang];
  const l = myDataLabels[lang];
  const text = (v: { ja: string; en: string }) => v[lang];

  const client: MyDataClientTexts = {
    ...l.client,
    categories: Object.fromEntries(policy.consent.categories.map((c) => [c.id, text(c.label)])),
    grounds: Object.fromEntries(policy.thirdPartyProvision.legalGrounds.map((g) => [g.id, text(g.label)])),
    items: Object.fromEntries(policy.items.map((i) => [i.id, text(i.label)])),
  };
  // a data block, never run; `<` escaped so no text can close the element
  const texts = trusted(JSON.stringify(client).replace(/</g, '\\u003c'));

  const part = (id: string, heading: string, body: SafeHtml | readonly SafeHtml[], hidden = true) =>
    html`<section id="${id}" aria-labelledby="${id}-h"${hidden && html` hidden`}><h2 id="${id}-h">${heading}</h2>${body}</section>\n`;
  // wide tables scroll sideways (their region is focusable) rather than squeezing words into one-letter columns
  const dataTable = (id: string, heading: string, cols: readonly string[]) =>
    html`<h3 id="${id}-h">${heading}</h3>
<p class="note" id="${id}-note" hidden></p>
<div class="table" role="region" aria-labelledby="${id}-h" tabindex="0"><table aria-labelledby="${id}-h" style="min-width:${cols.length * 9}rem"><thead><tr>${cols.map(
      (c) => html`<th scope="col">${c}</th>`,
    )}</tr></thead><tbody id="${id}-rows"></tbody></table></div>`;
  // the notices' stylesheet has no buttons; a comfortable target size (WCAG 2.5.8) in the page's font
  const button = (action: string, label: string, disabled = false) =>
    html`<button type="button" data-md="${action}" style="font:inherit;padding:.4rem 1rem;min-height:2.75rem;margin:.25rem .5rem .25rem 0"${disabled && html` disabled`}>${label}</button>`;

  const body = html`<p>${l.lead}</p>
<div id="md-status" class="card" role="status" aria-live="polite" tabindex="-1" hidden></div>
<noscript><p>${l.noscript}</p></noscript>
${part(
  'md-held',
  l.held.heading,
  html`<p id="md-summary"></p><p class="note" id="md-period"></p><p class="note" id="md-suppressed" hidden></p><p class="note">${l.held.aggregates}</p>
${dataTable('md-events', l.held.events, l.eventCols)}
${dataTable('md-sessions', l.held.sessions, l.sessionCols)}
${dataTable('md-receipts', l.held.receipts, l.receiptCols)}
${dataTable('md-provisions', l.held.provisions, l.provisionCols)}`,
)}
${part('md-download', l.download.heading, html`<p>${l.download.body}</p><p>${button('json', l.download.json)} ${button('csv', l.download.csv)}</p>`)}
${part(
  'md-delete',
  l.remove.heading,
  html`<p>${l.remove.body}</p><p>${l.remove.aggregates}</p>
<p><label><input type="checkbox" id="md-confirm" style="width:1.25rem;height:1.25rem;vertical-align:middle"> ${l.remove.confirm}</label></p><p>${button('delete', l.remove.button, true)}</p>`,
)}
${part('md-suspend', l.suspend.heading, html`<p>${l.suspend.body}</p><p>${l.suspend.optOut}</p><p>${button('suspend', l.suspend.button)}</p>`)}
${part(
  'md-consent',
  l.consent.heading,
  html`<p>${l.consent.body}</p><div id="md-withdraw" hidden><p>${l.consent.withdrawBody}</p><p>${button('withdraw', l.consent.button)}</p></div>`,
  false,
)}
${part('md-how', l.noKey.heading, html`<p>${l.noKey.how}</p><p>${l.noKey.openFromSite}</p><p>${l.noKey.cookieless}</p>`, false)}
<p>${l.other} <a href="${pageHref('privacy', lang, 'requests')}">${t.pages.privacy}</a></p>
<script type="application/json" id="md-texts">${texts}</script>
<script src="${MY_DATA_SCRIPT_PATH}" defer></script>`;

  return renderLayout({ loaded, lang, page: 'myData', title: t.pages.myData, body });
}
