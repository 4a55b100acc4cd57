import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEvents } from '../../../server/demo/generate.ts';
import { commitEvents } from '../../../server/ingest/writer.ts';
import { inProcessRollups, rollupRunnerFor, type RollupRunner } from '../../../server/jobs/rollup-thread.ts';
import { createDb, type Store } from '../../../server/store/db.ts';
import { upsertSite } from '../../../server/store/sites.ts';

const now = Date.UTC(2026, 10, 20, 3, 0, 0);
let dir: string;
let store: Store;
let rollups: RollupRunner;

const rolled = async () => ({
  hourly: await store.db.selectFrom('stats_hourly').selectAll().orderBy('hour').execute(),
  dims: await store.db.selectFrom('stats_dims_hourly').selectAll().orderBy('hour').orderBy('dimension').orderBy('value').execute(),
  daily: await store.db.selectFrom('stats_daily').selectAll().orderBy('day').execute(),
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ashiato-rollup-thread-'));
  store = await createDb({ kind: 'sqlite', file: join(dir, 'ashiato.sqlite') });
  rollups = rollupRunnerFor(store);
  await upsertSite(store.db, { id: 'example.com', hosts: ['example.com'] }, now);
  await commitEvents(store.db, store.dialect, [...demoEvents({ siteId: 'example.com', days: 3, now, visitorsPerWeekday: 40 })]);
});
afterAll(async () => {
  await rollups.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('rollups of an SQLite file', () => {
  it('run on a thread of their own, and give what the same rollup gives in this thread', async () => {
    // two runs asked for at once share the one in flight
    const [a, b] = await Promise.all([rollups.run(now), rollups.run(now)]);
    expect(a).toEqual(b);
    expect(a.offThread).toBe(true);
    expect(a.hours).toBeGreaterThan(48);
    const onThread = await rolled();
    expect(onThread.hourly.length).toBeGreaterThan(0);

    await store.db.deleteFrom('stats_state').execute();
    for (const t of ['stats_hourly', 'stats_dims_hourly', 'stats_daily', 'stats_seen'] as const) await store.db.deleteFrom(t).execute();
    const here = await inProcessRollups(store.db, store.dialect).run(now);
    expect(here).toEqual({ hours: a.hours, offThread: false });
    expect(await rolled()).toEqual(onThread);
  });
});
