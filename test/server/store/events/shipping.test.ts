import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { commitEvents } from '../../../../server/ingest/writer.ts';
import { createDb } from '../../../../server/store/db.ts';
import { openDuckEventStore } from '../../../../server/store/events/duckdb/engine.ts';
import { sql } from '../../../../server/store/events/duckdb/fragment.ts';
import { sqliteLog } from '../../../../server/store/events/sqlite-log.ts';
import { upsertSite } from '../../../../server/store/sites.ts';
import { testDialect } from '../../../helpers/test-db.ts';
import { scriptedEvents, SITE, T0 } from './scripted-events.ts';

const child = fileURLToPath(new URL('./ship-child.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ashiato-ship-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ledger = join(dir, 'ashiato.sqlite');
const duckFile = join(dir, 'ashiato.events.duckdb');

function runChild(mode: 'before-mark' | 'after-commit'): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, ledger, duckFile, mode], { stdio: 'inherit' });
    p.on('exit', (_code, signal) => resolve(signal));
  });
}

async function shippedState() {
  const events = await openDuckEventStore({ file: duckFile });
  const [row] = await events.db.all(sql`select count(*) as n from events`);
  const [visits] = await events.db.all(sql`select count(*) as n from visits`);
  const state = { events: Number(row!.n), visits: Number(visits!.n), mark: await events.shippedUntil('sqlite:events') };
  await events.close();
  return state;
}

// the DuckDB engine ships from an SQLite ledger only; nothing here depends on the dialect under test
describe.skipIf(testDialect !== 'sqlite')('shipping the SQLite log into DuckDB', () => {
  it('is exactly once across a crash between appending the rows and writing the mark, and one after the commit', { timeout: 60_000 }, async () => {
    const store = await createDb({ kind: 'sqlite', file: ledger });
    await upsertSite(store.db, { id: SITE, hosts: [SITE] }, T0);
    await commitEvents(store.db, store.dialect, scriptedEvents.slice(0, 9));
    await store.close();

    expect(await runChild('before-mark')).toBe('SIGKILL');
    // the rows went in inside the transaction that the crash never committed: nothing is there, mark at 0
    expect(await shippedState()).toEqual({ events: 0, visits: 0, mark: 0 });

    expect(await runChild('after-commit')).toBe('SIGKILL');
    expect(await shippedState()).toEqual({ events: 9, visits: 3, mark: 9 });

    // more events; shipping again takes only the new ones, and a late event joins its visit
    const again = await createDb({ kind: 'sqlite', file: ledger });
    await commitEvents(again.db, again.dialect, scriptedEvents.slice(9));
    const events = await openDuckEventStore({ file: duckFile, source: sqliteLog(again.db) });
    await events.sync();
    await events.sync();
    const [row] = await events.db.all(sql`select count(*) as n, count(distinct session_id) as visits from events`);
    expect([Number(row!.n), Number(row!.visits), await events.shippedUntil('sqlite:events')]).toEqual([12, 5, 12]);
    await events.close();
    await again.close();
  });
});
