import { afterEach, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../policy/load.ts';
import { createSaltStore, SALT_LEAD_MS } from '../../../server/ingest/salts.ts';
import { createSessionTracker } from '../../../server/ingest/sessions.ts';
import type { TaskContext } from '../../../server/jobs/tasks.ts';
import { rollupRunnerFor } from '../../../server/jobs/rollup-thread.ts';
import type { Store } from '../../../server/store/db.ts';
import { createTestDb } from '../../helpers/test-db.ts';
import { DAY, HOUR, fakeClock } from '../../helpers/app.ts';

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const salts = (s: Store) => s.db.selectFrom('salts').selectAll().orderBy('created_at').execute();

describe('daily salts', () => {
  it('are random, rotate every 24 h and are deleted after 48 h', async () => {
    store = await createTestDb();
    const clock = fakeClock();
    const s = createSaltStore(store.db, 48);
    await s.load(clock());
    const [first] = await salts(store);
    expect(first!.secret).toMatch(/^[0-9a-f]{64}$/);
    const h1 = s.visitorHash('example.com', '203.0.113.77', 'UA', clock());

    clock.advance(23 * HOUR);
    expect(await s.rotate(clock())).toEqual({ created: false, deleted: 0 });
    expect(s.visitorHash('example.com', '203.0.113.77', 'UA', clock())).toBe(h1);

    clock.advance(1 * HOUR);
    expect(await s.rotate(clock())).toEqual({ created: true, deleted: 0 });
    const h2 = s.visitorHash('example.com', '203.0.113.77', 'UA', clock());
    expect(h2).not.toBe(h1);
    expect(await salts(store)).toHaveLength(2);

    clock.advance(DAY);
    const third = await s.rotate(clock());
    expect(third).toEqual({ created: true, deleted: 1 });
    const left = await salts(store);
    expect(left).toHaveLength(2);
    expect(left.map((r) => r.secret)).not.toContain(first!.secret);
  });

  it('two salts made at the same moment still differ (not derived from the date)', async () => {
    store = await createTestDb();
    const other = await createTestDb();
    const now = Date.UTC(2026, 10, 22);
    await createSaltStore(store.db, 48).load(now);
    await createSaltStore(other.db, 48).load(now);
    const [a] = await salts(store);
    const [b] = await salts(other);
    expect(a!.secret).not.toBe(b!.secret);
    await other.close();
  });

  it('hashes depend on site, address and user agent', async () => {
    store = await createTestDb();
    const s = createSaltStore(store.db, 48);
    const now = Date.now();
    await s.load(now);
    const base = s.visitorHash('a', '203.0.113.77', 'UA', now);
    expect(s.visitorHash('b', '203.0.113.77', 'UA', now)).not.toBe(base);
    expect(s.visitorHash('a', '203.0.113.78', 'UA', now)).not.toBe(base);
    expect(s.visitorHash('a', '203.0.113.77', 'UA2', now)).not.toBe(base);
    expect(base).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('the rotation job runs from the job table', async () => {
    const { tasks, runTask } = await import('../../../server/jobs/tasks.ts');
    store = await createTestDb();
    const clock = fakeClock();
    const s = createSaltStore(store.db, 48);
    await s.load(clock());
    clock.advance(DAY);
    const rotate = tasks.find((t) => t.name === 'rotate-salts')!;
    expect(await runTask(rotate, jobContext(store, clock, s))).toMatchObject({ created: true });
  });

  it('the next salt is written minutes ahead and takes effect exactly a day after the last', async () => {
    store = await createTestDb();
    const clock = fakeClock();
    const s = createSaltStore(store.db, 48);
    await s.load(clock());
    const start = clock();
    const h1 = s.visitorHash('example.com', '203.0.113.77', 'UA', clock());
    clock.advance(DAY - SALT_LEAD_MS + 60_000);
    expect(await s.rotate(clock())).toEqual({ created: true, deleted: 0 });
    // written, not yet in effect: events until the day is full still hash under the first salt
    expect(s.visitorHash('example.com', '203.0.113.77', 'UA', start + DAY - 1)).toBe(h1);
    expect(s.visitorHash('example.com', '203.0.113.77', 'UA', start + DAY)).not.toBe(h1);
    expect((await salts(store)).map((r) => Number(r.created_at))).toEqual([start, start + DAY]);
  });

  it('two processes on one database agree on every salt, even when both rotate at once', async () => {
    store = await createTestDb();
    const clock = fakeClock();
    const a = createSaltStore(store.db, 48);
    const b = createSaltStore(store.db, 48);
    await Promise.all([a.load(clock()), b.load(clock() + 1000)]);
    expect(await salts(store)).toHaveLength(1);
    const hash = (s: typeof a, at: number) => s.visitorHash('example.com', '203.0.113.77', 'UA', at);
    expect(hash(a, clock())).toBe(hash(b, clock()));

    clock.advance(DAY - 60_000);
    const [ra, rb] = await Promise.all([a.rotate(clock()), b.rotate(clock() + 30_000)]);
    expect([ra.created, rb.created].filter(Boolean)).toHaveLength(1);
    await Promise.all([a.refresh(), b.refresh()]);
    expect(await salts(store)).toHaveLength(2);
    for (const at of [clock(), clock() + 60_000, clock() + HOUR]) expect(hash(a, at)).toBe(hash(b, at));
  });
});

function jobContext(s: Store, clock: () => number, saltStore: ReturnType<typeof createSaltStore>): TaskContext {
  return {
    now: clock,
    db: s.db,
    dialect: s.dialect,
    policy: loadPolicy(),
    salts: saltStore,
    sessions: createSessionTracker(),
    suppressions: { refresh: async () => 0 } as unknown as TaskContext['suppressions'],
    sites: { get: async () => null, invalidate() {} },
    log: () => {},
    rollups: rollupRunnerFor(s),
    holder: 'test',
  };
}
