import { describe, expect, it } from 'vitest';
import { policyWith } from '../helpers/policy.ts';
import { loadPolicy } from '../../policy/load.ts';
import { escapeHtml as esc } from '../../policy/notice/html.ts';
import { labels, langs } from '../../policy/notice/labels.ts';
import { renderPrivacyNotice } from '../../policy/notice/privacy.ts';
import { requestTypes } from '../../policy/schema.ts';
import { SESSION_IDLE_MS } from '../../server/ingest/sessions.ts';

const loaded = loadPolicy();
const { policy } = loaded;


/** The body of `<section id="…">` (sections are never nested). */
function sectionOf(page: string, id: string): string {
  const match = page.match(new RegExp(`<section id="${id}"[^>]*>([\\s\\S]*?)</section>`));
  if (!match) throw new Error(`no section #${id}`);
  return match[1]!;
}

/** The table row whose header cell starts with `header`. */
function rowOf(part: string, header: string): string {
  const row = part.match(/<tr>[\s\S]*?<\/tr>/g)?.find((tr) => tr.startsWith(`<tr><th scope="row">${header}`));
  if (!row) throw new Error(`no row for ${header}`);
  return row;
}

/** The `<dd>` that follows the `<dt>` named `name`. */
function ddOf(part: string, name: string): string {
  const match = part.match(new RegExp(`<dt>${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</dt><dd>([\\s\\S]*?)</dd>`));
  if (!match) throw new Error(`no <dt>${name}</dt>`);
  return match[1]!;
}

