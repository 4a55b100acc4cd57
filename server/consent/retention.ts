import type { Kysely } from 'kysely';
import type { LoadedPolicy } from '../../policy/load.ts';
import type { Database } from '../store/schema.ts';
import { contentFields, lockChain, type ReceiptContent } from './chain.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes receipts older than `retention.consent_receipts_days`. Receipts leave from the front of the chain
 * only (up to the first one still inside its retention, so a clock step backwards cannot punch a hole), and
 * the hash of the last one deleted becomes the anchor the verifier starts from, in the same transaction.
 */
export async function purgeExpiredReceipts(db: Kysely<Database>, policy: LoadedPolicy, now: number): Promise<{ purged: number }> {
  const cutoff = now - policy.policy.retention.consent_receipts_days * DAY_MS;
  return db.transaction().execute(async (trx) => {
    const chain = await lockChain(trx, false);
    const anchorSeq = Number(chain.anchor_seq);
    const firstKept = await trx
      .selectFrom('consent_receipts')
      .select('seq')
      .where('seq', '>', anchorSeq)
      .where('ts', '>=', cutoff)
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
    const lastPurged = firstKept ? Number(firstKept.seq) - 1 : Number(chain.head_seq);
    if (lastPurged <= anchorSeq) return { purged: 0 };
    const last = await trx.selectFrom('consent_receipts').select(['hash', 'ts']).where('seq', '=', lastPurged).executeTakeFirst();
    // re-anchoring past a deleted row would hide the deletion: leave that for a person to look at
    if (!last) throw new Error(`consent receipt ${lastPurged} is missing; run \`ashiato consent verify\``);
    const deleted = await trx.deleteFrom('consent_receipts').where('seq', '<=', lastPurged).executeTakeFirst();
    await trx
      .updateTable('consent_chain')
      .set({ anchor_seq: lastPurged, anchor_hash: last.hash, anchor_ts: last.ts })
      .where('id', '=', 1)
      .execute();
    return { purged: Number(deleted.numDeletedRows) };
  });
}

const blank = Object.fromEntries(contentFields.map((f) => [f, null])) as { [K in keyof ReceiptContent]: null };

/**
 * A visitor's erasure request: blanks the content of every receipt under their consent id, keeping time,
 * site and hashes, so the chain still verifies and the verifier can count what was erased.
 */
export async function redactReceipts(db: Kysely<Database>, consentId: string, now: number): Promise<{ redacted: number }> {
  const result = await db
    .updateTable('consent_receipts')
    .set({ ...blank, redacted_at: now })
    .where('consent_id', '=', consentId)
    .executeTakeFirst();
  return { redacted: Number(result.numUpdatedRows) };
}
