/**
 * Run as a child process by shipping.test.ts: ships the ledger's events into DuckDB and is killed with
 * SIGKILL either after the rows went in but before the high-water mark did ("before-mark"), or right after
 * the shipping transaction committed, without closing anything ("after-commit").
 */
import { createDb } from '../../../../server/store/db.ts';
import { openDuckEventStore } from '../../../../server/store/events/duckdb/engine.ts';
import { sqliteLog } from '../../../../server/store/events/sqlite-log.ts';

const [ledger, duckFile, mode] = process.argv.slice(2) as [string, string, 'before-mark' | 'after-commit'];
const store = await createDb({ kind: 'sqlite', file: ledger });
const kill = () => process.kill(process.pid, 'SIGKILL');
const events = await openDuckEventStore({ file: duckFile, source: sqliteLog(store.db), beforeMark: mode === 'before-mark' ? kill : undefined });
await events.sync();
kill();
