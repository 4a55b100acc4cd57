import { Worker } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { Store } from '../store/db.ts';
import type { DialectSql } from '../store/sql.ts';
import { rollupAll } from './rollup.ts';

/**
 * Who runs the rollup job. On an SQLite file a busy hour is seconds of synchronous work (about 3 s at 10 M
 * events a month), so it runs on a worker thread with its own connection; WAL lets it read and write
 * beside the main thread's readers and the writer thread. In memory (tests) and on PostgreSQL (async I/O)
 * it runs in this thread.
 */
export interface RollupRunner {
  run(now: number, maxHours?: number): Promise<{ hours: number; offThread: boolean }>;
  close(): Promise<void>;
}

export function inProcessRollups(db: Kysely<Database>, dialect: DialectSql): RollupRunner {
  return {
    run: async (now, maxHours) => ({ hours: (await rollupAll(db, dialect, now, maxHours)).hours, offThread: false }),
    close: async () => {},
  };
}

/** The runner a store wants: a thread of its own for an SQLite file, else this thread. Close it before the store. */
export function rollupRunnerFor(store: Pick<Store, 'db' | 'dialect' | 'sqliteFile'>): RollupRunner {
  return store.sqliteFile ? sqliteRollupThread(store.sqliteFile) : inProcessRollups(store.db, store.dialect);
}

/** A rollup thread for an SQLite file, started on the first run; overlapping runs share the one in flight. */
export function sqliteRollupThread(file: string): RollupRunner {
  let worker: Worker | null = null;
  let inFlight: Promise<{ hours: number; offThread: boolean }> | null = null;
  let nextId = 1;

  const start = () => {
    const w = new Worker(new URL('./rollup-worker.mjs', import.meta.url), { workerData: { file } });
    // a crashed thread is replaced on the next run; its run's caller hears why
    w.on('exit', () => {
      if (worker === w) worker = null;
    });
    return w;
  };

  const ask = (now: number, maxHours?: number) =>
    new Promise<{ hours: number; offThread: boolean }>((resolve, reject) => {
      const w = (worker ??= start());
      const id = nextId++;
      const onMessage = (msg: { id?: number; ok?: boolean; hours?: number; error?: string }) => {
        if (msg.id !== id) return;
        done();
        if (msg.ok) resolve({ hours: msg.hours ?? 0, offThread: true });
        else reject(new Error(msg.error ?? 'rollup failed'));
      };
      const onExit = (code: number) => {
        done();
        reject(new Error(`the rollup thread stopped (exit ${code})`));
      };
      const onError = (err: Error) => {
        done();
        reject(err);
      };
      const done = () => {
        w.off('message', onMessage);
        w.off('exit', onExit);
        w.off('error', onError);
      };
      w.on('message', onMessage);
      w.on('exit', onExit);
      w.on('error', onError);
      w.postMessage({ type: 'run', id, now, maxHours });
    });

  return {
    run(now, maxHours) {
      inFlight ??= ask(now, maxHours).finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    async close() {
      const w = worker;
      if (!w) return;
      worker = null;
      await inFlight?.catch(() => {});
      await new Promise<void>((resolve) => {
        const onMessage = (msg: { type?: string }) => {
          if (msg.type === 'closed') resolve();
        };
        w.on('message', onMessage);
        w.once('exit', () => resolve());
        w.postMessage({ type: 'close' });
      });
      await w.terminate();
    },
  };
}