describe.each(langs)('privacy notice (%s) shows everything the policy says', (lang) => {
  const page = renderPrivacyNotice(loaded, lang);
  const t = labels[lang];
  const l = t.privacy;
  const x = (value: { ja: string; en: string }) => esc(value[lang]);

  it('is a document in that language, naming the policy revision and the last revision date', () => {
    expect(page.startsWith('<!doctype html>\n<html lang="' + lang + '">')).toBe(true);
    expect(page).toContain(`<h1>${esc(l.title)}</h1>`);
    expect(page).toContain(`<code>${loaded.revision}</code>`);
    expect(page).toContain(`<time datetime="2026-10-01">${esc(t.date('2026-10-01'))}</time>`);
  });

  it('names the controller: company name, address and representative', () => {
    const part = sectionOf(page, 'controller');
    expect(ddOf(part, esc(l.controller.name))).toBe(x(policy.controller.name));
    expect(ddOf(part, esc(l.controller.address))).toBe(x(policy.controller.address));
    expect(ddOf(part, esc(l.controller.representative))).toBe(x(policy.controller.representative));
  });

  it('lists every purpose', () => {
    const part = sectionOf(page, 'purposes');
    for (const p of policy.purposes) expect(part).toContain(`<li>${x(p.label)}</li>`);
  });

  it('lists every item with its description, purposes, retention and legal class', () => {
    const part = sectionOf(page, 'items');
    const purposeLabel = new Map(policy.purposes.map((p) => [p.id, p.label]));
    for (const item of policy.items) {
      const card = part.match(new RegExp(`<div class="card"><h3 id="item-${item.id}">([\\s\\S]*?)</div>`))?.[1];
      expect(card, item.id).toBeDefined();
      expect(card!.startsWith(`${x(item.label)}</h3>`)).toBe(true);
      if (item.description) expect(card).toContain(`<p>${x(item.description)}</p>`);
      const purposes = item.purposes.map((id) => `<li>${x(purposeLabel.get(id)!)}</li>`).join('');
      expect(ddOf(card!, esc(l.items.purposes))).toBe(`<ul>${purposes}</ul>`);
      expect(ddOf(card!, esc(l.items.retention))).toBe(esc(t.days(item.retentionDays)));
      expect(ddOf(card!, esc(l.items.legalClass))).toBe(esc(l.items.classNames[item.legalClass]));
    }
    expect(ddOf(part, esc(l.items.classNames.personally_referable))).toBe(esc(l.items.classNotes.personally_referable));
  });

  it('states the cookie lifetime, how IP addresses are cut, the hash key lifetime and the other records kept', () => {
    const part = sectionOf(page, 'items');
    expect(ddOf(part, esc(l.items.cookieLifetime))).toBe(esc(t.days(policy.cookie.lifetimeDays)));
    expect(ddOf(part, esc(l.items.ipStored))).toBe(esc(l.items.ipPrefixes(policy.ip.ipv4Prefix, policy.ip.ipv6Prefix)));
    expect(ddOf(part, esc(l.items.hashKey))).toBe(esc(l.items.hashKeyLife(policy.retention.salts_hours)));
    // what a consent change during a visit links, and for how long: the idle time that ends a visit at ingest
    expect(ddOf(part, esc(l.items.visitLink))).toBe(esc(l.items.visitLinkNote(SESSION_IDLE_MS / 60_000)));
    expect(ddOf(part, esc(l.items.consentReceipts))).toBe(esc(t.days(policy.retention.consent_receipts_days)));
    expect(ddOf(part, esc(l.items.caseDocuments))).toBe(esc(t.days(policy.retention.case_documents_days)));
    expect(ddOf(part, esc(l.items.provisionRecords))).toBe(esc(t.days(policy.retention.provision_records_days)));
  });

  it('explains every consent category and every regional mode in plain words', () => {
    const part = sectionOf(page, 'consent');
    for (const c of policy.consent.categories) {
      const row = rowOf(part, x(c.label));
      expect(row).toContain(x(c.description));
      expect(row).toContain(esc(c.required ? l.consent.required : l.consent.optional));
    }
    for (const r of policy.consent.regions) {
      const row = rowOf(part, esc(r.name[lang]));
      expect(row).toContain(`<td>${esc(l.consent.modes[r.mode])}</td>`);
      const names = new Intl.DisplayNames([lang], { type: 'region' });
      for (const code of r.countries) expect(row).toContain(esc(names.of(code)!));
    }
    expect(rowOf(part, esc(l.consent.otherCountries))).toContain(esc(l.consent.modes[policy.consent.defaultMode]));
    expect(rowOf(part, esc(l.consent.unknownCountry))).toContain(esc(l.consent.modes[policy.consent.unknownCountryMode]));
    expect(part).toContain(esc(l.consent.gpc));
    expect(part).toContain(`href="/privacy/my-data?lang=${lang}"`);
  });

  it('links the external transmission page and the self-service data page', () => {
    expect(sectionOf(page, 'external')).toContain(`<a href="/privacy/external-transmission?lang=${lang}">`);
    expect(sectionOf(page, 'requests')).toContain(`<a href="/privacy/my-data?lang=${lang}">${esc(t.pages.myData)}</a>`);
  });

  it('says nothing goes to third parties except on the listed legal grounds, in order', () => {
    const part = sectionOf(page, 'third-parties');
    expect(part).toContain(esc(l.thirdParty.statement));
    const grounds = policy.thirdPartyProvision.legalGrounds.map((g) => `<li>${x(g.label)}</li>`);
    expect(part).toContain(`<ol>${grounds.join('')}</ol>`);
  });

  it('describes joint use (items, parties, purpose, responsible person) and the supervised processors', () => {
    const part = sectionOf(page, 'third-parties');
    const joint = policy.jointUse!;
    expect(ddOf(part, esc(l.thirdParty.jointItems))).toBe(x(joint.items));
    expect(ddOf(part, esc(l.thirdParty.jointParties))).toBe(x(joint.parties));
    expect(ddOf(part, esc(l.thirdParty.jointPurpose))).toBe(x(joint.purpose));
    expect(ddOf(part, esc(l.thirdParty.jointResponsible))).toBe(x(joint.responsible));
    expect(part).toContain(esc(l.thirdParty.processorsIntro));
    for (const p of policy.processors) expect(rowOf(part, x(p.name))).toContain(`<td>${x(p.task)}</td>`);
  });

  it('lists every request type with its fee, the procedure, where to send it, the documents and the response time', () => {
    const part = sectionOf(page, 'requests');
    for (const type of requestTypes) {
      const fee = policy.requests.fees[type];
      expect(rowOf(part, esc(l.requests.types[type]))).toContain(`<td>${esc(fee ? t.fee(fee) : t.free)}</td>`);
    }
    expect(part).toContain(`<p>${x(policy.requests.procedure)}</p>`);
    const email = policy.controller.contact.email!;
    expect(ddOf(part, esc(l.requests.email))).toBe(`<a href="mailto:${email}">${email}</a>`);
    expect(ddOf(part, esc(l.requests.post))).toContain(x(policy.controller.address));
    for (const doc of policy.requests.identityDocuments) expect(part).toContain(`<li>${x(doc)}</li>`);
    expect(part).toContain(`<p>${x(policy.requests.agentDocuments)}</p>`);
    expect(part).toContain(esc(l.requests.responseDays(policy.requests.responseDays)));
    expect(l.requests.responseDays(policy.requests.responseDays)).toContain(String(policy.requests.responseDays));
  });

  it('lists every non-disclosure reason, in order', () => {
    const reasons = policy.requests.nonDisclosureReasons.map((r) => `<li>${x(r.label)}</li>`);
    expect(sectionOf(page, 'requests')).toContain(`<ol>${reasons.join('')}</ol>`);
  });

  it('lists every security measure', () => {
    const part = sectionOf(page, 'security');
    for (const m of policy.securityMeasures) expect(part).toContain(`<li>${x(m)}</li>`);
  });

  it('gives the complaint and contact window with hours, e-mail, phone and address', () => {
    const part = sectionOf(page, 'contact');
    const { contact } = policy.controller;
    expect(ddOf(part, esc(l.contact.window))).toContain(x(contact.window));
    expect(ddOf(part, esc(l.contact.hours))).toBe(x(contact.hours));
    expect(ddOf(part, esc(l.contact.email))).toBe(`<a href="mailto:${contact.email}">${contact.email}</a>`);
    expect(ddOf(part, esc(l.contact.phone))).toBe(`<a href="tel:0300000000">${contact.phone}</a>`);
    expect(ddOf(part, esc(l.contact.address))).toBe(x(policy.controller.address));
  });

  it('shows the revision history newest first, every date and summary, and the revision id', () => {
    const part = sectionOf(page, 'revisions');
    const positions = policy.revisions.map((r) => {
      const row = rowOf(part, `<time datetime="${r.date}">${esc(t.date(r.date))}</time>`);
      expect(row).toContain(`<td>${x(r.summary)}</td>`);
      return part.indexOf(row);
    });
    expect(positions).toEqual([...positions].sort((a, b) => b - a));
    expect(part).toContain(`<code>${loaded.revision}</code>`);
  });

  it('has a table of contents linking every section', () => {
    const ids = [...page.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['controller', 'purposes', 'items', 'consent', 'external', 'third-parties', 'statistics', 'anonymized', 'requests', 'security', 'contact', 'revisions']);
    const toc = page.match(/<nav class="toc"[\s\S]*?<\/nav>/)![0];
    for (const id of ids) expect(toc).toContain(`href="#${id}"`);
  });
});

