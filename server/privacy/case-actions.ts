import type { Kysely } from 'kysely';
import type { LoadedPolicy } from '../../policy/load.ts';
import type { SessionTracker } from '../ingest/sessions.ts';
import type { Database } from '../store/schema.ts';
import { audit, type AuditActor } from './audit.ts';
import { caseForAction, caseKeys, recordAction } from './cases.ts';
import { PrivacyError } from './http.ts';
import type { SuppressionList } from './suppressions.ts';
import { deleteVisitorData, findVisitorDataFor } from './visitor-data.ts';
import { myDataFile, type ExportFile, type ExportFormat } from './visitor-export.ts';
import type { EventStore } from '../store/events/event-store.ts';

/**
 * What the privacy office does for a case with the ids it names — the same functions as the visitor's
 * own /privacy/my-data: disclose (an export file), delete, stop use. Only while the case is in progress
 * (identity verified, any fee paid); each is recorded on the case and in the audit log.
 */

export interface CaseActionDeps {
  db: Kysely<Database>;
  policy: LoadedPolicy;
  suppressions: SuppressionList;
  sessions?: SessionTracker | undefined;
  events?: EventStore | undefined;
}

async function keysFor(db: Kysely<Database>, caseId: number) {
  await caseForAction(db, caseId);
  const keys = await caseKeys(db, caseId);
  if (!keys.cookieIds.length && !keys.consentIds.length) {
    throw new PrivacyError('no_linked_ids', `case ${caseId} names no cookie or consent id (add one with POST /api/privacy/cases/${caseId}/links)`, 409);
  }
  return keys;
}

export async function exportForCase(deps: CaseActionDeps, caseId: number, format: ExportFormat, actor: AuditActor, now: number): Promise<ExportFile & { exportId: number }> {
  const keys = await keysFor(deps.db, caseId);
  const data = await findVisitorDataFor(deps.db, keys, deps.suppressions.has);
  const file = myDataFile(data, keys, deps.policy, now, format);
  const exportId = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('privacy_exports')
      .values({ at: now, actor_id: actor.id, kind: 'case', case_id: caseId, provision_id: null, site_id: null, from_ts: null, to_ts: null, format, rows: file.rows, sha256: file.sha256 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const details = { export: Number(row.id), rows: file.rows, format, sha256: file.sha256 };
    await recordAction(trx, caseId, 'export', details, actor, now);
    await audit(trx, actor, 'case.export', details, { target: `case:${caseId}`, now });
    return Number(row.id);
  });
  return { ...file, exportId };
}

export interface CaseDeletion {
  events: number;
  sessions: number;
  receipts: number;
}

export async function deleteForCase(deps: CaseActionDeps, caseId: number, actor: AuditActor, now: number): Promise<CaseDeletion> {
  const keys = await keysFor(deps.db, caseId);
  const total: CaseDeletion = { events: 0, sessions: 0, receipts: 0 };
  const logIds: number[] = [];
  const pairs = [...keys.cookieIds.map((cookieId) => ({ cookieId })), ...keys.consentIds.map((consentId) => ({ consentId }))];
  for (const pair of pairs) {
    const done = await deleteVisitorData(deps.db, pair, { now, hash: deps.suppressions.hash, source: 'case', caseId, sessions: deps.sessions, events: deps.events });
    total.events += done.events;
    total.sessions += done.sessions;
    total.receipts += done.receipts;
    logIds.push(done.deletionLogId);
  }
  await deps.db.transaction().execute(async (trx) => {
    await recordAction(trx, caseId, 'delete', { ...total, deletionLog: logIds }, actor, now);
    await audit(trx, actor, 'case.delete', { ...total, deletionLog: logIds }, { target: `case:${caseId}`, now });
  });
  return total;
}

export async function suspendForCase(deps: CaseActionDeps, caseId: number, actor: AuditActor, now: number): Promise<{ suppressed: number }> {
  const keys = await keysFor(deps.db, caseId);
  if (!keys.cookieIds.length) throw new PrivacyError('no_linked_ids', `case ${caseId} names no cookie id to stop`, 409);
  let added = 0;
  await deps.db.transaction().execute(async (trx) => {
    for (const id of keys.cookieIds) if ((await deps.suppressions.add(id, 'case', now, trx)).added) added++;
    await recordAction(trx, caseId, 'suspend', { cookieIds: keys.cookieIds.length, added }, actor, now);
    await audit(trx, actor, 'case.suspend', { cookieIds: keys.cookieIds.length, added }, { target: `case:${caseId}`, now });
  });
  return { suppressed: keys.cookieIds.length };
}
