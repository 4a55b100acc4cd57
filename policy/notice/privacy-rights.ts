import { requestTypes } from '../schema.ts';
import { linkParagraph, list, pairs, subheading, table, type Section } from './blocks.ts';
import type { NoticeContext } from './context.ts';
import { html, telUrl } from './html.ts';
import { pageHref } from './paths.ts';

/** The privacy notice's second half: third parties, requests, security, contact, revisions. */

export function thirdPartySection({ policy, t, text }: NoticeContext): Section {
  const l = t.privacy.thirdParty;
  const { jointUse, processors, thirdPartyProvision } = policy;
  const joint = jointUse
    ? html`<p>${l.jointUseIntro}</p>${pairs([
        [l.jointItems, text(jointUse.items)],
        [l.jointParties, text(jointUse.parties)],
        [l.jointPurpose, text(jointUse.purpose)],
        [l.jointResponsible, text(jointUse.responsible)],
      ])}`
    : html`<p>${l.noJointUse}</p>`;
  const consignees = processors.length
    ? html`<p>${l.processorsIntro}</p>${table({
        labelledBy: 'processors-h',
        head: [l.processor, l.task],
        rows: processors.map((p) => [text(p.name), text(p.task)] as const),
      })}`
    : html`<p>${l.noProcessors}</p>`;
  return {
    id: 'third-parties',
    heading: l.heading,
    body: html`<p>${l.statement}</p>
${list(thirdPartyProvision.legalGrounds.map((g) => text(g.label)), true)}
${subheading('joint-use-h', l.jointUseHeading)}
${joint}
${subheading('processors-h', l.processorsHeading)}
${consignees}`,
  };
}

export function requestsSection({ policy, lang, t, text }: NoticeContext): Section {
  const l = t.privacy.requests;
  const { requests, controller } = policy;
  const { contact } = controller;
  const feeRows = requestTypes.map((type) => {
    const fee = requests.fees[type];
    return [l.types[type], fee ? t.fee(fee) : t.free] as const;
  });
  const email = contact.email && html`<a href="mailto:${contact.email}">${contact.email}</a>`;
  return {
    id: 'requests',
    heading: l.heading,
    body: html`<p>${l.intro}</p>
${linkParagraph(l.selfService, pageHref('myData', lang), t.pages.myData)}
${subheading('request-types-h', l.typesHeading)}
${table({ labelledBy: 'request-types-h', head: [l.type, l.fee], rows: feeRows })}
${subheading('procedure-h', l.procedureHeading)}
<p>${text(requests.procedure)}</p>
<h4 id="send-to-h">${l.sendTo}</h4>
${pairs([
  [l.email, email],
  [l.post, html`${text(controller.address)}<br>${text(controller.name)} ${text(contact.window)}`],
])}
${subheading('identity-h', l.identityHeading)}
<p>${l.identityIntro}</p>
${list(requests.identityDocuments.map(text))}
${subheading('agent-h', l.agentHeading)}
<p>${l.agentIntro}</p>
<p>${text(requests.agentDocuments)}</p>
${subheading('response-h', l.responseHeading)}
<p>${l.responseDays(requests.responseDays)}</p>
${subheading('refusal-h', l.refusalHeading)}
<p>${l.refusalIntro}</p>
${list(requests.nonDisclosureReasons.map((r) => text(r.label)), true)}`,
  };
}

export function securitySection({ policy, t, text }: NoticeContext): Section {
  const l = t.privacy.security;
  return { id: 'security', heading: l.heading, body: html`<p>${l.intro}</p>${list(policy.securityMeasures.map(text))}` };
}

export function contactSection({ policy, t, text }: NoticeContext): Section {
  const l = t.privacy.contact;
  const { name, address, contact } = policy.controller;
  const tel = contact.phone && telUrl(contact.phone);
  return {
    id: 'contact',
    heading: l.heading,
    body: html`<p>${l.intro}</p>
${pairs([
  [l.window, `${text(name)} ${text(contact.window)}`],
  [l.address, text(address)],
  [l.email, contact.email && html`<a href="mailto:${contact.email}">${contact.email}</a>`],
  [l.phone, contact.phone && (tel ? html`<a href="${tel}">${contact.phone}</a>` : contact.phone)],
  [l.hours, text(contact.hours)],
])}`,
  };
}

export function revisionsSection({ policy, revision, t, text }: NoticeContext): Section {
  const l = t.privacy.revisions;
  const newestFirst = [...policy.revisions].reverse();
  return {
    id: 'revisions',
    heading: l.heading,
    body: html`<p>${l.intro}</p>
${table({
  labelledBy: 'revisions-h',
  head: [l.date, l.changes],
  rows: newestFirst.map((r) => [html`<time datetime="${r.date}">${t.date(r.date)}</time>`, text(r.summary)] as const),
})}
<p>${t.policyRevision}${t.colon}<code>${revision}</code></p>
<p class="note">${l.revisionNote}</p>`,
  };
}
