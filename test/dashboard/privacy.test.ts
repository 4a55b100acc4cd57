import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en, type MessageKey } from '../../dashboard/src/i18n/en.ts';
import { ja } from '../../dashboard/src/i18n/ja.ts';
import { translate } from '../../dashboard/src/i18n/translate.ts';
import {
  actionBlocker,
  auditActionKey,
  auditActions,
  auditApiQuery,
  canSeePrivacy,
  canSeeStats,
  canWritePrivacy,
  caseApiQuery,
  caseStatuses,
  caseTarget,
  caseTimeline,
  chainResult,
  closedStatuses,
  DAY_MS,
  detailPairs,
  documentMediaType,
  documentMediaTypes,
  documentProblem,
  dueMessage,
  dueState,
  emptyCaseForm,
  emptyProvisionForm,
  feeableTypes,
  formatBytes,
  forwardSteps,
  identityBody,
  caseChannels,
  textLimits,
  isDay,
  labelOf,
  linkBodies,
  MAX_DOCUMENT_BYTES,
  newCaseBody,
  newProvisionBody,
  parseAuditFilters,
  parseCaseFilters,
  parsePrivacyPath,
  parseReceiptFilters,
  printAuditFilters,
  printCaseFilters,
  printReceiptFilters,
  rangeProblems,
  receiptApiQuery,
  refusalBody,
  requestTypes,
  statusKey,
  transitionBlocker,
  typeKey,
  type CaseStatus,
  type IdentityStatus,
  type NewCaseForm,
  type ProvisionForm,
} from '../../dashboard/src/state/privacy.ts';
import { loadPolicy } from '../../policy/load.ts';
import { roleScopes } from '../../server/auth/scopes.ts';
import { documentBody } from '../../server/privacy/case-documents.ts';
import { provisionBody } from '../../server/privacy/provisions.ts';
import {
  createCaseBody,
  caseView,
  transitionBody,
  transitionProblem,
  transitions,
} from '../../server/privacy/cases.ts';
import type { AuditEntryView, CaseDetail, CaseView } from '../../server/privacy/index.ts';

const policy = loadPolicy().policy;
// 15:30 in Tokyo, the office's zone: the forms work in it whatever the zone the tests (and browsers) run in
const NOW = Date.parse('2026-11-20T15:30+09:00');
/** An instant of the office's wall clock (Asia/Tokyo, no daylight saving time). */
const tokyo = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m, d, h - 9);

const tr = (m: { key: MessageKey; vars?: Record<string, string | number> } | null, lang: 'en' | 'ja' = 'en') => (m ? translate(lang, m.key, m.vars) : null);

function view(over: Partial<CaseView> = {}): CaseView {
  const status = over.status ?? 'received';
  return {
    id: 7,
    type: 'deletion',
    channel: 'email',
    receivedAt: NOW - 2 * DAY_MS,
    dueAt: NOW + 12 * DAY_MS,
    overdue: false,
    requester: { name: 'Hanako Yamada', contact: null },
    agent: false,
    agentAuthority: null,
    language: 'ja',
    identity: { status: 'pending', method: null, document: null },
    fee: { due: 0, paidAt: null },
    status,
    refusalReason: null,
    summary: null,
    answerNote: null,
    createdAt: NOW - 2 * DAY_MS,
    createdBy: 1,
    updatedAt: NOW,
    closedAt: null,
    purgedAt: null,
    next: [...transitions[status]],
    ...over,
  };
}

