import type { Kysely } from 'kysely';
import { kyselyCommitter } from '../store/committer.ts';
import { eventBatchStatements } from '../store/event-batch.ts';
import type { Database, NewEvent } from '../store/schema.ts';
import type { DialectSql } from '../store/sql.ts';

export interface WriterOptions {
  /**
   * how long the first queued event waits for company when the writer is idle. 0 (the default) flushes on
   * the next turn of the event loop: under load, the next batch gathers while the current one commits.
   */
  maxWaitMs?: number;
  /** flush at once when this many events are queued */
  maxBatch?: number;
  /**
   * commits that may be in flight at once (default 1). PostgreSQL commits on several pooled connections in
   * parallel, so while one batch waits for its WAL flush the next can already be on its way.
   */
  concurrency?: number;
}

export interface Writer {
  /** resolves once the event is committed (durable); rejects if the commit failed */
  write(row: NewEvent): Promise<void>;
  /** commits everything queued and refuses new writes; for shutdown */
  drain(): Promise<void>;
  readonly pending: number;
  /** the last commit's outcome (for readiness), or null before the first */
  readonly lastCommit: { ok: boolean; at: number; error?: string } | null;
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
export function createWriter(commit: (rows: NewEvent[]) => Promise<void>, options: WriterOptions = {}): Writer {
  const maxWaitMs = options.maxWaitMs ?? 0;
  const maxBatch = options.maxBatch ?? 2000;
  const concurrency = options.concurrency ?? 1;
  let queue: Waiting[] = [];
  let pendingFlush: { cancel(): void } | null = null;
  const flushing = new Set<Promise<void>>();
  let closed = false;
  let lastCommit: Writer['lastCommit'] = null;

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
    if (flushing.size >= concurrency || queue.length === 0) return;
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
    const done: Promise<void> = commit(batch.map((w) => w.row))
      .then(
        () => {
          lastCommit = { ok: true, at: Date.now() };
          batch.forEach((w) => w.resolve());
        },
        (err: unknown) => {
          lastCommit = { ok: false, at: Date.now(), error: err instanceof Error ? err.message : String(err) };
          batch.forEach((w) => w.reject(err));
        },
      )
      .finally(() => {
        flushing.delete(done);
        schedule();
      });
    flushing.add(done);
    return done;
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
      while (flushing.size || queue.length) {
        if (flushing.size) await Promise.all(flushing);
        else await flush();
      }
    },
    get pending() {
      return queue.length;
    },
    get lastCommit() {
      return lastCommit;
    },
  };
}

/** Stores events with their sessions in one Kysely transaction (demo data, tools, tests). */
export function commitEvents(db: Kysely<Database>, dialect: DialectSql, rows: NewEvent[]): Promise<void> {
  return kyselyCommitter(db).commit(eventBatchStatements(db, dialect)(rows));
}
