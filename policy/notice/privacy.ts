import type { LoadedPolicy } from '../load.ts';
import { anonymizedSection } from './anonymized.ts';
import { section } from './blocks.ts';
import { noticeContext } from './context.ts';
import { html } from './html.ts';
import type { Lang } from './labels.ts';
import { renderLayout } from './layout.ts';
import { statisticsSection } from './statistics.ts';
import { consentSection, controllerSection, externalSection, itemsSection, purposesSection } from './privacy-collection.ts';
import { contactSection, requestsSection, revisionsSection, securitySection, thirdPartySection } from './privacy-rights.ts';

const sections = [
  controllerSection,
  purposesSection,
  itemsSection,
  consentSection,
  externalSection,
  thirdPartySection,
  statisticsSection,
  anonymizedSection,
  requestsSection,
  securitySection,
  contactSection,
  revisionsSection,
];

/**
 * `/privacy`: the public matters about held data (APPI 32, Cabinet Order 10) and everything else the
 * policy promises, as one HTML document in `lang`. Pure: the same policy and language give the same bytes.
 */
export function renderPrivacyNotice(loaded: LoadedPolicy, lang: Lang): string {
  const ctx = noticeContext(loaded, lang);
  const { t } = ctx;
  const parts = sections.map((render) => render(ctx));
  const toc = html`<nav class="toc" aria-labelledby="toc-h"><h2 id="toc-h">${t.contents}</h2><ol>${parts.map(
    (p) => html`<li><a href="#${p.id}">${p.heading}</a></li>`,
  )}</ol></nav>`;
  return renderLayout({
    loaded,
    lang,
    page: 'privacy',
    title: t.privacy.title,
    body: html`<p>${t.privacy.lead(ctx.text(loaded.policy.controller.name))}</p>
${toc}
${parts.map((p) => html`${section(p)}\n`)}`,
  });
}
