import { createHash } from 'node:crypto';

/**
 * What the hash-chained logs share (consent receipts' verifier in server/consent/verify.ts follows the same
 * rules; the audit log uses this module): rows carry a gap-free `seq`, the hash of the row before them and
 * their own hash; one state row names the head (last appended) and the anchor (last purged, or genesis),
 * so old rows can leave from the front without breaking verification.
 */

export const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

export interface ChainState {
  head_seq: number;
  head_hash: string;
  anchor_seq: number;
  anchor_hash: string;
  anchor_ts: number | null;
}

export interface ChainLink {
  seq: number;
  prev_hash: string;
  hash: string;
}

/** How the verifier reads one chain. */
export interface ChainSource<Row extends ChainLink> {
  state(): Promise<ChainState>;
  /** up to `limit` rows with seq > `after`, in seq order */
  page(after: number, limit: number): Promise<Row[]>;
  /** whether any row carries this hash */
  hasHash(hash: string): Promise<boolean>;
  /** the row's own hash matches its fields */
  intact(row: Row): boolean;
  /** called for each row that verified (e.g. to count redacted receipts) */
  visit?(row: Row): void;
}

export type ChainProblem = 'altered' | 'missing' | 'reordered';

export type ChainReport =
  | { ok: true; count: number; anchorSeq: number; head: string }
  | { ok: false; firstBadSeq: number; reason: ChainProblem };

const bad = (firstBadSeq: number, reason: ChainProblem): ChainReport => ({ ok: false, firstBadSeq, reason });

/**
 * Walks the chain from its anchor to its head, in pages, and reports the first row that was edited, deleted
 * or moved. It takes no lock; a purge that moves the anchor during the walk is noticed and the walk starts
 * again from the new anchor.
 */
export async function verifyChain<Row extends ChainLink>(source: ChainSource<Row>, pageSize = 1_000): Promise<ChainReport> {
  for (let attempt = 0; ; attempt++) {
    const start = await source.state();
    const report = await walk(source, start, pageSize);
    if (report.ok || attempt >= 2) return report;
    const now = await source.state();
    if (Number(now.anchor_seq) === Number(start.anchor_seq)) return report;
  }
}

async function walk<Row extends ChainLink>(source: ChainSource<Row>, state: ChainState, pageSize: number): Promise<ChainReport> {
  let prev = state.anchor_hash;
  let last = Number(state.anchor_seq);
  let headSeq = Number(state.head_seq);
  let count = 0;
  for (;;) {
    const rows = await source.page(last, pageSize);
    if (rows.length === 0) {
      const end = await source.state();
      headSeq = Number(end.head_seq);
      if (headSeq > last) {
        // an append commits its row with the head, so a row the head names is there now, or it was deleted
        if ((await source.page(last, 1)).length) continue;
        return bad(last + 1, 'missing');
      }
      // a head that differs from the last row's hash means that row was rewritten
      if (end.head_hash !== prev) return bad(last, 'altered');
      return { ok: true, count, anchorSeq: Number(state.anchor_seq), head: prev };
    }
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq > headSeq) {
        // past the head read at the start: appended since, or not appended by the server at all
        headSeq = Number((await source.state()).head_seq);
        if (seq > headSeq) return bad(seq, 'altered');
      }
      const problem = source.intact(row) ? await linkProblem(source, row, prev, last, count === 0) : bad(seq, 'altered');
      if (problem) return problem;
      source.visit?.(row);
      prev = row.hash;
      last = seq;
      count++;
    }
  }
}

/** Does the row follow the one before it? If not, tell a deletion from a move from a rewrite. */
async function linkProblem<Row extends ChainLink>(source: ChainSource<Row>, row: Row, prev: string, last: number, first: boolean): Promise<ChainReport | undefined> {
  const expected = last + 1;
  const seq = Number(row.seq);
  if (row.prev_hash === prev) return seq === expected ? undefined : bad(expected, 'reordered');
  if (await source.hasHash(row.prev_hash)) return bad(expected, 'reordered');
  if (seq > expected) return bad(expected, 'missing');
  // in place, but its predecessor's hash is nowhere: that row was rewritten and re-hashed (or, for the first
  // row after the anchor, the row itself or the anchor was)
  return bad(first ? seq : last, 'altered');
}
