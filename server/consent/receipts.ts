import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/schema.ts';
import type { ReceiptRow } from './chain.ts';

/** A point in time as milliseconds since the epoch or an ISO 8601 date/time. */
const instant = z.string().transform((v, ctx) => {
  const ms = /^\d{1,15}$/.test(v) ? Number(v) : Date.parse(v);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: 'expected milliseconds since the epoch or an ISO 8601 date' });
    return z.NEVER;
  }
  return ms;
});

/** GET /api/consent/receipts query: newest first; `cursor` is the `nextCursor` of the previous page. */
export const receiptQuery = z.strictObject({
  site: z.string().min(1).max(128).optional(),
  /** inclusive */
  from: instant.optional(),
  /** exclusive */
  to: instant.optional(),
  consentId: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().regex(/^\d{1,15}$/, 'not a cursor from this API').transform(Number).optional(),
});
export type ReceiptQuery = z.output<typeof receiptQuery>;

/** A receipt as staff see it. Redacted receipts show their place in the chain and no content. */
export interface ReceiptView {
  seq: number;
  ts: number;
  site: string;
  consentId: string | null;
  revision: string | null;
  bannerHash: string | null;
  mode: ReceiptRow['mode'];
  action: ReceiptRow['action'];
  accepted: string[] | null;
  rejected: string[] | null;
  language: ReceiptRow['language'];
  path: string | null;
  ipTrunc: string | null;
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  device: string | null;
  contentHash: string;
  prevHash: string;
  hash: string;
  redactedAt: number | null;
}

export interface ReceiptPage {
  receipts: ReceiptView[];
  nextCursor: string | null;
}

export async function listReceipts(db: Kysely<Database>, q: ReceiptQuery): Promise<ReceiptPage> {
  let query = db.selectFrom('consent_receipts').selectAll();
  if (q.site !== undefined) query = query.where('site_id', '=', q.site);
  if (q.from !== undefined) query = query.where('ts', '>=', q.from);
  if (q.to !== undefined) query = query.where('ts', '<', q.to);
  if (q.consentId !== undefined) query = query.where('consent_id', '=', q.consentId);
  if (q.cursor !== undefined) query = query.where('seq', '<', q.cursor);
  const rows = await query.orderBy('seq', 'desc').limit(q.limit + 1).execute();
  const page = rows.slice(0, q.limit);
  return {
    receipts: page.map(toView),
    nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.seq) : null,
  };
}

const list = (json: string | null): string[] | null => (json === null ? null : (JSON.parse(json) as string[]));

export function toView(r: ReceiptRow): ReceiptView {
  return {
    seq: Number(r.seq),
    ts: Number(r.ts),
    site: r.site_id,
    consentId: r.consent_id,
    revision: r.revision,
    bannerHash: r.banner_hash,
    mode: r.mode,
    action: r.action,
    accepted: list(r.accepted),
    rejected: list(r.rejected),
    language: r.language,
    path: r.path,
    ipTrunc: r.ip_trunc,
    browser: r.browser,
    browserVersion: r.browser_version,
    os: r.os,
    device: r.device,
    contentHash: r.content_hash,
    prevHash: r.prev_hash,
    hash: r.hash,
    redactedAt: r.redacted_at === null ? null : Number(r.redacted_at),
  };
}
