import type { Kysely, Selectable, Transaction, Updateable } from 'kysely';
import { z } from 'zod';
import type { LoadedPolicy } from '../../policy/load.ts';
import { feeableTypes, requestTypes } from '../../policy/wire.ts';
import { cookieIdPattern } from '../ingest/wire.ts';
import type { Database } from '../store/schema.ts';
import type {
  CaseStatus,
  PrivacyCaseActionsTable,
  PrivacyCaseDocumentsTable,
  PrivacyCaseLinksTable,
  PrivacyCasesTable,
  RequestType,
} from '../store/tables/privacy.ts';
import { audit, type AuditActor } from './audit.ts';
import { instant, PrivacyError } from './http.ts';
import type { IdHasher } from './id-hash.ts';
import { caseChannels, caseStatuses, checkStatuses, closedStatuses, identityMethods, identityStatuses, noticeLanguages, textLimits, transitions } from './wire.ts';

/**
 * Privacy-office cases (APPI 32–40): a request or complaint from its receipt to its answer.
 *
 *   received → verifying → awaiting_fee → in_progress → answered | refused
 *
 * Identity is checked (a document from the policy's list, or — for cookie-keyed data — possession of the
 * cookie id); a fee is due only for purpose notification and disclosure, at the policy's amount; a refusal
 * needs one of the policy's non-disclosure reasons; every change is in the audit log, in the same
 * transaction. The due date is the receipt plus the policy's `requests.responseDays`.
 */

// the lists and rules the dashboard shares live in ./wire.ts (and policy/wire.ts); the zod bodies derive from them
export { caseStatuses, closedStatuses, feeableTypes, transitions };

const DAY_MS = 24 * 60 * 60 * 1000;

const identityBody = z.strictObject({
  status: z.enum(identityStatuses),
  method: z.enum(identityMethods).nullable().optional(),
  /** index into the policy's `requests.identityDocuments` */
  document: z.number().int().nonnegative().nullable().optional(),
});

const requesterBody = z.strictObject({
  name: z.string().trim().min(1).max(textLimits.name).nullable().optional(),
  contact: z.string().trim().min(1).max(textLimits.contact).nullable().optional(),
});

export const linkBody = z
  .strictObject({
    cookieId: z.string().regex(cookieIdPattern, 'not a cookie id').optional(),
    consentId: z.string().regex(cookieIdPattern, 'not a consent id').optional(),
  })
  .refine((l) => !!l.cookieId !== !!l.consentId, 'give exactly one of cookieId and consentId');

export const createCaseBody = z.strictObject({
  type: z.enum(requestTypes),
  channel: z.enum(caseChannels),
  receivedAt: instant,
  requester: requesterBody.optional(),
  agent: z.boolean().default(false),
  language: z.enum(noticeLanguages).default('ja'),
  summary: z.string().trim().max(textLimits.summary).nullable().optional(),
  /** yen; defaults to the policy's fee for the type */
  feeDue: z.number().int().nonnegative().max(1_000_000).optional(),
  identity: identityBody.optional(),
  links: z.array(linkBody).max(20).optional(),
});
export type CreateCaseInput = z.output<typeof createCaseBody>;

export const updateCaseBody = z.strictObject({
  requester: requesterBody.optional(),
  agent: z.boolean().optional(),
  agentAuthority: z.enum(checkStatuses).nullable().optional(),
  language: z.enum(noticeLanguages).optional(),
  summary: z.string().trim().max(textLimits.summary).nullable().optional(),
  answerNote: z.string().trim().max(textLimits.answerNote).nullable().optional(),
  identity: identityBody.optional(),
  feeDue: z.number().int().nonnegative().max(1_000_000).optional(),
  /** true: paid now; an instant: paid then; false: not paid after all */
  feePaid: z.union([z.boolean(), instant]).optional(),
});
export type UpdateCaseInput = z.output<typeof updateCaseBody>;

