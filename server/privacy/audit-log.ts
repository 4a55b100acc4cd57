import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/schema.ts';
import type { AuditLogTable } from '../store/tables/privacy.ts';
import { instant } from './http.ts';

/** GET /api/privacy/audit query: newest first; `cursor` is the `nextCursor` of the previous page. */
export const auditQuery = z.strictObject({
  action: z.string().min(1).max(64).optional(),
  /** only entries of this staff member */
  actorId: z.coerce.number().int().positive().optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().regex(/^\d{1,15}$/, 'not a cursor from this API').transform(Number).optional(),
});
export type AuditQuery = z.output<typeof auditQuery>;

export interface AuditEntryView {
  seq: number;
  ts: number;
  actorId: number | null;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AuditPage {
  entries: AuditEntryView[];
  nextCursor: string | null;
}

export function auditEntryView(r: AuditLogTable): AuditEntryView {
  return {
    seq: Number(r.seq),
    ts: Number(r.ts),
    actorId: r.actor_id === null ? null : Number(r.actor_id),
    actor: r.actor,
    action: r.action,
    target: r.target,
    details: JSON.parse(r.details) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export async function listAudit(db: Kysely<Database>, q: AuditQuery): Promise<AuditPage> {
  let query = db.selectFrom('audit_log').selectAll();
  if (q.action !== undefined) query = query.where('action', '=', q.action);
  if (q.actorId !== undefined) query = query.where('actor_id', '=', q.actorId);
  if (q.from !== undefined) query = query.where('ts', '>=', q.from);
  if (q.to !== undefined) query = query.where('ts', '<', q.to);
  if (q.cursor !== undefined) query = query.where('seq', '<', q.cursor);
  const rows = await query.orderBy('seq', 'desc').limit(q.limit + 1).execute();
  const page = rows.slice(0, q.limit);
  return { entries: page.map(auditEntryView), nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.seq) : null };
}
