import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { SuppressionsTable } from '../store/tables/privacy.ts';
import { loadIdHasher, type IdHasher } from './id-hash.ts';

/**
 * Cookie ids whose use was stopped (the visitor's "suspend" or "withdraw" on /privacy/my-data, or a case).
 * Ingest asks `has(cookieId)` for every event that carries one, so the answer comes from memory: a set of
 * keyed hashes loaded at start and updated by `add`. The table keeps only the hashes.
 *
 * With several processes on one database, call `refresh()` periodically (a job) so each learns of the
 * others' additions.
 */
export interface SuppressionList {
  /** whether the cookie id's use is stopped (synchronous: on the ingest hot path) */
  has(cookieId: string): boolean;
  add(cookieId: string, reason: SuppressionsTable['reason'], now: number, db?: Kysely<Database> | Transaction<Database>): Promise<{ added: boolean }>;
  /** reloads the table (other processes' additions, rows purged by retention) */
  refresh(): Promise<number>;
  /** the keyed hash used for the table, the deletion log and case links */
  hash: IdHasher;
  size(): number;
}

export async function loadSuppressions(db: Kysely<Database>): Promise<SuppressionList> {
  const hash = await loadIdHasher(db);
  let hashes = new Set<string>();
  const refresh = async () => {
    const rows = await db.selectFrom('suppressions').select('id_hash').execute();
    hashes = new Set(rows.map((r) => r.id_hash));
    return hashes.size;
  };
  await refresh();
  return {
    // no HMAC at all while nobody has asked: the common case on the hot path
    has: (cookieId) => hashes.size > 0 && hashes.has(hash(cookieId)),
    async add(cookieId, reason, now, on = db) {
      const id_hash = hash(cookieId);
      const result = await on
        .insertInto('suppressions')
        .values({ id_hash, reason, created_at: now })
        .onConflict((oc) => oc.column('id_hash').doNothing())
        .executeTakeFirst();
      hashes.add(id_hash);
      return { added: Number(result.numInsertedOrUpdatedRows ?? 0) > 0 };
    },
    refresh,
    hash,
    size: () => hashes.size,
  };
}
