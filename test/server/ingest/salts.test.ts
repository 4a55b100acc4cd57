import { afterEach, describe, expect, it } from 'vitest';
import { createSaltStore } from '../../../server/ingest/salts.ts';
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
    const h1 = s.visitorHash('example.com', '203.0.113.77', 'UA');

    clock.advance(23 * HOUR);
    expect(await s.rotate(clock())).toEqual({ created: false, deleted: 0 });
    expect(s.visitorHash('example.com', '203.0.113.77', 'UA')).toBe(h1);

    clock.advance(1 * HOUR);
    expect(await s.rotate(clock())).toEqual({ created: true, deleted: 0 });
    const h2 = s.visitorHash('example.com', '203.0.113.77', 'UA');
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
    await s.load(Date.now());
    const base = s.visitorHash('a', '203.0.113.77', 'UA');
    expect(s.visitorHash('b', '203.0.113.77', 'UA')).not.toBe(base);
    expect(s.visitorHash('a', '203.0.113.78', 'UA')).not.toBe(base);
    expect(s.visitorHash('a', '203.0.113.77', 'UA2')).not.toBe(base);
    expect(base).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('the rotation job runs from the job table', async () => {
    const { tasks } = await import('../../../server/jobs/tasks.ts');
    store = await createTestDb();
    const clock = fakeClock();
    const s = createSaltStore(store.db, 48);
    await s.load(clock());
    clock.advance(DAY);
    const rotate = tasks.find((t) => t.name === 'rotate-salts')!;
    const { createSessionTracker } = await import('../../../server/ingest/sessions.ts');
    const { loadPolicy } = await import('../../../policy/load.ts');
    const ctx = { now: clock, db: store.db, dialect: store.dialect, policy: loadPolicy(), salts: s, sessions: createSessionTracker(), log: () => {} };
    expect(await rotate.run(ctx)).toMatchObject({ created: true });
  });
});