export const transitionBody = z.strictObject({
  to: z.enum(caseStatuses),
  /** required with `to: "refused"`: an id from the policy's `requests.nonDisclosureReasons` */
  reason: z.string().min(1).max(64).optional(),
  answerNote: z.string().trim().max(textLimits.answerNote).nullable().optional(),
});
export type TransitionInput = z.output<typeof transitionBody>;

type CaseRow = Selectable<PrivacyCasesTable>;

export interface CaseView {
  id: number;
  type: RequestType;
  channel: PrivacyCasesTable['channel'];
  receivedAt: number;
  dueAt: number;
  /** past the due date and not answered or refused yet */
  overdue: boolean;
  requester: { name: string | null; contact: string | null };
  agent: boolean;
  agentAuthority: PrivacyCasesTable['agent_authority'];
  language: PrivacyCasesTable['language'];
  identity: { status: PrivacyCasesTable['identity_status']; method: PrivacyCasesTable['identity_method']; document: number | null };
  fee: { due: number; paidAt: number | null };
  status: CaseStatus;
  refusalReason: string | null;
  summary: string | null;
  answerNote: string | null;
  createdAt: number;
  createdBy: number | null;
  updatedAt: number;
  closedAt: number | null;
  purgedAt: number | null;
  /** the statuses a transition may go to now (before its guards) */
  next: CaseStatus[];
}

export interface CaseLinkView {
  id: number;
  kind: PrivacyCaseLinksTable['kind'];
  /** null once purged or deleted by the visitor (the hash stays) */
  value: string | null;
  valueHash: string;
}

export interface CaseActionView {
  id: number;
  at: number;
  actorId: number | null;
  action: PrivacyCaseActionsTable['action'];
  details: Record<string, unknown>;
}

export interface CaseDocumentView {
  id: number;
  name: string | null;
  mediaType: string;
  size: number;
  sha256: string;
  createdAt: number;
  purgedAt: number | null;
}

export interface CaseDetail extends CaseView {
  links: CaseLinkView[];
  actions: CaseActionView[];
  documents: CaseDocumentView[];
}

const num = (v: number | null) => (v === null ? null : Number(v));

export function caseView(r: CaseRow, now: number): CaseView {
  const status = r.status;
  return {
    id: Number(r.id),
    type: r.type,
    channel: r.channel,
    receivedAt: Number(r.received_at),
    dueAt: Number(r.due_at),
    overdue: !closedStatuses.has(status) && now > Number(r.due_at),
    requester: { name: r.requester_name, contact: r.requester_contact },
    agent: r.agent === 1,
    agentAuthority: r.agent_authority,
    language: r.language,
    identity: { status: r.identity_status, method: r.identity_method, document: num(r.identity_document) },
    fee: { due: Number(r.fee_due), paidAt: num(r.fee_paid_at) },
    status,
    refusalReason: r.refusal_reason,
    summary: r.summary,
    answerNote: r.answer_note,
    createdAt: Number(r.created_at),
    createdBy: num(r.created_by),
    updatedAt: Number(r.updated_at),
    closedAt: num(r.closed_at),
    purgedAt: num(r.purged_at),
    next: [...transitions[status]],
  };
}

export function documentView(r: Pick<Selectable<PrivacyCaseDocumentsTable>, 'id' | 'name' | 'media_type' | 'size' | 'sha256' | 'created_at' | 'purged_at'>): CaseDocumentView {
  return {
    id: Number(r.id),
    name: r.name,
    mediaType: r.media_type,
    size: Number(r.size),
    sha256: r.sha256,
    createdAt: Number(r.created_at),
    purgedAt: num(r.purged_at),
  };
}

function checkFee(type: RequestType, fee: number): void {
  if (fee > 0 && !feeableTypes.has(type)) {
    throw new PrivacyError('fee_not_allowed', `a fee may be charged only for purpose_notification or disclosure (APPI 38), not ${type}`);
  }
}

