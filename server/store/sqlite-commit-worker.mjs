// Runs in a worker thread: owns the SQLite write connection for the ingest writer, so the inserts and the
// fsync of each group commit happen off the event loop. Plain JavaScript: it must load in any runner.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file, { timeout: 5000 });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
// the visits this connection updates leave no old values in free space (see db.ts)
db.pragma('secure_delete = ON');

// statements arrive with their SQL text once, then only with its number `n`
/** @type {Map<number, string>} */
const texts = new Map();
/** @type {Map<number, import('better-sqlite3').Statement>} */
const prepared = new Map();
const statement = ({ n }) => {
  let s = prepared.get(n);
  if (!s) {
    s = db.prepare(texts.get(n));
    prepared.set(n, s);
  }
  return s;
};

const commit = db.transaction((statements) => {
  for (const st of statements) statement(st).run(st.parameters);
});

parentPort.on('message', (msg) => {
  if (msg.type === 'close') {
    db.close();
    parentPort.postMessage({ type: 'closed' });
    return;
  }
  // remember every text first: a batch that fails half way must not lose the texts of its later statements
  for (const st of msg.statements) if (st.sql !== undefined) texts.set(st.n, st.sql);
  try {
    commit(msg.statements);
    parentPort.postMessage({ id: msg.id, ok: true });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, ok: false, error: String(err?.message ?? err) });
  }
});