describe('privacy notice follows the policy when it changes', () => {
  it('says how published statistics keep small numbers out, with the policy’s k and noise', () => {
    for (const lang of langs) {
      const plain = sectionOf(renderPrivacyNotice(policyWith((p) => (p.statistics = { minCellSize: 7, differentialPrivacy: { enabled: false, epsilon: 1 } })), lang), 'statistics');
      expect(plain).toContain(lang === 'ja' ? '訪問者が7人未満' : 'fewer than 7 visitors');
      expect(plain).not.toContain('ε =');
      const noisy = sectionOf(renderPrivacyNotice(policyWith((p) => (p.statistics = { minCellSize: 12, differentialPrivacy: { enabled: true, epsilon: 0.5 } })), lang), 'statistics');
      expect(noisy).toContain(lang === 'ja' ? '訪問者が12人未満' : 'fewer than 12 visitors');
      expect(noisy).toContain('ε = 0.5');
    }
  });
  it('says so when there is no joint use, no processor and no cookie', () => {
    const changed = policyWith((p) => {
      delete p.jointUse;
      p.processors = [];
      p.cookie.enabled = false;
    });
    for (const lang of langs) {
      const page = renderPrivacyNotice(changed, lang);
      const l = labels[lang].privacy;
      expect(sectionOf(page, 'third-parties')).toContain(esc(l.thirdParty.noJointUse));
      expect(sectionOf(page, 'third-parties')).toContain(esc(l.thirdParty.noProcessors));
      expect(sectionOf(page, 'third-parties')).not.toContain('<table');
      expect(ddOf(sectionOf(page, 'items'), esc(l.items.cookieLifetime))).toBe(esc(l.items.noCookie));
    }
  });

  it('renders fees, response days, prefixes and a new revision from the policy', () => {
    const changed = policyWith((p) => {
      p.requests.fees = { disclosure: 2500 };
      p.requests.responseDays = 30;
      p.ip = { ipv4Prefix: 16, ipv6Prefix: 32 };
      p.revisions.push({ date: '2027-01-15', summary: { ja: '窓口の受付時間を変更', en: 'Changed the desk hours' } });
    });
    const page = renderPrivacyNotice(changed, 'en');
    const requests = sectionOf(page, 'requests');
    expect(rowOf(requests, 'Disclosure of the data')).toContain('<td>¥2,500</td>');
    expect(rowOf(requests, 'Telling you the purposes of use')).toContain('<td>Free</td>');
    expect(requests).toContain('within 30 days');
    expect(page).toContain('first 16 bits of an IPv4 address or 32 bits');
    expect(page).toContain('Last revised: <time datetime="2027-01-15">15 January 2027</time>');
    expect(page).toContain(`<code>${changed.revision}</code>`);
    expect(changed.revision).not.toBe(loaded.revision);
    const revisions = sectionOf(page, 'revisions');
    expect(revisions.indexOf('2027-01-15')).toBeLessThan(revisions.indexOf('2026-10-01'));
  });

  it('is pure: the same policy and language give the same bytes', () => {
    expect(renderPrivacyNotice(loadPolicy(), 'ja')).toBe(renderPrivacyNotice(loaded, 'ja'));
  });
});
