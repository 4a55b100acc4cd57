/** Row types of the consent tables (their migration: server/store/migrations/2026-11-23-consent.ts). */

export type ConsentAction = 'accept_all' | 'reject_all' | 'custom' | 'withdraw' | 'gpc';

/**
 * Proof of consent: one row per choice a visitor made in the banner, hash-chained in `seq` order.
 * `hash` covers `prev_hash`, `ts`, `site_id` and `content_hash`; `content_hash` covers every other field.
 * A redacted row (a visitor's erasure request) has its content blanked but keeps `content_hash`, so the
 * chain still verifies and no content can be forged in its place.
 */
export interface ConsentReceiptsTable {
  /** position in the chain, assigned from `consent_chain.head_seq` under its lock: gap-free */
  seq: number;
  ts: number;
  site_id: string;
  /** random id of the visitor's chain of choices (the banner keeps it in the `ashiato_consent` cookie) */
  consent_id: string | null;
  /** policy revision id the banner showed */
  revision: string | null;
  /** SHA-256 hex of the exact banner text shown */
  banner_hash: string | null;
  mode: 'opt-in' | 'notice' | 'opt-out' | null;
  action: ConsentAction | null;
  /** JSON array of category ids */
  accepted: string | null;
  /** JSON array of category ids */
  rejected: string | null;
  language: 'ja' | 'en' | null;
  /** scrubbed path of the page the banner was on */
  path: string | null;
  /** the truncated address only; the full one never leaves memory */
  ip_trunc: string | null;
  browser: string | null;
  browser_version: string | null;
  os: string | null;
  device: string | null;
  content_hash: string;
  prev_hash: string;
  hash: string;
  /** when the content was blanked on the visitor's request; null otherwise */
  redacted_at: number | null;
}

/**
 * One row (id 1): the chain's head (last appended) and anchor (last purged, or genesis). Appends and purges
 * update this row first, which locks it until they commit, so they are serialized on every database.
 */
export interface ConsentChainTable {
  id: number;
  head_seq: number;
  head_hash: string;
  anchor_seq: number;
  anchor_hash: string;
  /** time of the last purged receipt, null before the first purge */
  anchor_ts: number | null;
}

export interface ConsentTables {
  consent_receipts: ConsentReceiptsTable;
  consent_chain: ConsentChainTable;
}