function checkIdentity(policy: LoadedPolicy, identity: NonNullable<CreateCaseInput['identity']>): void {
  const method = identity.method ?? null;
  if (identity.status === 'verified' && !method) throw new PrivacyError('identity_method_required', 'say how the identity was verified (document or cookie)');
  if (method === 'document') {
    const docs = policy.policy.requests.identityDocuments;
    const i = identity.document;
    if (i === undefined || i === null || i >= docs.length) {
      throw new PrivacyError('unknown_identity_document', `document must be the index of one of the policy's ${docs.length} identity documents`);
    }
  } else if (identity.document !== undefined && identity.document !== null) {
    throw new PrivacyError('unknown_identity_document', 'a document index goes with method "document" only');
  }
}

type Db = Kysely<Database> | Transaction<Database>;

async function loadCase(db: Db, id: number): Promise<CaseRow> {
  const row = await db.selectFrom('privacy_cases').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new PrivacyError('not_found', `no case ${id}`, 404);
  return row;
}

export async function addLinks(trx: Db, caseId: number, links: readonly z.output<typeof linkBody>[], hash: IdHasher, now: number): Promise<number> {
  const rows = links.map((l) => {
    const value = (l.cookieId ?? l.consentId)!;
    return { case_id: caseId, kind: l.cookieId ? ('cookie' as const) : ('consent' as const), value, value_hash: hash(value), created_at: now };
  });
  if (rows.length) await trx.insertInto('privacy_case_links').values(rows).execute();
  return rows.length;
}

export interface CaseDeps {
  db: Kysely<Database>;
  policy: LoadedPolicy;
  hash: IdHasher;
}

export async function createCase(deps: CaseDeps, input: CreateCaseInput, actor: AuditActor, now: number): Promise<CaseView> {
  const fee = input.feeDue ?? deps.policy.policy.requests.fees[input.type] ?? 0;
  checkFee(input.type, fee);
  if (input.identity) checkIdentity(deps.policy, input.identity);
  const dueAt = input.receivedAt + deps.policy.policy.requests.responseDays * DAY_MS;
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('privacy_cases')
      .values({
        type: input.type,
        channel: input.channel,
        received_at: input.receivedAt,
        due_at: dueAt,
        requester_name: input.requester?.name ?? null,
        requester_contact: input.requester?.contact ?? null,
        agent: input.agent ? 1 : 0,
        agent_authority: input.agent ? 'pending' : null,
        language: input.language,
        identity_status: input.identity?.status ?? (input.type === 'complaint' ? 'not_required' : 'pending'),
        identity_method: input.identity?.method ?? null,
        identity_document: input.identity?.document ?? null,
        fee_due: fee,
        fee_paid_at: null,
        status: 'received',
        refusal_reason: null,
        summary: input.summary ?? null,
        answer_note: null,
        created_at: now,
        created_by: actor.id,
        updated_at: now,
        closed_at: null,
        purged_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const links = await addLinks(trx, Number(row.id), input.links ?? [], deps.hash, now);
    await audit(trx, actor, 'case.create', { type: input.type, channel: input.channel, fee, links }, { target: `case:${row.id}`, now });
    return caseView(row, now);
  });
}

