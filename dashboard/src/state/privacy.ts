/**
 * The privacy office's pages, pure: who sees them, how a case's status and due date read, what each form
 * accepts (checked here so the form can point at the field; the server checks again), the filters in the
 * URL, a case's history, and how a hash-chain check reads. No DOM, no fetch: the locale and `now` are passed in.
 *
 * The server's lists, rules and limits come from the features' wire.ts files (plain values, no zod or kysely),
 * the one copy the server builds its checks from.
 */
import { feeableTypes, requestTypes, type ItemId, type Localized, type RequestType } from '../../../policy/wire.ts';
import type { ReceiptChainReport } from '../../../server/consent/wire.ts';
import { cookieIdPattern } from '../../../server/ingest/wire.ts';
import type { AuditEntryView, CaseDetail, CaseView } from '../../../server/privacy/wire.ts';
import {
  caseChannels,
  caseStatuses,
  checkStatuses,
  closedStatuses,
  CONSENT_GROUND,
  documentMediaTypes,
  identityStatuses,
  MAX_DOCUMENT_BYTES,
  OFFICE_TIME_ZONE,
  textLimits,
  type CaseChannel,
  type CaseStatus,
  type CheckStatus,
  type DocumentMediaType,
  type IdentityMethod,
  type IdentityStatus,
} from '../../../server/privacy/wire.ts';
import type { ChainReport } from '../../../server/privacy/wire.ts';
import type { MessageKey } from '../i18n/en.ts';
import { addDays, calendarDaysIn, dayStartIn, todayIn } from '../lib/days.ts';

export type { CaseChannel, CaseStatus, CheckStatus, DocumentMediaType, IdentityMethod, IdentityStatus, RequestType };
export { caseChannels, caseStatuses, checkStatuses, closedStatuses, CONSENT_GROUND, cookieIdPattern, documentMediaTypes, feeableTypes, identityStatuses, MAX_DOCUMENT_BYTES, requestTypes, textLimits };

export const DAY_MS = 24 * 60 * 60 * 1000;

// ---- the policy lists the pages need ------------------------------------------------------------------

/**
 * The running policy's lists that the privacy pages offer: identity documents, non-disclosure reasons,
 * fees and the response time; the legal grounds and items of the provision register. Asked of
 * `GET /api/privacy/policy`.
 */
export type { PrivacyPolicyView } from '../../../server/privacy/wire.ts';

export type Lang = 'ja' | 'en';
export const localized = (text: Localized, lang: Lang): string => text[lang];

/** The policy's label of a non-disclosure reason or legal ground, else its id. */
export function labelOf(list: readonly { id: string; label: Localized }[] | undefined, id: string, lang: Lang): string {
  const found = list?.find((entry) => entry.id === id);
  return found ? found.label[lang] : id;
}


// ---- who sees the pages -------------------------------------------------------------------------------

interface WhoLike {
  user: { scopes: readonly string[]; mustChangePassword?: boolean };
}

/** Privacy staff and admins (privacy:read); marketers never. */
export const canSeePrivacy = (who: WhoLike | null | undefined): boolean => !!who && who.user.scopes.includes('privacy:read');
export const canWritePrivacy = (who: WhoLike | null | undefined): boolean => !!who && who.user.scopes.includes('privacy:write');
export const canSeeStats = (who: WhoLike | null | undefined): boolean => !!who && who.user.scopes.includes('stats:read');

export type PrivacyPage =
  | { page: 'cases' }
  | { page: 'new-case' }
  | { page: 'case'; id: number }
  | { page: 'receipts' }
  | { page: 'provisions' }
  | { page: 'releases' }
  | { page: 'audit' };

export const PRIVACY_BASE = '/app/privacy';
export const privacyPath = {
  cases: `${PRIVACY_BASE}/cases`,
  newCase: `${PRIVACY_BASE}/cases/new`,
  case: (id: number) => `${PRIVACY_BASE}/cases/${id}`,
  receipts: `${PRIVACY_BASE}/receipts`,
  provisions: `${PRIVACY_BASE}/provisions`,
  releases: `${PRIVACY_BASE}/releases`,
  audit: `${PRIVACY_BASE}/audit`,
};

