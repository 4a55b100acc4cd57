import type { ConsentModeName } from '../schema.ts';
import { VISIT_IDLE_MINUTES } from '../visits.ts';
import { linkParagraph, list, pairs, subheading, table, type Section } from './blocks.ts';
import type { NoticeContext } from './context.ts';
import { html } from './html.ts';
import { pageHref } from './paths.ts';

/** The privacy notice's first half: who collects what, why, for how long, and the visitor's choices. */

export function controllerSection({ policy, t, text }: NoticeContext): Section {
  const { name, address, representative } = policy.controller;
  const l = t.privacy.controller;
  return {
    id: 'controller',
    heading: l.heading,
    body: pairs([
      [l.name, text(name)],
      [l.address, text(address)],
      [l.representative, text(representative)],
    ]),
  };
}

export function purposesSection({ policy, t, text }: NoticeContext): Section {
  const l = t.privacy.purposes;
  return {
    id: 'purposes',
    heading: l.heading,
    body: html`<p>${l.intro}</p>${list(policy.purposes.map((p) => text(p.label)), true)}`,
  };
}

export function itemsSection({ policy, t, text }: NoticeContext): Section {
  const l = t.privacy.items;
  const purposeLabel = new Map(policy.purposes.map((p) => [p.id, text(p.label)]));
  const items = policy.items.map(
    (item) => html`<div class="card">${subheading(`item-${item.id}`, text(item.label))}
${item.description && html`<p>${text(item.description)}</p>`}
${pairs([
  [l.purposes, list(item.purposes.map((id) => purposeLabel.get(id) ?? id))],
  [l.retention, t.days(item.retentionDays)],
  [l.legalClass, l.classNames[item.legalClass]],
])}</div>
`,
  );
  const classes = [...new Set(policy.items.map((i) => i.legalClass))];
  const { cookie, ip, retention } = policy;

  return {
    id: 'items',
    heading: l.heading,
    body: html`${pairs(classes.map((c) => [l.classNames[c], l.classNotes[c]]))}
${items}
${subheading('handling-h', l.handlingHeading)}
${pairs([
  [l.cookieLifetime, cookie.enabled ? t.days(cookie.lifetimeDays) : l.noCookie],
  [l.ipStored, l.ipPrefixes(ip.ipv4Prefix, ip.ipv6Prefix)],
  [l.hashKey, l.hashKeyLife(retention.salts_hours)],
  [l.visitLink, l.visitLinkNote(VISIT_IDLE_MINUTES)],
])}
${subheading('records-h', l.recordsHeading)}
${pairs([
  [l.consentReceipts, t.days(retention.consent_receipts_days)],
  [l.caseDocuments, t.days(retention.case_documents_days)],
  [l.provisionRecords, t.days(retention.provision_records_days)],
])}`,
  };
}

function countryNames(codes: readonly string[], lang: NoticeContext['lang']): string {
  const names = new Intl.DisplayNames([lang], { type: 'region', fallback: 'code' });
  return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(codes.map((c) => names.of(c) ?? c));
}

export function consentSection({ policy, lang, t, text }: NoticeContext): Section {
  const l = t.privacy.consent;
  const { categories, regions, defaultMode, unknownCountryMode } = policy.consent;
  const mode = (m: ConsentModeName) => l.modes[m];
  const categoryRows = categories.map(
    (c) => [text(c.label), text(c.description), c.required ? l.required : l.optional] as const,
  );
  const regionRows = [
    ...regions.map((r) => [html`${r.name[lang]}<p class="note">${countryNames(r.countries, lang)}</p>`, mode(r.mode)] as const),
    [l.otherCountries, mode(defaultMode)] as const,
    [l.unknownCountry, mode(unknownCountryMode)] as const,
  ];
  return {
    id: 'consent',
    heading: l.heading,
    body: html`${subheading('categories-h', l.categoriesHeading)}
${table({ labelledBy: 'categories-h', head: [l.category, l.description, l.choice], rows: categoryRows })}
${subheading('regions-h', l.regionsHeading)}
<p>${l.regionsIntro}</p>
${table({ labelledBy: 'regions-h', head: [l.region, l.whatHappens], rows: regionRows, wideRowHeaders: true })}
<p>${l.gpc}</p>
<p>${l.noCookieCounting}</p>
${linkParagraph(l.changeChoice, pageHref('myData', lang), t.pages.myData)}`,
  };
}

export function externalSection({ lang, t }: NoticeContext): Section {
  const l = t.privacy.external;
  return { id: 'external', heading: l.heading, body: linkParagraph(l.intro, pageHref('external', lang), t.pages.external) };
}