/** Field changes (not the status). Closed or purged cases are not edited. */
export async function updateCase(deps: CaseDeps, id: number, input: UpdateCaseInput, actor: AuditActor, now: number): Promise<CaseView> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await loadCase(trx, id);
    if (closedStatuses.has(row.status)) throw new PrivacyError('case_closed', `case ${id} is ${row.status}; it can no longer be changed`, 409);
    const set: Updateable<PrivacyCasesTable> = { updated_at: now };
    const changed: string[] = [];
    if (input.requester) {
      if (input.requester.name !== undefined) set.requester_name = input.requester.name;
      if (input.requester.contact !== undefined) set.requester_contact = input.requester.contact;
      changed.push('requester');
    }
    if (input.agent !== undefined) {
      set.agent = input.agent ? 1 : 0;
      set.agent_authority = input.agent ? (input.agentAuthority ?? row.agent_authority ?? 'pending') : null;
      changed.push('agent');
    } else if (input.agentAuthority !== undefined) {
      if (row.agent !== 1 && input.agentAuthority !== null) throw new PrivacyError('not_an_agent', 'the request was not made by an agent');
      set.agent_authority = input.agentAuthority;
      changed.push('agentAuthority');
    }
    if (input.language) (set.language = input.language), changed.push('language');
    if (input.summary !== undefined) (set.summary = input.summary), changed.push('summary');
    if (input.answerNote !== undefined) (set.answer_note = input.answerNote), changed.push('answerNote');
    if (input.identity) {
      checkIdentity(deps.policy, input.identity);
      set.identity_status = input.identity.status;
      set.identity_method = input.identity.method ?? null;
      set.identity_document = input.identity.document ?? null;
      changed.push('identity');
    }
    if (input.feeDue !== undefined) {
      checkFee(row.type, input.feeDue);
      set.fee_due = input.feeDue;
      changed.push('feeDue');
    }
    if (input.feePaid !== undefined) {
      if (input.feePaid !== false && Number(input.feeDue ?? row.fee_due) === 0) throw new PrivacyError('no_fee_due', 'no fee is due on this case', 409);
      set.fee_paid_at = input.feePaid === true ? now : input.feePaid === false ? null : input.feePaid;
      changed.push('feePaid');
    }
    const updated = await trx.updateTable('privacy_cases').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await audit(
      trx,
      actor,
      'case.update',
      { changed, identity: updated.identity_status, feeDue: Number(updated.fee_due), feePaid: updated.fee_paid_at !== null },
      { target: `case:${id}`, now },
    );
    return caseView(updated, now);
  });
}

/** Why `row` may not move to `to`, or null. Refusal reasons are checked by the caller (a 400, not a 409). */
export function transitionProblem(row: Pick<CaseRow, 'status' | 'identity_status' | 'agent' | 'agent_authority' | 'fee_due' | 'fee_paid_at'>, to: CaseStatus): PrivacyError | null {
  if (!transitions[row.status].includes(to)) {
    return new PrivacyError('invalid_transition', `a case that is ${row.status} cannot become ${to} (allowed: ${transitions[row.status].join(', ') || 'none'})`, 409);
  }
  if (to === 'awaiting_fee' && Number(row.fee_due) === 0) return new PrivacyError('no_fee_due', 'no fee is due on this case', 409);
  if (to === 'in_progress' || to === 'answered') {
    if (row.identity_status !== 'verified' && row.identity_status !== 'not_required') {
      return new PrivacyError('identity_not_verified', "the requester's identity has not been verified", 409);
    }
    if (row.agent === 1 && row.agent_authority !== 'verified') return new PrivacyError('agent_not_verified', "the agent's authority has not been verified", 409);
    if (Number(row.fee_due) > 0 && row.fee_paid_at === null) return new PrivacyError('fee_unpaid', 'the fee has not been paid', 409);
  }
  return null;
}

export async function transitionCase(deps: CaseDeps, id: number, input: TransitionInput, actor: AuditActor, now: number): Promise<CaseView> {
  const reasons = deps.policy.policy.requests.nonDisclosureReasons.map((r) => r.id);
  if (input.to === 'refused') {
    if (!input.reason) throw new PrivacyError('reason_required', `a refusal needs a reason: one of ${reasons.join(', ')}`);
    if (!reasons.includes(input.reason)) throw new PrivacyError('unknown_reason', `the policy lists no non-disclosure reason "${input.reason}"`);
  } else if (input.reason !== undefined) {
    throw new PrivacyError('reason_not_allowed', 'a reason goes with a refusal only');
  }
  return deps.db.transaction().execute(async (trx) => {
    const row = await loadCase(trx, id);
    const problem = transitionProblem(row, input.to);
    if (problem) throw problem;
    const closing = closedStatuses.has(input.to);
    const set: Updateable<PrivacyCasesTable> = { status: input.to, updated_at: now };
    if (closing) set.closed_at = now;
    if (input.to === 'refused') set.refusal_reason = input.reason!;
    if (input.answerNote !== undefined) set.answer_note = input.answerNote;
    const updated = await trx.updateTable('privacy_cases').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await audit(trx, actor, 'case.transition', { from: row.status, to: input.to, reason: input.reason ?? null }, { target: `case:${id}`, now });
    return caseView(updated, now);
  });
}