/**
 * The privacy page a path names, or null. Only `/app/privacy/<page>…` is one: `/app/privacy` alone stays a
 * site's overview (a site may be called "privacy"), and an unknown page is null.
 */
export function parsePrivacyPath(path: string): PrivacyPage | null | 'unknown' {
  const m = /^\/app\/privacy\/([^?#]+?)\/?$/.exec(path);
  if (!m) return null;
  const parts = m[1]!.split('/');
  if (parts[0] === 'cases') {
    if (parts.length === 1) return { page: 'cases' };
    if (parts.length === 2 && parts[1] === 'new') return { page: 'new-case' };
    if (parts.length === 2 && /^[1-9]\d{0,14}$/.test(parts[1]!)) return { page: 'case', id: Number(parts[1]) };
    return 'unknown';
  }
  if (parts.length === 1 && (parts[0] === 'receipts' || parts[0] === 'provisions' || parts[0] === 'releases' || parts[0] === 'audit')) return { page: parts[0] };
  return 'unknown';
}

// ---- how a case reads ---------------------------------------------------------------------------------

export const statusKey = (status: CaseStatus): MessageKey => `status.${status}`;
export const typeKey = (type: RequestType): MessageKey => `type.${type}`;
export const channelKey = (channel: CaseChannel): MessageKey => `channel.${channel}`;

/**
 * Where a case stands against its due date, in calendar days of the office's zone (a case received today
 * is "due in 14 days", not 13 and some hours). Overdue is the server's flag, or the due instant passed:
 * `days` is then how many calendar days ago the due date was (0: earlier today).
 */
export type DueState = { kind: 'closed' } | { kind: 'overdue'; days: number } | { kind: 'today' } | { kind: 'soon'; days: number } | { kind: 'later'; days: number };

/** Three days or fewer left: shown as "soon". */
export const SOON_DAYS = 3;

export function dueState(c: Pick<CaseView, 'status' | 'dueAt' | 'overdue'>, now: number, timeZone: string = OFFICE_TIME_ZONE): DueState {
  if (closedStatuses.has(c.status)) return { kind: 'closed' };
  const days = calendarDaysIn(now, c.dueAt, timeZone);
  if (c.overdue || c.dueAt < now) return { kind: 'overdue', days: Math.max(0, -days) };
  if (days <= 0) return { kind: 'today' };
  return days <= SOON_DAYS ? { kind: 'soon', days } : { kind: 'later', days };
}

/** The due state as a message: "3 days overdue", "Overdue since today", "Due today", "Due in 2 days"; null once closed. */
export function dueMessage(state: DueState): { key: MessageKey; vars?: Record<string, number> } | null {
  switch (state.kind) {
    case 'closed':
      return null;
    case 'overdue':
      return state.days === 0 ? { key: 'due.overdueToday' } : { key: state.days === 1 ? 'due.overdue.one' : 'due.overdue.other', vars: { n: state.days } };
    case 'today':
      return { key: 'due.today' };
    default:
      return { key: state.days === 1 ? 'due.in.one' : 'due.in.other', vars: { n: state.days } };
  }
}

export const feeApplies = (type: RequestType): boolean => feeableTypes.has(type);

type Guarded = Pick<CaseView, 'status' | 'identity' | 'agent' | 'agentAuthority' | 'fee' | 'next'>;

/**
 * Why the case may not move to `to` now, as the server would say it (server/privacy/cases.ts
 * `transitionProblem`), or null. The page disables the button and says why; the server still decides.
 */
export function transitionBlocker(c: Guarded, to: CaseStatus): MessageKey | null {
  if (!c.next.includes(to)) return 'perr.invalid_transition';
  if (to === 'awaiting_fee' && c.fee.due === 0) return 'perr.no_fee_due';
  if (to === 'in_progress' || to === 'answered') {
    if (c.identity.status !== 'verified' && c.identity.status !== 'not_required') return 'perr.identity_not_verified';
    if (c.agent && c.agentAuthority !== 'verified') return 'perr.agent_not_verified';
    if (c.fee.due > 0 && c.fee.paidAt === null) return 'perr.fee_unpaid';
  }
  return null;
}

/** The forward steps the page offers as buttons: the allowed ones but refusal (its own form) and a fee step with no fee. */
export function forwardSteps(c: Guarded): CaseStatus[] {
  return c.next.filter((s) => s !== 'refused' && !(s === 'awaiting_fee' && c.fee.due === 0));
}

/** Whether the data actions (export, delete, suspend) can run, and if not, why. */
export function actionBlocker(c: Pick<CaseDetail, 'status' | 'links'>, action: 'export' | 'delete' | 'suspend'): MessageKey | null {
  if (c.status !== 'in_progress') return 'actions.notNow';
  const live = c.links.filter((l) => l.value !== null);
  if (!live.length) return 'actions.needLinks';
  if (action === 'suspend' && !live.some((l) => l.kind === 'cookie')) return 'actions.needCookie';
  return null;
}

// ---- forms --------------------------------------------------------------------------------------------

export type Problem = { key: MessageKey; vars?: Record<string, string | number> };
export type Checked<B, F extends string> = { ok: true; body: B } | { ok: false; problems: Partial<Record<F, Problem>> };

const isoDay = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A YYYY-MM-DD that names a real day. */
export function isDay(value: string): boolean {
  const m = isoDay.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const tooLong = (value: string, max: number): Problem | undefined => (value.trim().length > max ? { key: 'problem.tooLong', vars: { n: max } } : undefined);
const orNull = (value: string): string | null => (value.trim() ? value.trim() : null);

export interface NewCaseForm {
  type: RequestType | '';
  channel: CaseChannel | '';
  /** YYYY-MM-DD */
  received: string;
  name: string;
  contact: string;
  agent: boolean;
  language: Lang;
  summary: string;
}

export interface NewCaseBody {
  type: RequestType;
  channel: CaseChannel;
  receivedAt: number;
  requester: { name: string | null; contact: string | null };
  agent: boolean;
  language: Lang;
  summary: string | null;
}

export const emptyCaseForm = (now: number): NewCaseForm => ({ type: '', channel: '', received: todayIn(OFFICE_TIME_ZONE, now), name: '', contact: '', agent: false, language: 'ja', summary: '' });

/**
 * The new-case form as POST /api/privacy/cases takes it. The received day is a day of the office's zone
 * (whatever the browser's zone); today becomes the current time (the due date counts from it), an earlier
 * day its noon in the office's zone.
 */
export function newCaseBody(form: NewCaseForm, now: number): Checked<NewCaseBody, keyof NewCaseForm> {
  const problems: Partial<Record<keyof NewCaseForm, Problem>> = {};
  if (!form.type || !(requestTypes as readonly string[]).includes(form.type)) problems.type = { key: 'problem.required' };
  if (!form.channel || !(caseChannels as readonly string[]).includes(form.channel)) problems.channel = { key: 'problem.required' };
  const today = todayIn(OFFICE_TIME_ZONE, now);
  if (!isDay(form.received)) problems.received = { key: 'problem.date' };
  else if (form.received > today) problems.received = { key: 'problem.future' };
  const name = tooLong(form.name, textLimits.name);
  if (name) problems.name = name;
  const contact = tooLong(form.contact, textLimits.contact);
  if (contact) problems.contact = contact;
  const summary = tooLong(form.summary, textLimits.summary);
  if (summary) problems.summary = summary;
  if (Object.keys(problems).length) return { ok: false, problems };
  const receivedAt = form.received === today ? now : dayStartIn(form.received, OFFICE_TIME_ZONE) + DAY_MS / 2;
  return {
    ok: true,
    body: {
      type: form.type as RequestType,
      channel: form.channel as CaseChannel,
      receivedAt,
      requester: { name: orNull(form.name), contact: orNull(form.contact) },
      agent: form.agent,
      language: form.language,
      summary: orNull(form.summary),
    },
  };
}

export interface IdentityForm {
  status: IdentityStatus;
  method: IdentityMethod | '';
  /** index into the policy's identity documents, as the select's value */
  document: string;
}

export interface IdentityBody {
  status: IdentityStatus;
  method: IdentityMethod | null;
  document: number | null;
}

export const identityForm = (c: Pick<CaseView, 'identity'>): IdentityForm => ({
  status: c.identity.status,
  method: c.identity.method ?? '',
  document: c.identity.document === null ? '' : String(c.identity.document),
});

/** The identity step as PATCH takes it: "verified" needs a method, "document" one of the policy's documents. */
export function identityBody(form: IdentityForm, documents: number): Checked<IdentityBody, 'method' | 'document'> {
  const method = form.status === 'not_required' ? null : form.method || null;
  if (form.status === 'verified' && !method) return { ok: false, problems: { method: { key: 'problem.method' } } };
  if (method === 'document') {
    const i = Number(form.document);
    if (form.document === '' || !Number.isInteger(i) || i < 0 || i >= documents) return { ok: false, problems: { document: { key: 'problem.document' } } };
    return { ok: true, body: { status: form.status, method, document: i } };
  }
  return { ok: true, body: { status: form.status, method, document: null } };
}

/** A refusal as POST …/transition takes it: a reason from the policy's list is required. */
export function refusalBody(reason: string, note: string, reasons: readonly { id: string }[]): Checked<{ to: 'refused'; reason: string; answerNote?: string | null }, 'reason' | 'note'> {
  if (!reason || !reasons.some((r) => r.id === reason)) return { ok: false, problems: { reason: { key: 'problem.reason' } } };
  const long = tooLong(note, textLimits.answerNote);
  if (long) return { ok: false, problems: { note: long } };
  return { ok: true, body: note.trim() ? { to: 'refused', reason, answerNote: note.trim() } : { to: 'refused', reason } };
}

/** Ids pasted one per line (or separated by spaces or commas), each a cookie or consent id; duplicates once. */
export function linkBodies(kind: 'cookie' | 'consent', text: string): Checked<{ links: ({ cookieId: string } | { consentId: string })[] }, 'ids'> {
  const ids = [...new Set(text.split(/[\s,]+/).filter(Boolean))];
  if (!ids.length) return { ok: false, problems: { ids: { key: 'problem.required' } } };
  const bad = ids.find((id) => !cookieIdPattern.test(id));
  if (bad) return { ok: false, problems: { ids: { key: 'problem.id', vars: { id: bad.length > 40 ? `${bad.slice(0, 40)}…` : bad } } } };
  if (ids.length > 20) return { ok: false, problems: { ids: { key: 'problem.tooMany', vars: { n: 20 } } } };
  return { ok: true, body: { links: ids.map((id) => (kind === 'cookie' ? { cookieId: id } : { consentId: id })) } };
}

/** The media type a file is uploaded as, or null when the server does not take it. */
export function documentMediaType(file: { type: string; name: string }): DocumentMediaType | null {
  const type = file.type.toLowerCase();
  if ((documentMediaTypes as readonly string[]).includes(type)) return type as DocumentMediaType;
  // some systems give HEIC photos no type (or image/heif)
  if ((type === '' || type === 'image/heif') && /\.hei[cf]$/i.test(file.name)) return 'image/heic';
  if (type === '' && /\.txt$/i.test(file.name)) return 'text/plain';
  return null;
}

export function documentProblem(file: { type: string; name: string; size: number }): Problem | null {
  if (!documentMediaType(file)) return { key: 'problem.fileType' };
  if (file.size > MAX_DOCUMENT_BYTES) return { key: 'problem.fileSize', vars: { size: '5 MB' } };
  if (file.size === 0) return { key: 'problem.fileEmpty' };
  return null;
}

/** Bytes as 812 B · 14 KB · 2.4 MB (1024-based, as file managers show them). */
export function formatBytes(n: number, locale: Lang): string {
  const nf = (v: number, digits: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(v);
  if (n < 1024) return `${nf(n, 0)} B`;
  if (n < 1024 * 1024) return `${nf(n / 1024, n < 10 * 1024 ? 1 : 0)} KB`;
  return `${nf(n / (1024 * 1024), 1)} MB`;
}

export interface ProvisionForm {
  name: string;
  address: string;
  representative: string;
  items: ItemId[];
  periodFrom: string;
  periodTo: string;
  legalGround: string;
  consentConfirmation: string;
  note: string;
}

export interface ProvisionBody {
  recipient: { name: string; address: string; representative: string };
  items: ItemId[];
  periodFrom: string;
  periodTo: string | null;
  legalGround: string;
  consentConfirmation: string | null;
  note: string | null;
}

export const emptyProvisionForm = (now: number): ProvisionForm => ({
  name: '',
  address: '',
  representative: '',
  items: [],
  periodFrom: todayIn(OFFICE_TIME_ZONE, now),
  periodTo: '',
  legalGround: '',
  consentConfirmation: '',
  note: '',
});

/** A register entry as POST /api/privacy/provisions takes it; consent as the ground needs how it was confirmed. */
export function newProvisionBody(form: ProvisionForm, grounds: readonly { id: string }[]): Checked<ProvisionBody, keyof ProvisionForm> {
  const problems: Partial<Record<keyof ProvisionForm, Problem>> = {};
  const required = (field: 'name' | 'address' | 'representative', max: number) => {
    if (!form[field].trim()) problems[field] = { key: 'problem.required' };
    else {
      const long = tooLong(form[field], max);
      if (long) problems[field] = long;
    }
  };
  required('name', textLimits.recipientName);
  required('address', textLimits.address);
  required('representative', textLimits.representative);
  if (!form.items.length) problems.items = { key: 'problem.items' };
  if (!isDay(form.periodFrom)) problems.periodFrom = { key: 'problem.date' };
  if (form.periodTo && !isDay(form.periodTo)) problems.periodTo = { key: 'problem.date' };
  else if (form.periodTo && isDay(form.periodFrom) && form.periodTo < form.periodFrom) problems.periodTo = { key: 'problem.periodOrder' };
  if (!form.legalGround || !grounds.some((g) => g.id === form.legalGround)) problems.legalGround = { key: 'problem.required' };
  if (form.legalGround === CONSENT_GROUND && !form.consentConfirmation.trim()) problems.consentConfirmation = { key: 'problem.consentConfirmation' };
  else {
    const long = tooLong(form.consentConfirmation, textLimits.note);
    if (long) problems.consentConfirmation = long;
  }
  const note = tooLong(form.note, textLimits.note);
  if (note) problems.note = note;
  if (Object.keys(problems).length) return { ok: false, problems };
  return {
    ok: true,
    body: {
      recipient: { name: form.name.trim(), address: form.address.trim(), representative: form.representative.trim() },
      items: form.items,
      periodFrom: form.periodFrom,
      periodTo: form.periodTo || null,
      legalGround: form.legalGround,
      consentConfirmation: orNull(form.consentConfirmation),
      note: orNull(form.note),
    },
  };
}

// ---- filters in the URL -------------------------------------------------------------------------------

const oneOf = <T extends string>(list: readonly T[], value: string | null): T | undefined =>
  value !== null && (list as readonly string[]).includes(value) ? (value as T) : undefined;

export const caseStates = ['open', 'overdue', 'closed', 'all'] as const;
export type CaseState = (typeof caseStates)[number];

export interface CaseFilters {
  state: CaseState;
  status?: CaseStatus;
  type?: RequestType;
}

/** `?state=overdue&type=disclosure`: open cases by default. */
export function parseCaseFilters(search: string): CaseFilters {
  const q = new URLSearchParams(search);
  const filters: CaseFilters = { state: oneOf(caseStates, q.get('state')) ?? 'open' };
  const status = oneOf(caseStatuses, q.get('status'));
  const type = oneOf(requestTypes, q.get('type'));
  if (status) filters.status = status;
  if (type) filters.type = type;
  return filters;
}

export function printCaseFilters(f: CaseFilters): string {
  const q = new URLSearchParams();
  if (f.state !== 'open') q.set('state', f.state);
  if (f.status) q.set('status', f.status);
  if (f.type) q.set('type', f.type);
  return q.toString();
}

/** GET /api/privacy/cases query: the state is the server's (open, overdue, closed) or none for all. */
export function caseApiQuery(f: CaseFilters): Record<string, string> & { limit: string } {
  const q: Record<string, string> & { limit: string } = { limit: '500' };
  if (f.state !== 'all') q.state = f.state;
  if (f.status) q.status = f.status;
  if (f.type) q.type = f.type;
  return q;
}

export interface ReceiptFilters {
  site: string;
  /** YYYY-MM-DD, inclusive */
  from: string;
  /** YYYY-MM-DD, inclusive */
  to: string;
  consentId: string;
}

export function parseReceiptFilters(search: string): ReceiptFilters {
  const q = new URLSearchParams(search);
  const day = (v: string | null) => (v && isDay(v) ? v : '');
  return { site: (q.get('site') ?? '').trim(), from: day(q.get('from')), to: day(q.get('to')), consentId: (q.get('consent') ?? '').trim() };
}

export function printReceiptFilters(f: ReceiptFilters): string {
  const q = new URLSearchParams();
  if (f.site.trim()) q.set('site', f.site.trim());
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  if (f.consentId.trim()) q.set('consent', f.consentId.trim());
  return q.toString();
}

/** The problems of a date range: each day real, the end not before the start. */
export function rangeProblems(from: string, to: string): Partial<Record<'from' | 'to', Problem>> {
  const problems: Partial<Record<'from' | 'to', Problem>> = {};
  if (from && !isDay(from)) problems.from = { key: 'problem.date' };
  if (to && !isDay(to)) problems.to = { key: 'problem.date' };
  if (!problems.from && !problems.to && from && to && to < from) problems.to = { key: 'problem.periodOrder' };
  return problems;
}

/** Days of the office's zone as the API's instants: from its first millisecond, to the end of the last day. */
function rangeQuery(from: string, to: string): Record<string, string> {
  const q: Record<string, string> = {};
  if (from) q.from = String(dayStartIn(from, OFFICE_TIME_ZONE));
  if (to) q.to = String(dayStartIn(addDays(to, 1), OFFICE_TIME_ZONE));
  return q;
}

export const RECEIPT_PAGE = 50;
export const AUDIT_PAGE = 50;

export function receiptApiQuery(f: ReceiptFilters, cursor?: string | null): Record<string, string> & { limit: string } {
  const q: Record<string, string> & { limit: string } = { limit: String(RECEIPT_PAGE), ...rangeQuery(f.from, f.to) };
  if (f.site.trim()) q.site = f.site.trim();
  if (f.consentId.trim()) q.consentId = f.consentId.trim();
  if (cursor) q.cursor = cursor;
  return q;
}

/** Every audit action the server writes, in the order the filter lists them. */
export const auditActions = [
  'case.create',
  'case.update',
  'case.transition',
  'case.link',
  'case.export',
  'case.delete',
  'case.suspend',
  'case.document.add',
  'case.document.read',
  'provision.create',
  'export.third_party',
  'release.create',
  'release.items_published',
  'release.method_published',
  'release.provided',
  'release.download',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.password_change',
  'auth.2fa_enable',
  'auth.2fa_disable',
  'user.add',
  'user.change',
  'user.password_reset',
  'token.create',
  'token.revoke',
  'shared_link.create',
  'shared_link.revoke',
  'site.upsert',
  'visitor.delete',
  'visitor.suspend',
  'visitor.withdraw',
  'policy.revision',
  'retention.run',
] as const;
export type AuditAction = (typeof auditActions)[number];
export const auditActionKey = (action: string): MessageKey | null =>
  (auditActions as readonly string[]).includes(action) ? (`act.${action as AuditAction}` as MessageKey) : null;

export interface AuditFilters {
  action: string;
  from: string;
  to: string;
}

export function parseAuditFilters(search: string): AuditFilters {
  const q = new URLSearchParams(search);
  const day = (v: string | null) => (v && isDay(v) ? v : '');
  const action = q.get('action') ?? '';
  return { action: /^[a-z_.]{1,64}$/.test(action) ? action : '', from: day(q.get('from')), to: day(q.get('to')) };
}

export function printAuditFilters(f: AuditFilters): string {
  const q = new URLSearchParams();
  if (f.action) q.set('action', f.action);
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  return q.toString();
}

export function auditApiQuery(f: AuditFilters, cursor?: string | null): Record<string, string> & { limit: string } {
  const q: Record<string, string> & { limit: string } = { limit: String(AUDIT_PAGE), ...rangeQuery(f.from, f.to) };
  if (f.action) q.action = f.action;
  if (cursor) q.cursor = cursor;
  return q;
}

/** `case:12` → 12; anything else null. */
export function caseTarget(target: string | null): number | null {
  const m = /^case:(\d{1,15})$/.exec(target ?? '');
  return m ? Number(m[1]) : null;
}

/** An audit entry's details as short "key: value" pairs, in the order written. */
export function detailPairs(details: Record<string, unknown>): [string, string][] {
  return Object.entries(details).map(([k, v]) => {
    const text = v === null ? '—' : Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return [k, /^[0-9a-f]{64}$/.test(text) ? `${text.slice(0, 12)}…` : text];
  });
}

// ---- a case's history ---------------------------------------------------------------------------------

export type TimelineEvent =
  | { kind: 'received'; at: number; channel: CaseChannel }
  | { kind: 'created'; at: number; actor: string | null }
  | { kind: 'transition'; at: number; actor: string; from: CaseStatus; to: CaseStatus; reason: string | null }
  | { kind: 'update'; at: number; actor: string; changed: string[] }
  | { kind: 'action'; at: number; action: 'export' | 'delete' | 'suspend'; details: Record<string, unknown> };

/**
 * What happened to a case, oldest first: its receipt, its recording, each status change and field change
 * (from the audit log entries targeting it), and each action on the data. Entries for other cases are
 * ignored, so the caller may pass whatever the audit log answered.
 */
export function caseTimeline(c: Pick<CaseDetail, 'id' | 'receivedAt' | 'channel' | 'createdAt' | 'actions'>, audit: readonly AuditEntryView[]): TimelineEvent[] {
  const target = `case:${c.id}`;
  const mine = audit.filter((e) => e.target === target);
  const created = mine.find((e) => e.action === 'case.create');
  const events: TimelineEvent[] = [
    { kind: 'received', at: c.receivedAt, channel: c.channel },
    { kind: 'created', at: c.createdAt, actor: created?.actor ?? null },
  ];
  for (const e of mine) {
    const d = e.details;
    if (e.action === 'case.transition' && typeof d.from === 'string' && typeof d.to === 'string') {
      events.push({ kind: 'transition', at: e.ts, actor: e.actor, from: d.from as CaseStatus, to: d.to as CaseStatus, reason: typeof d.reason === 'string' ? d.reason : null });
    } else if (e.action === 'case.update' && Array.isArray(d.changed)) {
      events.push({ kind: 'update', at: e.ts, actor: e.actor, changed: d.changed.map(String) });
    }
  }
  for (const a of c.actions) events.push({ kind: 'action', at: a.at, action: a.action, details: a.details });
  // stable: same instant keeps the order above (received before recorded, a change before its action)
  return events.map((e, i) => [e, i] as const).sort((a, b) => a[0].at - b[0].at || a[1] - b[1]).map(([e]) => e);
}

// ---- hash chains --------------------------------------------------------------------------------------

export type ChainResult = { ok: true; key: MessageKey; vars: Record<string, number> } | { ok: false; key: MessageKey; vars: Record<string, number>; reason: MessageKey };

/** A verification report as one sentence: intact with its count, or the first bad row and what is wrong with it. */
export function chainResult(report: ChainReport | ReceiptChainReport): ChainResult {
  if (report.ok) {
    return 'redacted' in report
      ? { ok: true, key: 'verify.okReceipts', vars: { n: report.count, r: report.redacted } }
      : { ok: true, key: 'verify.okAudit', vars: { n: report.count } };
  }
  return { ok: false, key: 'verify.bad', vars: { seq: report.firstBadSeq }, reason: `verify.${report.reason}` };
}
