import type { Kysely } from 'kysely';
import type { Database, NewEvent } from '../store/schema.ts';
import type { DialectSql } from '../store/sql.ts';
import { greatest, least } from '../store/sql.ts';

export interface WriterOptions {
  /** flush at most this long after the first queued event */
  maxWaitMs?: number;
  /** flush at once when this many events are queued */
  maxBatch?: number;
}

export interface Writer {
  /** resolves once the event is committed (durable); rejects if the commit failed */
  write(row: NewEvent): Promise<void>;
  /** commits everything queued and refuses new writes; for shutdown */
  drain(): Promise<void>;
  readonly pending: number;
}

interface Waiting {
  row: NewEvent;
  resolve(): void;
  reject(err: unknown): void;
}

/** Column count × rows must stay under SQLite's 32,766 bound parameters. */
const INSERT_CHUNK = 500;

export class WriterClosedError extends Error {
  override name = 'WriterClosedError';
}

/**
 * Group commit: requests wait while events pile up for a few milliseconds, then one transaction (one fsync)
 * stores them all together with their sessions, and only then is every waiting request answered. So an
 * acknowledged event is on disk, and the disk sees a few large writes instead of many small ones.
 */
export function createWriter(db: Kysely<Database>, dialect: DialectSql, options: WriterOptions = {}): Writer {
  const maxWaitMs = options.maxWaitMs ?? 10;
  const maxBatch = options.maxBatch ?? 2000;
  let queue: Waiting[] = [];
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> | null = null;
  let closed = false;

  function schedule() {
    if (flushing || queue.length === 0) return;
    if (queue.length >= maxBatch) {
      if (timer) clearTimeout(timer);
      timer = null;
      void flush();
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = null;
        void flush();
      }, maxWaitMs);
    }
  }

  function flush(): Promise<void> {
    const batch = queue.splice(0, maxBatch);
    flushing = commitEvents(db, dialect, batch.map((w) => w.row)).then(
      () => batch.forEach((w) => w.resolve()),
      (err: unknown) => batch.forEach((w) => w.reject(err)),
    );
    return flushing.finally(() => {
      flushing = null;
      schedule();
    });
  }

  return {
    write(row) {
      if (closed) return Promise.reject(new WriterClosedError('the server is shutting down'));
      return new Promise<void>((resolve, reject) => {
        queue.push({ row, resolve, reject });
        schedule();
      });
    },
    async drain() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      while (flushing || queue.length) {
        if (flushing) await flushing;
        else await flush();
      }
    },
    get pending() {
      return queue.length;
    },
  };
}

interface SessionDelta {
  id: string;
  site_id: string;
  visitor_id: string;
  started_at: number;
  last_seen_at: number;
  entry_path: string | null;
  exit_path: string | null;
  pageviews: number;
  events: number;
}

/** Folds a batch's events into one upsert row per session. */
export function sessionDeltas(rows: readonly NewEvent[]): SessionDelta[] {
  const byId = new Map<string, SessionDelta>();
  for (const r of rows) {
    let s = byId.get(r.session_id);
    if (!s) {
      s = {
        id: r.session_id,
        site_id: r.site_id,
        visitor_id: r.visitor_id,
        started_at: r.ts,
        last_seen_at: r.ts,
        entry_path: null,
        exit_path: null,
        pageviews: 0,
        events: 0,
      };
      byId.set(r.session_id, s);
    }
    if (r.type === 'pageview') {
      s.pageviews++;
      // rows arrive in request order, which may differ slightly from ts order
      if (s.entry_path === null || r.ts < s.started_at) s.entry_path = r.path ?? null;
      if (s.exit_path === null || r.ts >= s.last_seen_at) s.exit_path = r.path ?? null;
    } else {
      s.events++;
    }
    if (r.ts < s.started_at) s.started_at = r.ts;
    if (r.ts > s.last_seen_at) s.last_seen_at = r.ts;
  }
  return [...byId.values()];
}

/** Stores events and folds them into their sessions, in one transaction. */
export async function commitEvents(db: Kysely<Database>, dialect: DialectSql, rows: NewEvent[]): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await trx.insertInto('events').values(rows.slice(i, i + INSERT_CHUNK)).execute();
    }
    const deltas = sessionDeltas(rows);
    for (let i = 0; i < deltas.length; i += INSERT_CHUNK) {
      await trx
        .insertInto('sessions')
        .values(deltas.slice(i, i + INSERT_CHUNK))
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            started_at: least(dialect, eb.ref('sessions.started_at'), eb.ref('excluded.started_at')),
            last_seen_at: greatest(dialect, eb.ref('sessions.last_seen_at'), eb.ref('excluded.last_seen_at')),
            entry_path: eb.fn.coalesce('sessions.entry_path', 'excluded.entry_path'),
            exit_path: eb
              .case()
              .when(eb.and([eb('excluded.exit_path', 'is not', null), eb('excluded.last_seen_at', '>=', eb.ref('sessions.last_seen_at'))]))
              .then(eb.ref('excluded.exit_path'))
              .else(eb.ref('sessions.exit_path'))
              .end(),
            pageviews: eb('sessions.pageviews', '+', eb.ref('excluded.pageviews')),
            events: eb('sessions.events', '+', eb.ref('excluded.events')),
          })),
        )
        .execute();
    }
  });
}
