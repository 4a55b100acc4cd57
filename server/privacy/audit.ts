import { userInfo } from 'node:os';
import type { Kysely, Transaction } from 'kysely';
import type { LoadedPolicy } from '../../policy/load.ts';
import type { AuthUser } from '../env.ts';
import { sha256, verifyChain, type ChainReport, type ChainSource } from '../store/hash-chain.ts';
import type { Database } from '../store/schema.ts';
import type { AuditChainTable, AuditLogTable } from '../store/tables/privacy.ts';

/**
 * The staff audit log: one hash-chained row per staff action (sign-ins, exports, case changes, deletions,
 * provision records, policy changes, retention runs). Each row's hash covers the previous hash and every
 * field, so an edited, deleted or reordered row is found by `verifyAuditLog` (`ashiato audit verify`).
 * Details hold counts and record ids, never a visitor's data.
 */

/** prev_hash of the first entry ever (the migration inserts the same value as a literal). */
export const AUDIT_GENESIS = sha256('ashiato audit log v1');

/** Who did it: a staff member, or the system (a job, the command line). */
export interface AuditActor {
  id: number | null;
  /** the staff member's e-mail, or `system:<job>` / `cli` */
  label: string;
}

export type AuditDetails = Record<string, string | number | boolean | null | readonly (string | number)[]>;

export const systemActor = (job: string): AuditActor => ({ id: null, label: `system:${job}` });
/** A visitor acting on their own data through /privacy/my-data: never named, their ids never logged. */
export const visitorActor: AuditActor = { id: null, label: 'visitor' };

/** A command run on the server: the operating-system account that ran it is who acted. */
export const cliActor = (osUser: string = currentOsUser()): AuditActor => ({ id: null, label: `cli:${osUser}` });

function currentOsUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? 'unknown';
  }
}

export function actorOf(user: Pick<AuthUser, 'id' | 'email' | 'via'>): AuditActor {
  return { id: user.id, label: user.via === 'token' ? `${user.email} (API token)` : user.email };
}

type Db = Kysely<Database> | Transaction<Database>;

export function auditHash(prevHash: string, row: Pick<AuditLogTable, 'ts' | 'actor_id' | 'actor' | 'action' | 'target' | 'details'>): string {
  // Number(): PostgreSQL drivers may hand bigints back as strings
  return sha256(
    JSON.stringify(['ashiato-audit-v1', prevHash, Number(row.ts), row.actor_id === null ? null : Number(row.actor_id), row.actor, row.action, row.target, row.details]),
  );
}

function lockAuditChain(trx: Transaction<Database>, bumpHead: boolean): Promise<AuditChainTable> {
  return trx
    .updateTable('audit_chain')
    .set((eb) => ({ head_seq: eb('head_seq', '+', bumpHead ? 1 : 0) }))
    .where('id', '=', 1)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface AuditOptions {
  target?: string | null;
  /** defaults to Date.now(); pass the app's clock */
  now?: number;
}

/**
 * Appends one entry. Inside a transaction (`db` is a Transaction) it joins it, so an action and its entry
 * commit together; otherwise it runs in its own.
 */
export async function audit(db: Db, actor: AuditActor, action: string, details: AuditDetails = {}, options: AuditOptions = {}): Promise<AuditLogTable> {
  const append = async (trx: Transaction<Database>) => {
    const head = await lockAuditChain(trx, true);
    const fields = {
      ts: options.now ?? Date.now(),
      actor_id: actor.id,
      actor: actor.label,
      action,
      target: options.target ?? null,
      details: JSON.stringify(details),
    };
    const row: AuditLogTable = { seq: Number(head.head_seq), ...fields, prev_hash: head.head_hash, hash: auditHash(head.head_hash, fields) };
    await trx.insertInto('audit_log').values(row).execute();
    await trx.updateTable('audit_chain').set({ head_hash: row.hash }).where('id', '=', 1).execute();
    return row;
  };
  return db.isTransaction ? append(db as Transaction<Database>) : db.transaction().execute(append);
}

export function auditChainSource(db: Kysely<Database>): ChainSource<AuditLogTable> {
  return {
    state: () => db.selectFrom('audit_chain').selectAll().where('id', '=', 1).executeTakeFirstOrThrow(),
    page: (after, limit) => db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(limit).execute(),
    hasHash: async (hash) => !!(await db.selectFrom('audit_log').select('seq').where('hash', '=', hash).executeTakeFirst()),
    intact: (row) => auditHash(row.prev_hash, row) === row.hash,
  };
}

export function verifyAuditLog(db: Kysely<Database>, pageSize?: number): Promise<ChainReport> {
  return verifyChain(auditChainSource(db), pageSize);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Entries past `retention.audit_log_days` that a purge would remove (leaving from the front only). */
export async function expiredAuditEntries(db: Db, policy: LoadedPolicy, now: number): Promise<{ lastSeq: number; count: number } | null> {
  const cutoff = now - policy.policy.retention.audit_log_days * DAY_MS;
  const chain = await db.selectFrom('audit_chain').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  const anchorSeq = Number(chain.anchor_seq);
  const firstKept = await db.selectFrom('audit_log').select('seq').where('seq', '>', anchorSeq).where('ts', '>=', cutoff).orderBy('seq').limit(1).executeTakeFirst();
  const lastSeq = firstKept ? Number(firstKept.seq) - 1 : Number(chain.head_seq);
  return lastSeq > anchorSeq ? { lastSeq, count: lastSeq - anchorSeq } : null;
}

/**
 * Deletes entries older than `retention.audit_log_days`, from the front of the chain only (up to the first
 * entry still inside its retention), and makes the last deleted entry's hash the anchor, in one transaction:
 * the rest still verifies, and a deleted entry in the middle is still found.
 */
export async function purgeExpiredAudit(db: Kysely<Database>, policy: LoadedPolicy, now: number): Promise<{ purged: number }> {
  return db.transaction().execute(async (trx) => {
    await lockAuditChain(trx, false);
    const expired = await expiredAuditEntries(trx, policy, now);
    if (!expired) return { purged: 0 };
    const last = await trx.selectFrom('audit_log').select(['hash', 'ts']).where('seq', '=', expired.lastSeq).executeTakeFirst();
    // re-anchoring past a deleted row would hide the deletion: leave that for a person to look at
    if (!last) throw new Error(`audit entry ${expired.lastSeq} is missing; run \`ashiato audit verify\``);
    const deleted = await trx.deleteFrom('audit_log').where('seq', '<=', expired.lastSeq).executeTakeFirst();
    await trx
      .updateTable('audit_chain')
      .set({ anchor_seq: expired.lastSeq, anchor_hash: last.hash, anchor_ts: last.ts })
      .where('id', '=', 1)
      .execute();
    return { purged: Number(deleted.numDeletedRows) };
  });
}

/**
 * Records the policy revision in force when it differs from the last one recorded: call at start-up, so
 * every change of the policy file is in the log with the revision ids before and after.
 */
export async function auditPolicyRevision(db: Kysely<Database>, loaded: LoadedPolicy, now: number, actor: AuditActor = systemActor('start')): Promise<boolean> {
  const last = await db.selectFrom('audit_log').select('details').where('action', '=', 'policy.revision').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const previous = last ? (JSON.parse(last.details) as { revision?: string }).revision ?? null : null;
  if (previous === loaded.revision) return false;
  const lastRevision = loaded.policy.revisions.at(-1)!;
  await audit(db, actor, 'policy.revision', { revision: loaded.revision, previous, revisedOn: lastRevision.date }, { now });
  return true;
}
