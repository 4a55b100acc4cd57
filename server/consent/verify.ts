import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ConsentChainTable } from '../store/tables/consent.ts';
import { chainHash, contentFields, contentHash, readChain, type ReceiptRow } from './chain.ts';

export type ChainProblem = 'altered' | 'missing' | 'reordered';

export type ChainReport =
  | { ok: true; count: number; redacted: number; anchorSeq: number; head: string }
  | { ok: false; firstBadSeq: number; reason: ChainProblem };

const bad = (firstBadSeq: number, reason: ChainProblem): ChainReport => ({ ok: false, firstBadSeq, reason });

/**
 * Walks the receipts from the anchor (genesis, or the last purged receipt) to the head, in pages, and
 * reports the first row that was edited, deleted or moved. It takes no lock, so it can run beside appends;
 * a purge that runs during the walk is noticed and the walk starts again from the new anchor.
 */
export async function verifyReceiptChain(db: Kysely<Database>, pageSize = 1_000): Promise<ChainReport> {
  for (let attempt = 0; ; attempt++) {
    const start = await readChain(db);
    const report = await walk(db, start, pageSize);
    if (report.ok || attempt >= 2) return report;
    const now = await readChain(db);
    if (Number(now.anchor_seq) === Number(start.anchor_seq)) return report;
  }
}

async function walk(db: Kysely<Database>, chain: ConsentChainTable, pageSize: number): Promise<ChainReport> {
  let prev = chain.anchor_hash;
  let last = Number(chain.anchor_seq);
  let headSeq = Number(chain.head_seq);
  let count = 0;
  let redacted = 0;
  for (;;) {
    const rows = await db.selectFrom('consent_receipts').selectAll().where('seq', '>', last).orderBy('seq').limit(pageSize).execute();
    if (rows.length === 0) {
      const end = await readChain(db);
      headSeq = Number(end.head_seq);
      if (headSeq > last) {
        // an append commits its row with the head, so a row the head names is there now, or it was deleted
        const more = await db.selectFrom('consent_receipts').select('seq').where('seq', '>', last).limit(1).executeTakeFirst();
        if (more) continue;
        return bad(last + 1, 'missing');
      }
      // a head that differs from the last row's hash means that row was rewritten
      if (end.head_hash !== prev) return bad(last, 'altered');
      return { ok: true, count, redacted, anchorSeq: Number(chain.anchor_seq), head: prev };
    }
    for (const row of rows) {
      if (Number(row.seq) > headSeq) {
        // past the head read at the start: appended since, or not appended by the server at all
        headSeq = Number((await readChain(db)).head_seq);
        if (Number(row.seq) > headSeq) return bad(Number(row.seq), 'altered');
      }
      const problem = intact(row) ? await linkProblem(db, row, prev, last, count === 0) : bad(Number(row.seq), 'altered');
      if (problem) return problem;
      prev = row.hash;
      last = Number(row.seq);
      count++;
      if (row.redacted_at !== null) redacted++;
    }
  }
}

/** The row's own hashes match its fields. A redacted row keeps only its content hash, and no content. */
function intact(row: ReceiptRow): boolean {
  if (row.redacted_at === null ? contentHash(row) !== row.content_hash : contentFields.some((f) => row[f] !== null)) return false;
  return chainHash(row.prev_hash, row.ts, row.site_id, row.content_hash) === row.hash;
}

/** Does the row follow the one before it? If not, tell a deletion from a move from a rewrite. */
async function linkProblem(db: Kysely<Database>, row: ReceiptRow, prev: string, last: number, first: boolean): Promise<ChainReport | undefined> {
  const expected = last + 1;
  const seq = Number(row.seq);
  if (row.prev_hash === prev) return seq === expected ? undefined : bad(expected, 'reordered');
  const predecessor = await db.selectFrom('consent_receipts').select('seq').where('hash', '=', row.prev_hash).executeTakeFirst();
  if (predecessor) return bad(expected, 'reordered');
  if (seq > expected) return bad(expected, 'missing');
  // in place, but its predecessor's hash is nowhere: that row was rewritten and re-hashed (or, for the first
  // row after the anchor, the row itself or the anchor was)
  return bad(first ? seq : last, 'altered');
}