export async function getCase(db: Kysely<Database>, id: number, now: number): Promise<CaseDetail> {
  const row = await loadCase(db, id);
  const [links, actions, documents] = await Promise.all([
    db.selectFrom('privacy_case_links').selectAll().where('case_id', '=', id).orderBy('id').execute(),
    db.selectFrom('privacy_case_actions').selectAll().where('case_id', '=', id).orderBy('id').execute(),
    db
      .selectFrom('privacy_case_documents')
      .select(['id', 'name', 'media_type', 'size', 'sha256', 'created_at', 'purged_at'])
      .where('case_id', '=', id)
      .orderBy('id')
      .execute(),
  ]);
  return {
    ...caseView(row, now),
    links: links.map((l) => ({ id: Number(l.id), kind: l.kind, value: l.value, valueHash: l.value_hash })),
    actions: actions.map((a) => ({ id: Number(a.id), at: Number(a.at), actorId: num(a.actor_id), action: a.action, details: JSON.parse(a.details) as Record<string, unknown> })),
    documents: documents.map(documentView),
  };
}

export const caseListQuery = z.strictObject({
  status: z.enum(caseStatuses).optional(),
  type: z.enum(requestTypes).optional(),
  /** open: not answered or refused; overdue: open and past the due date */
  state: z.enum(['open', 'closed', 'overdue']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type CaseListQuery = z.output<typeof caseListQuery>;

/** Soonest due first. */
export async function listCases(db: Kysely<Database>, q: CaseListQuery, now: number): Promise<CaseView[]> {
  let query = db.selectFrom('privacy_cases').selectAll();
  if (q.status) query = query.where('status', '=', q.status);
  if (q.type) query = query.where('type', '=', q.type);
  if (q.state === 'open' || q.state === 'overdue') query = query.where('status', 'not in', [...closedStatuses]);
  if (q.state === 'closed') query = query.where('status', 'in', [...closedStatuses]);
  if (q.state === 'overdue') query = query.where('due_at', '<', now);
  const rows = await query.orderBy('due_at').orderBy('id').limit(q.limit).execute();
  return rows.map((r) => caseView(r, now));
}

/** The still-present ids a case names, for its actions. */
export async function caseKeys(db: Db, id: number): Promise<{ cookieIds: string[]; consentIds: string[] }> {
  const links = await db.selectFrom('privacy_case_links').select(['kind', 'value']).where('case_id', '=', id).where('value', 'is not', null).execute();
  return {
    cookieIds: links.filter((l) => l.kind === 'cookie').map((l) => l.value!),
    consentIds: links.filter((l) => l.kind === 'consent').map((l) => l.value!),
  };
}

/** Actions on the data (export, delete, suspend) happen while a case is in progress: after identity and fee. */
export async function caseForAction(db: Db, id: number): Promise<CaseRow> {
  const row = await loadCase(db, id);
  if (row.status !== 'in_progress') {
    throw new PrivacyError('case_not_in_progress', `case ${id} is ${row.status}; act on the data once identity (and any fee) are settled and it is in_progress`, 409);
  }
  return row;
}

export async function recordAction(trx: Db, caseId: number, action: PrivacyCaseActionsTable['action'], details: Record<string, unknown>, actor: AuditActor, now: number) {
  await trx.insertInto('privacy_case_actions').values({ case_id: caseId, at: now, actor_id: actor.id, action, details: JSON.stringify(details) }).execute();
  await trx.updateTable('privacy_cases').set({ updated_at: now }).where('id', '=', caseId).execute();
}
