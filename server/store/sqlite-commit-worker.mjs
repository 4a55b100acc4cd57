// Runs in a worker thread: owns the SQLite write connection for the ingest writer, so the inserts and the
// fsync of each group commit happen off the event loop. Plain JavaScript: it must load in any runner.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file, { timeout: 5000 });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');

/** @type {Map<string, import('better-sqlite3').Statement>} */
const prepared = new Map();
const statement = (sql) => {
  let s = prepared.get(sql);
  if (!s) {
    s = db.prepare(sql);
    if (prepared.size > 256) prepared.clear();
    prepared.set(sql, s);
  }
  return s;
};

const commit = db.transaction((statements) => {
  for (const { sql, parameters } of statements) statement(sql).run(parameters);
});

parentPort.on('message', (msg) => {
  if (msg.type === 'close') {
    db.close();
    parentPort.postMessage({ type: 'closed' });
    return;
  }
  try {
    commit(msg.statements);
    parentPort.postMessage({ id: msg.id, ok: true });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, ok: false, error: String(err?.message ?? err) });
  }
});
