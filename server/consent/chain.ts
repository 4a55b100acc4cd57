import type { Kysely, Transaction } from 'kysely';
import { sha256 } from '../store/hash-chain.ts';
import type { Database } from '../store/schema.ts';
import type { ConsentChainTable, ConsentReceiptsTable } from '../store/tables/consent.ts';

/**
 * The receipts' hash chain. Each row's hash covers the previous row's hash, its own time and site, and the
 * hash of its content; both serializations are JSON arrays in a fixed order with a version tag, so they
 * never depend on key order or on code elsewhere. Changing either function invalidates every stored chain.
 */

/** prev_hash of the first receipt ever (the migration inserts the same value as a literal). */
export const GENESIS_HASH = sha256('ashiato consent receipts v1');

/** The fields `content_hash` covers, in their fixed order. */
export const contentFields = [
  'consent_id',
  'revision',
  'banner_hash',
  'mode',
  'action',
  'accepted',
  'rejected',
  'language',
  'path',
  'ip_trunc',
  'browser',
  'browser_version',
  'os',
  'device',
] as const satisfies readonly (keyof ConsentReceiptsTable)[];

export type ReceiptContent = Pick<ConsentReceiptsTable, (typeof contentFields)[number]>;
export type ReceiptRow = ConsentReceiptsTable;

export function contentHash(content: ReceiptContent): string {
  return sha256(JSON.stringify(['ashiato-receipt-content-v1', ...contentFields.map((f) => content[f])]));
}

export function chainHash(prevHash: string, ts: number, siteId: string, contentHashHex: string): string {
  // Number(): PostgreSQL drivers may hand bigints back as strings
  return sha256(JSON.stringify(['ashiato-receipt-v1', prevHash, Number(ts), siteId, contentHashHex]));
}

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Updates the chain row and returns it: the UPDATE holds the row's lock until the transaction ends (a row
 * lock on PostgreSQL, which waits for and then sees a concurrent append's commit; the database write lock on
 * SQLite), so no dialect-specific `FOR UPDATE` is needed.
 */
export function lockChain(trx: Transaction<Database>, bumpHead: boolean): Promise<ConsentChainTable> {
  return trx
    .updateTable('consent_chain')
    .set((eb) => ({ head_seq: eb('head_seq', '+', bumpHead ? 1 : 0) }))
    .where('id', '=', 1)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function readChain(db: Db): Promise<ConsentChainTable> {
  return db.selectFrom('consent_chain').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
}

/** Appends one receipt at the head of the chain, in one transaction with the head's update. */
export async function appendReceipt(db: Kysely<Database>, receipt: ReceiptContent & { ts: number; site_id: string }): Promise<ReceiptRow> {
  return db.transaction().execute(async (trx) => {
    const head = await lockChain(trx, true);
    const content_hash = contentHash(receipt);
    const row: ReceiptRow = {
      ...receipt,
      seq: Number(head.head_seq),
      content_hash,
      prev_hash: head.head_hash,
      hash: chainHash(head.head_hash, receipt.ts, receipt.site_id, content_hash),
      redacted_at: null,
    };
    await trx.insertInto('consent_receipts').values(row).execute();
    await trx.updateTable('consent_chain').set({ head_hash: row.hash }).where('id', '=', 1).execute();
    return row;
  });
}
