import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { SessionLookup } from './sessions.ts';

type Found = Awaited<ReturnType<SessionLookup>>;

interface Question {
  site: string;
  visitor: string;
  ts: number;
  resolve(found: Found): void;
  reject(err: unknown): void;
}

/** visitors per query: well under every database's limit on bound values */
const MAX_BATCH = 500;

/**
 * The visitor's newest visit still open at `ts`, from the sessions table (through the visitor_id index),
 * asked only for a visitor this process has no open visit for. Questions are batched the way the writer
 * batches commits: one query at a time, and the questions that arrive meanwhile go together in the next,
 * so a burst of new visitors costs a few queries rather than one each.
 */
export function openSessionLookup(db: Kysely<Database>, idleMs: number): SessionLookup {
  let queue: Question[] = [];
  let busy = false;

  async function run() {
    while (queue.length) {
      const batch = queue.splice(0, MAX_BATCH);
      try {
        const rows = await db
          .selectFrom('sessions')
          .select(['id', 'site_id', 'visitor_id', 'started_at', 'last_seen_at'])
          .where('visitor_id', 'in', [...new Set(batch.map((q) => q.visitor))])
          .where('last_seen_at', '>', Math.min(...batch.map((q) => q.ts)) - idleMs)
          .execute();
        for (const q of batch) q.resolve(newestOpen(rows, q, idleMs));
      } catch (err) {
        for (const q of batch) q.reject(err);
      }
    }
    busy = false;
  }

  return (site, visitor, ts) =>
    new Promise<Found>((resolve, reject) => {
      queue.push({ site, visitor, ts, resolve, reject });
      if (!busy) {
        busy = true;
        setImmediate(run);
      }
    });
}

type Row = { id: string; site_id: string; visitor_id: string; started_at: number; last_seen_at: number };

function newestOpen(rows: readonly Row[], q: Question, idleMs: number): Found {
  let best: Row | undefined;
  for (const r of rows) {
    if (r.site_id !== q.site || r.visitor_id !== q.visitor) continue;
    if (Number(r.last_seen_at) <= q.ts - idleMs || Number(r.started_at) >= q.ts + idleMs) continue;
    if (!best || Number(r.last_seen_at) > Number(best.last_seen_at)) best = r;
  }
  return best && { id: best.id, last_seen_at: Number(best.last_seen_at) };
}
