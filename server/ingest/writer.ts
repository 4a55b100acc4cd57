import type { Kysely } from 'kysely';
import type { Database, NewEvent } from '../store/schema.ts';
import type { DialectSql } from '../store/sql.ts';
import { greatest, least } from '../store/sql.ts';
import { bulkInserter } from '../store/bulk-insert.ts';

export interface WriterOptions {
  /**
   * how long the first queued event waits for company when the writer is idle. 0 (the default) flushes on
   * the next turn of the event loop: under load, the next batch gathers while the current one commits.
   */
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

export class WriterClosedError extends Error {
  override name = 'WriterClosedError';
}

/**
 * Group commit: requests wait while events pile up for a few milliseconds, then one transaction (one fsync)
 * stores them all together with their sessions, and only then is every waiting request answered. So an
 * acknowledged event is on disk, and the disk sees a few large writes instead of many small ones.
 */
export function createWriter(db: Kysely<Database>, dialect: DialectSql, options: WriterOptions = {}): Writer {
  const maxWaitMs = options.maxWaitMs ?? 0;
  const maxBatch = options.maxBatch ?? 2000;
  let queue: Waiting[] = [];
  let pendingFlush: { cancel(): void } | null = null;
  let flushing: Promise<void> | null = null;
  let closed = false;

  function later(fn: () => void): { cancel(): void } {
    if (maxWaitMs > 0) {
      const t = setTimeout(fn, maxWaitMs);
      return { cancel: () => clearTimeout(t) };
    }
    const i = setImmediate(fn);
    return { cancel: () => clearImmediate(i) };
  }

  function cancelPending() {
    pendingFlush?.cancel();
    pendingFlush = null;
  }

  function schedule() {
    if (flushing || queue.length === 0) return;
    if (queue.length >= maxBatch) {
      cancelPending();
      void flush();
    } else if (!pendingFlush) {
      pendingFlush = later(() => {
        pendingFlush = null;
        void flush();
      });
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
      cancelPending();
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

const eventColumns = [
  'ts', 'site_id', 'type', 'name', 'path', 'query', 'title', 'referrer_host', 'referrer_path',
  'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'country', 'browser',
  'browser_version', 'os', 'device', 'language', 'ip_trunc', 'visitor_id', 'visitor_kind', 'session_id', 'props',
] as const satisfies readonly (keyof NewEvent)[];

const sessionColumns = [
  'id', 'site_id', 'visitor_id', 'started_at', 'last_seen_at', 'entry_path', 'exit_path', 'pageviews', 'events',
] as const satisfies readonly (keyof SessionDelta)[];

/** One prepared pair of statements per dialect; the SQL is Kysely's, only compiled once. */
function statementsFor(db: Kysely<Database>, dialect: DialectSql) {
  const insertEvents = bulkInserter<NewEvent>(eventColumns, (rows) => db.insertInto('events').values(rows));
  const upsertSessions = bulkInserter<SessionDelta>(sessionColumns, (rows) =>
    db
      .insertInto('sessions')
      .values(rows)
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
      ),
  );
  return { insertEvents, upsertSessions };
}

const statements = new WeakMap<Kysely<Database>, ReturnType<typeof statementsFor>>();

/** Stores events and folds them into their sessions, in one transaction. */
export async function commitEvents(db: Kysely<Database>, dialect: DialectSql, rows: NewEvent[]): Promise<void> {
  if (rows.length === 0) return;
  let st = statements.get(db);
  if (!st) statements.set(db, (st = statementsFor(db, dialect)));
  const { insertEvents, upsertSessions } = st;
  await db.transaction().execute(async (trx) => {
    await insertEvents(trx, rows);
    await upsertSessions(trx, sessionDeltas(rows));
  });
}
