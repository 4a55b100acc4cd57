import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../store/schema.ts';
import { dialects } from '../store/sql.ts';
import { withStatementCache } from '../store/statement-cache.ts';
import { rollupAll } from './rollup.ts';

/** The worker side of rollup-thread.ts: one request at a time, answered with the hours rolled or the error. */
const sqlite = new SqliteDatabase((workerData as { file: string }).file, { timeout: 5000 });
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = FULL');
sqlite.pragma('cache_size = -65536');
sqlite.pragma('secure_delete = ON');
const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });

parentPort!.on('message', async (msg: { type: 'run'; id: number; now: number; maxHours?: number } | { type: 'close' }) => {
  if (msg.type === 'close') {
    await db.destroy();
    parentPort!.postMessage({ type: 'closed' });
    return;
  }
  try {
    const { hours } = await rollupAll(db, dialects.sqlite, msg.now, msg.maxHours);
    parentPort!.postMessage({ id: msg.id, ok: true, hours });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});