describe('the server’s rules, shared', () => {
  it('are the lists and limits the server’s bodies check', () => {
    const newCase = (over: object) => createCaseBody.safeParse({ type: 'disclosure', channel: 'mail', receivedAt: NOW, ...over }).success;
    for (const type of requestTypes) expect(newCase({ type }), type).toBe(true);
    for (const channel of caseChannels) expect(newCase({ channel }), channel).toBe(true);
    expect(newCase({ type: 'complaint_letter' })).toBe(false);
    expect(newCase({ channel: 'fax' })).toBe(false);
    expect(newCase({ requester: { name: 'x'.repeat(textLimits.name), contact: 'y'.repeat(textLimits.contact) }, summary: 'z'.repeat(textLimits.summary) })).toBe(true);
    expect(newCase({ requester: { name: 'x'.repeat(textLimits.name + 1) } })).toBe(false);
    expect(newCase({ summary: 'z'.repeat(textLimits.summary + 1) })).toBe(false);
    for (const to of caseStatuses) expect(transitionBody.safeParse({ to }).success, to).toBe(true);
    for (const closed of closedStatuses) expect(transitions[closed], closed).toEqual([]);
    expect([...feeableTypes].sort()).toEqual(['disclosure', 'purpose_notification']);
    for (const mediaType of documentMediaTypes) expect(documentBody.safeParse({ name: 'id.pdf', mediaType, content: 'AA==' }).success, mediaType).toBe(true);
    expect(documentBody.safeParse({ name: 'id.exe', mediaType: 'application/x-msdownload', content: 'AA==' }).success).toBe(false);
    const provision = (recipientName: number, note: number) =>
      provisionBody.safeParse({ recipient: { name: 'n'.repeat(recipientName), address: 'a', representative: 'r' }, items: ['country'], periodFrom: '2026-11-20', legalGround: 'consent', note: 'x'.repeat(note) }).success;
    expect(provision(textLimits.recipientName, textLimits.note)).toBe(true);
    expect(provision(textLimits.recipientName + 1, 1)).toBe(false);
    expect(provision(1, textLimits.note + 1)).toBe(false);
    expect(MAX_DOCUMENT_BYTES).toBe(5 * 1024 * 1024);
  });

  it('say a step is blocked exactly when the server would refuse it', () => {
    const identities: IdentityStatus[] = ['pending', 'verified', 'failed', 'not_required'];
    let checked = 0;
    for (const status of caseStatuses) {
      for (const identity of identities) {
        for (const [agent, authority] of [
          [false, null],
          [true, 'pending'],
          [true, 'verified'],
        ] as const) {
          for (const [due, paidAt] of [
            [0, null],
            [1000, null],
            [1000, NOW],
          ] as const) {
            const row = { status, identity_status: identity, agent: agent ? 1 : 0, agent_authority: authority, fee_due: due, fee_paid_at: paidAt };
            const v = view({ status, identity: { status: identity, method: null, document: null }, agent, agentAuthority: authority, fee: { due, paidAt } });
            for (const to of caseStatuses) {
              if (to === 'refused') continue; // the reason is checked apart
              const server = transitionProblem(row, to);
              const ours = transitionBlocker(v, to);
              expect(ours === null, `${status} → ${to} (${identity}, agent ${agent}/${authority}, fee ${due}/${paidAt})`).toBe(server === null);
              if (server) expect(ours).toBe(`perr.${server.code}`);
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('offer the forward steps without refusal, and the fee step only with a fee', () => {
    expect(forwardSteps(view({ status: 'received' }))).toEqual(['verifying', 'in_progress']);
    expect(forwardSteps(view({ status: 'verifying' }))).toEqual(['in_progress']);
    expect(forwardSteps(view({ status: 'verifying', fee: { due: 1000, paidAt: null } }))).toEqual(['awaiting_fee', 'in_progress']);
    expect(forwardSteps(view({ status: 'in_progress' }))).toEqual(['answered']);
    expect(forwardSteps(view({ status: 'refused' }))).toEqual([]);
  });

  it('allow the data actions only in progress and with a linked id (a cookie id to stop use)', () => {
    const link = (kind: 'cookie' | 'consent', value: string | null = 'x'.repeat(22)) => ({ id: 1, kind, value, valueHash: 'h' });
    const detail = (status: CaseStatus, links: CaseDetail['links']) => ({ status, links });
    expect(actionBlocker(detail('verifying', [link('cookie')]), 'export')).toBe('actions.notNow');
    expect(actionBlocker(detail('in_progress', []), 'export')).toBe('actions.needLinks');
    expect(actionBlocker(detail('in_progress', [link('cookie', null)]), 'delete')).toBe('actions.needLinks');
    expect(actionBlocker(detail('in_progress', [link('consent')]), 'delete')).toBeNull();
    expect(actionBlocker(detail('in_progress', [link('consent')]), 'suspend')).toBe('actions.needCookie');
    expect(actionBlocker(detail('in_progress', [link('cookie')]), 'suspend')).toBeNull();
  });
});

describe('who sees the privacy pages', () => {
  const who = (role: keyof typeof roleScopes) => ({ user: { scopes: roleScopes[role] } });
  it('privacy staff and admins; never marketers', () => {
    expect(canSeePrivacy(who('privacy'))).toBe(true);
    expect(canSeePrivacy(who('admin'))).toBe(true);
    expect(canSeePrivacy(who('marketer'))).toBe(false);
    expect(canSeePrivacy(null)).toBe(false);
    expect(canWritePrivacy(who('privacy'))).toBe(true);
    expect(canWritePrivacy(who('marketer'))).toBe(false);
    expect(canSeeStats(who('privacy'))).toBe(false);
    expect(canSeeStats(who('admin'))).toBe(true);
  });

  it('finds the page in the path; /app/privacy alone is still a site called “privacy”', () => {
    expect(parsePrivacyPath('/app/privacy/cases')).toEqual({ page: 'cases' });
    expect(parsePrivacyPath('/app/privacy/cases/')).toEqual({ page: 'cases' });
    expect(parsePrivacyPath('/app/privacy/cases/new')).toEqual({ page: 'new-case' });
    expect(parsePrivacyPath('/app/privacy/cases/42')).toEqual({ page: 'case', id: 42 });
    expect(parsePrivacyPath('/app/privacy/receipts')).toEqual({ page: 'receipts' });
    expect(parsePrivacyPath('/app/privacy/provisions')).toEqual({ page: 'provisions' });
    expect(parsePrivacyPath('/app/privacy/audit')).toEqual({ page: 'audit' });
    expect(parsePrivacyPath('/app/privacy/cases/0')).toBe('unknown');
    expect(parsePrivacyPath('/app/privacy/cases/12/x')).toBe('unknown');
    expect(parsePrivacyPath('/app/privacy/elsewhere')).toBe('unknown');
    expect(parsePrivacyPath('/app/privacy')).toBeNull();
    expect(parsePrivacyPath('/app/example.com')).toBeNull();
    expect(parsePrivacyPath('/app')).toBeNull();
  });
});

describe('how a case reads', () => {
  it('has a label for every status and type, in both languages, each different', () => {
    for (const [keys, n] of [
      [caseStatuses.map(statusKey), 6],
      [requestTypes.map(typeKey), 8],
    ] as const) {
      for (const dict of [en, ja]) expect(new Set(keys.map((k) => dict[k])).size).toBe(n);
    }
    expect(translate('en', statusKey('awaiting_fee'))).toBe('Awaiting fee');
    expect(translate('ja', statusKey('refused'))).toBe('お断り');
    expect(translate('ja', typeKey('disclosure'))).toBe('開示');
  });

  it('counts the calendar days to (or past) the due date', () => {
    expect(dueState(view({ dueAt: NOW + 12 * DAY_MS }), NOW)).toEqual({ kind: 'later', days: 12 });
    expect(dueState(view({ dueAt: NOW + 3 * DAY_MS + 1000 }), NOW)).toEqual({ kind: 'soon', days: 3 });
    expect(dueState(view({ dueAt: NOW + DAY_MS + 5 }), NOW)).toEqual({ kind: 'soon', days: 1 });
    expect(dueState(view({ dueAt: NOW + 14 * DAY_MS - 1 }), NOW)).toEqual({ kind: 'later', days: 14 });
    expect(dueState(view({ dueAt: NOW + 5 * 3_600_000 }), NOW)).toEqual({ kind: 'today' });
    expect(dueState(view({ dueAt: NOW - 1000 }), NOW)).toEqual({ kind: 'overdue', days: 0 });
    expect(dueState(view({ dueAt: NOW - 2 * DAY_MS - 1000, overdue: true }), NOW)).toEqual({ kind: 'overdue', days: 2 });
    // calendar days: due tomorrow morning is "in 1 day" even when fewer than 24 hours are left
    expect(dueState(view({ dueAt: tokyo(2026, 10, 21, 9) }), NOW)).toEqual({ kind: 'soon', days: 1 });
    expect(dueState(view({ dueAt: tokyo(2026, 10, 19, 23) }), NOW)).toEqual({ kind: 'overdue', days: 1 });
    // the server's flag wins when the clocks differ a little
    expect(dueState(view({ dueAt: NOW + 1000, overdue: true }), NOW).kind).toBe('overdue');
    expect(dueState(view({ status: 'answered', dueAt: NOW - 9 * DAY_MS }), NOW)).toEqual({ kind: 'closed' });
  });

  it('says it in words', () => {
    expect(tr(dueMessage({ kind: 'overdue', days: 1 }))).toBe('1 day overdue');
    expect(tr(dueMessage({ kind: 'overdue', days: 3 }))).toBe('3 days overdue');
    expect(tr(dueMessage({ kind: 'overdue', days: 3 }), 'ja')).toBe('期限を3日超過');
    expect(tr(dueMessage({ kind: 'today' }))).toBe('Due today');
    expect(tr(dueMessage({ kind: 'overdue', days: 0 }))).toBe('Overdue since earlier today');
    expect(tr(dueMessage({ kind: 'soon', days: 1 }))).toBe('Due in 1 day');
    expect(tr(dueMessage({ kind: 'later', days: 12 }), 'ja')).toBe('期限まであと12日');
    expect(dueMessage({ kind: 'closed' })).toBeNull();
  });

  it('agrees with the server’s overdue flag', () => {
    const row = { id: 1, type: 'deletion', channel: 'email', received_at: NOW - 20 * DAY_MS, due_at: NOW - 6 * DAY_MS, requester_name: null, requester_contact: null, agent: 0, agent_authority: null, language: 'ja', identity_status: 'pending', identity_method: null, identity_document: null, fee_due: 0, fee_paid_at: null, status: 'verifying', refusal_reason: null, summary: null, answer_note: null, created_at: NOW - 20 * DAY_MS, created_by: 1, updated_at: NOW, closed_at: null, purged_at: null } as const;
    const server = caseView(row, NOW);
    expect(server.overdue).toBe(true);
    expect(dueState(server, NOW)).toEqual({ kind: 'overdue', days: 6 });
    expect(dueState(caseView({ ...row, status: 'refused', closed_at: NOW }, NOW), NOW)).toEqual({ kind: 'closed' });
  });
});

describe('the new-case form', () => {
  const form = (over: Partial<NewCaseForm> = {}): NewCaseForm => ({ ...emptyCaseForm(NOW), type: 'disclosure', channel: 'mail', ...over });

  it('starts on today, in Japanese, without an agent', () => {
    expect(emptyCaseForm(NOW)).toMatchObject({ type: '', channel: '', received: '2026-11-20', agent: false, language: 'ja' });
  });

  it('needs a type, a channel and a real day that is not in the future', () => {
    const empty = newCaseBody(emptyCaseForm(NOW), NOW);
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(Object.keys(empty.problems).sort()).toEqual(['channel', 'type']);
    for (const [received, key] of [
      ['2026-11-21', 'problem.future'],
      ['2026-02-30', 'problem.date'],
      ['20.11.2026', 'problem.date'],
      ['', 'problem.date'],
    ] as const) {
      const r = newCaseBody(form({ received }), NOW);
      expect(r.ok ? null : r.problems.received?.key, received).toBe(key);
    }
  });

  it('refuses what the server would refuse as too long', () => {
    const r = newCaseBody(form({ name: 'x'.repeat(201), summary: 'y'.repeat(2001) }), NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems.name).toEqual({ key: 'problem.tooLong', vars: { n: 200 } });
      expect(r.problems.summary?.vars).toEqual({ n: 2000 });
    }
  });

  it('gives today the current time and an earlier day its local noon; blanks become null', () => {
    const today = newCaseBody(form({ name: '  Taro Yamada ', contact: ' ', agent: true, language: 'en' }), NOW);
    expect(today).toEqual({
      ok: true,
      body: { type: 'disclosure', channel: 'mail', receivedAt: NOW, requester: { name: 'Taro Yamada', contact: null }, agent: true, language: 'en', summary: null },
    });
    const earlier = newCaseBody(form({ received: '2026-11-18' }), NOW);
    expect(earlier.ok && earlier.body.receivedAt).toBe(tokyo(2026, 10, 18, 12));
  });

  it('days are the office’s, not the browser’s: 23:30 in Tokyo is still that day, 00:30 the next', () => {
    const lateEvening = tokyo(2026, 10, 20, 23) + 30 * 60_000; // 14:30 UTC, a day behind in Los Angeles
    expect(emptyCaseForm(lateEvening).received).toBe('2026-11-20');
    expect(emptyProvisionForm(lateEvening).periodFrom).toBe('2026-11-20');
    const pastMidnight = tokyo(2026, 10, 21) + 30 * 60_000; // 15:30 UTC: still the 20th in UTC and in the Americas
    expect(emptyCaseForm(pastMidnight).received).toBe('2026-11-21');
    expect(newCaseBody(form({ received: '2026-11-21' }), pastMidnight)).toMatchObject({ ok: true, body: { receivedAt: pastMidnight } });
    expect(dueState(view({ dueAt: tokyo(2026, 10, 21, 20) }), pastMidnight)).toEqual({ kind: 'today' });
  });
});

describe('the case’s steps', () => {
  it('identity: verified needs a method, a document one of the policy’s', () => {
    const n = policy.requests.identityDocuments.length;
    expect(identityBody({ status: 'verified', method: '', document: '' }, n)).toEqual({ ok: false, problems: { method: { key: 'problem.method' } } });
    expect(identityBody({ status: 'verified', method: 'document', document: '' }, n)).toEqual({ ok: false, problems: { document: { key: 'problem.document' } } });
    expect(identityBody({ status: 'verified', method: 'document', document: String(n) }, n).ok).toBe(false);
    expect(identityBody({ status: 'verified', method: 'document', document: '1' }, n)).toEqual({ ok: true, body: { status: 'verified', method: 'document', document: 1 } });
    expect(identityBody({ status: 'verified', method: 'cookie', document: '1' }, n)).toEqual({ ok: true, body: { status: 'verified', method: 'cookie', document: null } });
    expect(identityBody({ status: 'pending', method: '', document: '' }, n)).toEqual({ ok: true, body: { status: 'pending', method: null, document: null } });
    expect(identityBody({ status: 'not_required', method: 'document', document: '0' }, n)).toEqual({ ok: true, body: { status: 'not_required', method: null, document: null } });
  });

  it('refusal: a reason from the policy’s list is required', () => {
    const reasons = policy.requests.nonDisclosureReasons;
    expect(refusalBody('', '', reasons)).toEqual({ ok: false, problems: { reason: { key: 'problem.reason' } } });
    expect(refusalBody('because', '', reasons).ok).toBe(false);
    expect(refusalBody('not_held', '  ', reasons)).toEqual({ ok: true, body: { to: 'refused', reason: 'not_held' } });
    expect(refusalBody('not_held', ' See our notice. ', reasons)).toEqual({ ok: true, body: { to: 'refused', reason: 'not_held', answerNote: 'See our notice.' } });
    expect(labelOf(reasons, 'not_held', 'en')).toMatch(/^We do not hold the data/);
    expect(labelOf(reasons, 'unknown_one', 'en')).toBe('unknown_one');
  });

  it('linked ids: one per line (or comma), each 22 characters, once each', () => {
    const a = 'AbCdEfGhIjKlMnOpQrStU1';
    const b = 'zyxwvutsrqponmlkjih-_0';
    expect(linkBodies('cookie', `${a}\n${b}, ${a}\n`)).toEqual({ ok: true, body: { links: [{ cookieId: a }, { cookieId: b }] } });
    expect(linkBodies('consent', a)).toEqual({ ok: true, body: { links: [{ consentId: a }] } });
    expect(linkBodies('cookie', ' \n')).toEqual({ ok: false, problems: { ids: { key: 'problem.required' } } });
    expect(linkBodies('cookie', `${a}\nnot-an-id`)).toEqual({ ok: false, problems: { ids: { key: 'problem.id', vars: { id: 'not-an-id' } } } });
  });

  it('documents: the server’s types and size; HEIC without a type is still HEIC', () => {
    expect(documentMediaType({ type: 'application/pdf', name: 'form.pdf' })).toBe('application/pdf');
    expect(documentMediaType({ type: '', name: 'IMG_0001.HEIC' })).toBe('image/heic');
    expect(documentMediaType({ type: 'image/heif', name: 'photo.heif' })).toBe('image/heic');
    expect(documentMediaType({ type: 'application/zip', name: 'a.zip' })).toBeNull();
    expect(documentProblem({ type: 'image/png', name: 'id.png', size: 1200 })).toBeNull();
    expect(documentProblem({ type: 'image/png', name: 'id.png', size: MAX_DOCUMENT_BYTES + 1 })).toEqual({ key: 'problem.fileSize', vars: { size: '5 MB' } });
    expect(documentProblem({ type: 'image/gif', name: 'a.gif', size: 10 })).toEqual({ key: 'problem.fileType' });
    expect(documentProblem({ type: 'text/plain', name: 'a.txt', size: 0 })).toEqual({ key: 'problem.fileEmpty' });
    expect(formatBytes(812, 'en')).toBe('812 B');
    expect(formatBytes(2150, 'en')).toBe('2.1 KB');
    expect(formatBytes(14 * 1024, 'ja')).toBe('14 KB');
    expect(formatBytes(2.4 * 1024 * 1024, 'en')).toBe('2.4 MB');
  });
});

describe('the provision form', () => {
  const grounds = policy.thirdPartyProvision.legalGrounds;
  const form = (over: Partial<ProvisionForm> = {}): ProvisionForm => ({
    ...emptyProvisionForm(NOW),
    name: 'Example Research Inc.',
    address: '1-2-3 Marunouchi, Chiyoda-ku, Tokyo',
    representative: 'Jiro Sato',
    items: ['page_url', 'access_time'],
    legalGround: 'law',
    ...over,
  });

  it('takes a complete entry, with a single date or a period', () => {
    expect(newProvisionBody(form(), grounds)).toEqual({
      ok: true,
      body: {
        recipient: { name: 'Example Research Inc.', address: '1-2-3 Marunouchi, Chiyoda-ku, Tokyo', representative: 'Jiro Sato' },
        items: ['page_url', 'access_time'],
        periodFrom: '2026-11-20',
        periodTo: null,
        legalGround: 'law',
        consentConfirmation: null,
        note: null,
      },
    });
    const period = newProvisionBody(form({ periodTo: '2027-03-31' }), grounds);
    expect(period.ok && period.body.periodTo).toBe('2027-03-31');
  });

  it('names every missing field; consent as the ground needs how it was confirmed', () => {
    const r = newProvisionBody(emptyProvisionForm(NOW), grounds);
    expect(r.ok ? [] : Object.keys(r.problems).sort()).toEqual(['address', 'items', 'legalGround', 'name', 'representative']);
    const consent = newProvisionBody(form({ legalGround: 'consent' }), grounds);
    expect(consent.ok ? null : consent.problems.consentConfirmation).toEqual({ key: 'problem.consentConfirmation' });
    expect(newProvisionBody(form({ legalGround: 'consent', consentConfirmation: 'Checkbox on the sign-up form, 2026-10-01' }), grounds).ok).toBe(true);
    const order = newProvisionBody(form({ periodTo: '2026-11-19' }), grounds);
    expect(order.ok ? null : order.problems.periodTo).toEqual({ key: 'problem.periodOrder' });
    expect(newProvisionBody(form({ legalGround: 'whim' }), grounds).ok).toBe(false);
  });
});

describe('filters in the URL', () => {
  it('cases: open by default; unknown values dropped; a round trip keeps them', () => {
    expect(parseCaseFilters('')).toEqual({ state: 'open' });
    expect(parseCaseFilters('?state=bogus&status=nope&type=disclosure')).toEqual({ state: 'open', type: 'disclosure' });
    const f = parseCaseFilters('state=overdue&status=verifying&type=deletion');
    expect(parseCaseFilters(printCaseFilters(f))).toEqual(f);
    expect(printCaseFilters({ state: 'open' })).toBe('');
    expect(caseApiQuery({ state: 'all', type: 'complaint' })).toEqual({ limit: '500', type: 'complaint' });
    expect(caseApiQuery({ state: 'overdue' })).toEqual({ limit: '500', state: 'overdue' });
  });

  it('receipts: local days become the API’s half-open range of instants', () => {
    const f = parseReceiptFilters('site=www.example.jp&from=2026-11-01&to=2026-11-20&consent=AbCdEfGhIjKlMnOpQrStU1');
    expect(parseReceiptFilters(printReceiptFilters(f))).toEqual(f);
    expect(parseReceiptFilters('from=2026-13-01').from).toBe('');
    expect(receiptApiQuery(f, '120')).toEqual({
      limit: '50',
      site: 'www.example.jp',
      consentId: 'AbCdEfGhIjKlMnOpQrStU1',
      from: String(tokyo(2026, 10, 1)),
      to: String(tokyo(2026, 10, 21)),
      cursor: '120',
    });
    expect(rangeProblems('2026-11-20', '2026-11-01')).toEqual({ to: { key: 'problem.periodOrder' } });
    expect(rangeProblems('', '')).toEqual({});
  });

  it('audit: an action name and a range', () => {
    const f = parseAuditFilters('action=case.transition&from=2026-11-01');
    expect(f).toEqual({ action: 'case.transition', from: '2026-11-01', to: '' });
    expect(parseAuditFilters(printAuditFilters(f))).toEqual(f);
    expect(parseAuditFilters('action=<script>').action).toBe('');
    expect(auditApiQuery(f)).toEqual({ limit: '50', action: 'case.transition', from: String(tokyo(2026, 10, 1)) });
  });

  it('days: real ones only', () => {
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
  });
});

describe('the audit log', () => {
  it('has words for every action the server writes', () => {
    const found = new Set<string>();
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) {
          for (const line of readFileSync(path, 'utf8').split('\n')) {
            if (!/audit|recordStaffAction/.test(line)) continue;
            for (const m of line.matchAll(/'((?:auth|case|provision|export|policy|retention|user|token|shared_link|release|site|visitor)\.[a-z0-9_.]+)'/g)) found.add(m[1]!);
          }
        }
      }
    };
    walk('server');
    expect(found.size).toBeGreaterThan(10);
    for (const action of found) expect(auditActions, action).toContain(action);
    for (const action of auditActions) expect(en[auditActionKey(action)!], action).toBeTruthy();
    expect(auditActionKey('something.new')).toBeNull();
  });

  it('shows details briefly and links cases', () => {
    expect(detailPairs({ from: 'verifying', to: 'refused', reason: null, items: ['page_url', 'country'], sha256: 'a'.repeat(64) })).toEqual([
      ['from', 'verifying'],
      ['to', 'refused'],
      ['reason', '—'],
      ['items', 'page_url, country'],
      ['sha256', `${'a'.repeat(12)}…`],
    ]);
    expect(caseTarget('case:12')).toBe(12);
    expect(caseTarget('provision:3')).toBeNull();
    expect(caseTarget(null)).toBeNull();
  });

  it('reads a chain report as one sentence', () => {
    const ok = chainResult({ ok: true, count: 12, anchorSeq: 0, head: 'h' });
    expect(translate('en', ok.key, ok.vars)).toBe('Chain intact: 12 entries checked.');
    const receipts = chainResult({ ok: true, count: 5, redacted: 2, anchorSeq: 0, head: 'h' });
    expect(translate('en', receipts.key, receipts.vars)).toBe('Chain intact: 5 receipts checked (2 with content erased).');
    const bad = chainResult({ ok: false, firstBadSeq: 4, reason: 'altered' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(translate('en', bad.key, { ...bad.vars, reason: translate('en', bad.reason) })).toBe('Chain broken at no. 4: it was changed.');
  });
});

describe('a case’s history', () => {
  const entry = (seq: number, ts: number, action: string, details: Record<string, unknown>, target = 'case:7'): AuditEntryView => ({
    seq,
    ts,
    actorId: 2,
    actor: 'privacy@example.jp',
    action,
    target,
    details,
    prevHash: 'p',
    hash: 'h',
  });

  it('puts receipt, recording, status and field changes and actions in order; other cases’ entries are ignored', () => {
    const c = { id: 7, receivedAt: NOW - 3 * DAY_MS, channel: 'mail' as const, createdAt: NOW - DAY_MS, actions: [{ id: 1, at: NOW - 1000, actorId: 2, action: 'export' as const, details: { rows: 3 } }] };
    const events = caseTimeline(c, [
      entry(9, NOW - 500, 'case.transition', { from: 'in_progress', to: 'answered', reason: null }),
      entry(8, NOW - 2000, 'case.transition', { from: 'verifying', to: 'in_progress', reason: null }),
      entry(7, NOW - 3000, 'case.update', { changed: ['identity'], identity: 'verified' }),
      entry(6, NOW - 4000, 'case.transition', { from: 'received', to: 'verifying', reason: null }),
      entry(5, NOW - DAY_MS, 'case.create', { type: 'disclosure' }),
      entry(4, NOW - 3500, 'case.transition', { from: 'received', to: 'refused', reason: 'harm' }, 'case:8'),
    ]);
    expect(events.map((e) => (e.kind === 'transition' ? `${e.from}→${e.to}` : e.kind))).toEqual([
      'received',
      'created',
      'received→verifying',
      'update',
      'verifying→in_progress',
      'action',
      'in_progress→answered',
    ]);
    expect(events[1]).toEqual({ kind: 'created', at: NOW - DAY_MS, actor: 'privacy@example.jp' });
  });
});
