import { Worker } from 'node:worker_threads';
import type { Committer } from './committer.ts';

/**
 * Group commits on a worker thread with its own SQLite connection (WAL lets the main thread keep reading).
 * better-sqlite3 is synchronous: on the main thread, every batch's inserts and fsync would stop request
 * handling for their whole duration.
 */
export function sqliteThreadCommitter(file: string): Committer {
  const worker = new Worker(new URL('./sqlite-commit-worker.mjs', import.meta.url), { workerData: { file } });
  const waiting = new Map<number, { resolve(): void; reject(err: Error): void }>();
  let nextId = 1;
  let failure: Error | null = null;
  // statements travel by number after their first trip: cloning long multi-row SQL on every batch is waste
  const sqlIds = new Map<string, number>();

  worker.on('message', (msg: { id?: number; ok?: boolean; error?: string; type?: string }) => {
    if (msg.id === undefined) return;
    const w = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (msg.ok) w?.resolve();
    else w?.reject(new Error(msg.error ?? 'commit failed'));
  });
  const fail = (err: Error) => {
    failure = err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the writer thread stopped (exit ${code})`)));

  return {
    parallel: 1,
    commit(statements) {
      if (failure) return Promise.reject(failure);
      if (statements.length === 0) return Promise.resolve();
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        const wire = statements.map((st) => {
          let n = sqlIds.get(st.sql);
          if (n !== undefined) return { n, parameters: st.parameters };
          sqlIds.set(st.sql, (n = sqlIds.size));
          return { n, sql: st.sql, parameters: st.parameters };
        });
        worker.postMessage({ id, statements: wire });
      });
    },
    async close() {
      if (failure) return;
      await new Promise<void>((resolve) => {
        const onMessage = (msg: { type?: string }) => {
          if (msg.type !== 'closed') return;
          worker.off('message', onMessage);
          resolve();
        };
        worker.on('message', onMessage);
        worker.postMessage({ type: 'close' });
      });
      await worker.terminate();
    },
  };
}
