import { afterEach, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../policy/load.ts';
import { createSaltStore, SALT_LEAD_MS, type SaltSite, type SaltStore } from '../../../server/ingest/salts.ts';
import { createSessionTracker } from '../../../server/ingest/sessions.ts';
import type { TaskContext } from '../../../server/jobs/tasks.ts';
import { rollupRunnerFor } from '../../../server/jobs/rollup-thread.ts';
import type { Store } from '../../../server/store/db.ts';
import { upsertSite } from '../../../server/store/sites.ts';
import { createTestDb } from '../../helpers/test-db.ts';
import { DAY, HOUR, fakeClock } from '../../helpers/app.ts';

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const MIN = 60_000;
const tokyo: SaltSite = { id: 'example.com', timezone: 'Asia/Tokyo' };
const berlin: SaltSite = { id: 'berlin.example', timezone: 'Europe/Berlin' };
// 2026-11-22 00:00 in Tokyo
const TOKYO_MIDNIGHT = Date.UTC(2026, 10, 21, 15);

const salts = (s: Store, site = tokyo.id) => s.db.selectFrom('salts').selectAll().where('site_id', '=', site).orderBy('created_at').execute();
const hash = async (s: SaltStore, at: number, site = tokyo, ip = '203.0.113.77', ua = 'UA') => (await s.visitorHashes(site, ip, ua, at, 30 * MIN)).current;

async function withSites(...sites: SaltSite[]) {
  store = await createTestDb();
  for (const site of sites) await upsertSite(store.db, { id: site.id, hosts: [site.id], timezone: site.timezone }, 0);
  return store;
}

describe('daily salts', () => {
  it('are random, turn at the local midnight and are deleted 48 h after they took effect', async () => {
    const db = await withSites(tokyo);
    const clock = fakeClock(TOKYO_MIDNIGHT - 3 * HOUR);
    const s = createSaltStore(db.db, 48);
    await s.load(clock());
    const [first] = await salts(db);
    expect(first!.secret).toMatch(/^[0-9a-f]{64}$/);
    // today's salt took effect at the start of the local day
    expect(Number(first!.created_at)).toBe(TOKYO_MIDNIGHT - DAY);
    const h1 = await hash(s, clock());

    clock.set(TOKYO_MIDNIGHT - SALT_LEAD_MS - MIN);
    expect(await s.rotate(clock())).toEqual({ created: 0, deleted: 0 });
    expect(await hash(s, clock())).toBe(h1);

    clock.set(TOKYO_MIDNIGHT - SALT_LEAD_MS + MIN);
    expect(await s.rotate(clock())).toEqual({ created: 1, deleted: 0 });
    // written ahead, in effect only from midnight
    expect(await hash(s, TOKYO_MIDNIGHT - 1)).toBe(h1);
    expect(await hash(s, TOKYO_MIDNIGHT)).not.toBe(h1);
    expect((await salts(db)).map((r) => Number(r.created_at))).toEqual([TOKYO_MIDNIGHT - DAY, TOKYO_MIDNIGHT]);

    clock.set(TOKYO_MIDNIGHT + DAY - SALT_LEAD_MS + MIN);
    expect(await s.rotate(clock())).toEqual({ created: 1, deleted: 0 });
    clock.set(TOKYO_MIDNIGHT + DAY);
    expect(await s.rotate(clock())).toEqual({ created: 0, deleted: 1 });
    const left = await salts(db);
    expect(left).toHaveLength(2);
    expect(left.map((r) => r.secret)).not.toContain(first!.secret);
  });

  it('turn at each site’s own local midnight, across a DST change', async () => {
    const db = await withSites(tokyo, berlin);
    const s = createSaltStore(db.db, 48);
    // Berlin leaves summer time on 2026-10-25: that day has 25 hours
    const day25 = Date.UTC(2026, 9, 24, 22);
    const day26 = Date.UTC(2026, 9, 25, 23);
    await s.load(day25 + HOUR);
    await s.rotate(day26 - MIN);
    expect((await salts(db, berlin.id)).map((r) => Number(r.created_at))).toEqual([day25, day26]);
    expect(await hash(s, day26 - 1, berlin)).not.toBe(await hash(s, day26, berlin));
    expect(await hash(s, day26 - HOUR, berlin)).toBe(await hash(s, day25, berlin));
  });

  it('a visit under way at the turn is offered the previous salt’s hash, for the idle window only', async () => {
    const db = await withSites(tokyo);
    const s = createSaltStore(db.db, 48);
    await s.load(TOKYO_MIDNIGHT - 10 * MIN);
    await s.rotate(TOKYO_MIDNIGHT - MIN);
    const before = await hash(s, TOKYO_MIDNIGHT - MIN);
    expect((await s.visitorHashes(tokyo, '203.0.113.77', 'UA', TOKYO_MIDNIGHT + 29 * MIN, 30 * MIN)).previous).toBe(before);
    expect((await s.visitorHashes(tokyo, '203.0.113.77', 'UA', TOKYO_MIDNIGHT + 30 * MIN, 30 * MIN)).previous).toBeUndefined();
  });

  it('a site added after the start gets its salt on its first event, the same in every process', async () => {
    const db = await withSites();
    const a = createSaltStore(db.db, 48);
    const b = createSaltStore(db.db, 48);
    await Promise.all([a.load(TOKYO_MIDNIGHT), b.load(TOKYO_MIDNIGHT)]);
    await upsertSite(db.db, { id: tokyo.id, hosts: [tokyo.id], timezone: tokyo.timezone }, TOKYO_MIDNIGHT);
    const [ha, hb] = await Promise.all([hash(a, TOKYO_MIDNIGHT + HOUR), hash(b, TOKYO_MIDNIGHT + HOUR)]);
    expect(ha).toBe(hb);
    expect(await salts(db)).toHaveLength(1);
  });

  it('two salts made at the same moment still differ (not derived from the date)', async () => {
    const db = await withSites(tokyo);
    const other = await createTestDb();
    await upsertSite(other.db, { id: tokyo.id, hosts: [tokyo.id], timezone: tokyo.timezone }, 0);
    await createSaltStore(db.db, 48).load(TOKYO_MIDNIGHT);
    await createSaltStore(other.db, 48).load(TOKYO_MIDNIGHT);
    const [x] = await salts(db);
    const [y] = await salts(other);
    expect(x!.secret).not.toBe(y!.secret);
    await other.close();
  });

  it('hashes depend on site, address and user agent', async () => {
    const db = await withSites(tokyo, berlin);
    const s = createSaltStore(db.db, 48);
    await s.load(TOKYO_MIDNIGHT);
    const base = await hash(s, TOKYO_MIDNIGHT);
    expect(await hash(s, TOKYO_MIDNIGHT, berlin)).not.toBe(base);
    expect(await hash(s, TOKYO_MIDNIGHT, tokyo, '203.0.113.78')).not.toBe(base);
    expect(await hash(s, TOKYO_MIDNIGHT, tokyo, '203.0.113.77', 'UA2')).not.toBe(base);
    expect(base).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('the rotation job runs from the job table', async () => {
    const { tasks, runTask } = await import('../../../server/jobs/tasks.ts');
    const db = await withSites(tokyo);
    const clock = fakeClock(TOKYO_MIDNIGHT - HOUR);
    const s = createSaltStore(db.db, 48);
    await s.load(clock());
    clock.set(TOKYO_MIDNIGHT - MIN);
    const rotate = tasks.find((t) => t.name === 'rotate-salts')!;
    expect(await runTask(rotate, jobContext(db, clock, s))).toMatchObject({ created: 1 });
  });

  it('two processes on one database agree on every salt, even when both rotate at once', async () => {
    const db = await withSites(tokyo);
    const a = createSaltStore(db.db, 48);
    const b = createSaltStore(db.db, 48);
    await Promise.all([a.load(TOKYO_MIDNIGHT - HOUR), b.load(TOKYO_MIDNIGHT - HOUR + 1000)]);
    expect(await salts(db)).toHaveLength(1);
    expect(await hash(a, TOKYO_MIDNIGHT - HOUR)).toBe(await hash(b, TOKYO_MIDNIGHT - HOUR));

    const [ra, rb] = await Promise.all([a.rotate(TOKYO_MIDNIGHT - 2 * MIN), b.rotate(TOKYO_MIDNIGHT - MIN)]);
    expect(ra.created + rb.created).toBe(1);
    await Promise.all([a.refresh(), b.refresh()]);
    expect(await salts(db)).toHaveLength(2);
    for (const at of [TOKYO_MIDNIGHT - MIN, TOKYO_MIDNIGHT, TOKYO_MIDNIGHT + HOUR]) expect(await hash(a, at)).toBe(await hash(b, at));
  });
});

function jobContext(s: Store, clock: () => number, saltStore: SaltStore): TaskContext {
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
