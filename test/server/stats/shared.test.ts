import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createSharedLink } from '../../../server/auth/index.ts';
import type { Runtime } from '../../../server/runtime.ts';
import { OTHER, suppressBreakdown } from '../../../server/stats/suppress.ts';
import type { BreakdownItem } from '../../../server/stats/queries.ts';
import { createTestApp, fakeClock, policyWith, sendEvent } from '../../helpers/app.ts';

const T0 = Date.UTC(2026, 10, 20, 1, 0, 0);
let rt: Runtime & { clock: ReturnType<typeof fakeClock> };
let open: string;
let locked: string;

beforeAll(async () => {
  rt = await createTestApp({ clock: fakeClock(T0), policy: policyWith((p) => (p.statistics = { minCellSize: 3 })) });
  // 4 visitors on /a (shown), 2 on /b and 1 on /c (small cells)
  const visits: [string, string][] = [
    ['203.0.113.1', '/a'], ['203.0.113.2', '/a'], ['203.0.113.3', '/a'], ['203.0.113.4', '/a'],
    ['203.0.113.5', '/b'], ['203.0.113.6', '/b'], ['203.0.113.7', '/c'],
  ];
  for (const [peer, path] of visits) await sendEvent(rt.app, { s: 'example.com', u: `https://example.com${path}`, c: 0 }, { peer });
  rt.clock.set(T0 + 24 * 3_600_000);
  const { user } = await addUser(rt.store.db, { email: 'marketer@example.com', role: 'marketer', password: 'correct horse battery staple' }, rt.clock());
  open = (await createSharedLink(rt.store.db, { siteId: 'example.com', createdBy: user.id, label: 'board' }, rt.clock())).token;
  locked = (await createSharedLink(rt.store.db, { siteId: 'example.com', createdBy: user.id, password: 'quarterly-figures-2026' }, rt.clock())).token;
});
afterAll(() => rt.close());

const get = (path: string, headers: Record<string, string> = {}) => rt.app.request(`/api/shared/${path}`, { headers: { 'x-test-peer': '198.51.100.9', ...headers } });
const range = '?period=day&date=2026-11-20';

describe('shared statistics links', () => {
  it('show the site statistics with small cells pooled or suppressed', async () => {
    const summary = await (await get(`${open}/summary${range}`)).json();
    expect(summary.current).toMatchObject({ visitors: 7, pageviews: 7 });
    const pages = await (await get(`${open}/breakdown/page${range}`)).json();
    expect(pages.minCellSize).toBe(3);
    expect(pages.items.map((i: BreakdownItem) => [i.value, i.visitors])).toEqual([
      ['/a', 4],
      [OTHER, 3],
    ]);
  });

  it('need the password when the link has one, and refuse filters', async () => {
    expect((await get(`${locked}/summary${range}`)).status).toBe(401);
    expect((await get(`${locked}/summary${range}`, { 'x-share-password': 'wrong guess here' })).status).toBe(401);
    expect((await get(`${locked}/summary${range}`, { 'x-share-password': 'quarterly-figures-2026' })).status).toBe(200);
    expect((await get(`${open}/summary${range}&f.country=JP`)).status).toBe(400);
    expect((await get(`nope/summary${range}`)).status).toBe(404);
  });
});

describe('minimum cell size', () => {
  const row = (value: string, visitors: number): BreakdownItem => ({ value, visitors, visits: visitors, pageviews: visitors, events: 0, bounceRate: null, visitDuration: null });

  it('never publishes a cell between 1 and k-1', () => {
    const out = suppressBreakdown([row('a', 50), row('b', 12), row('c', 4), row('d', 3)], 5);
    expect(out.map((r) => [r.value, r.visitors])).toEqual([['a', 50], ['b', 12], [OTHER, 7]]);
  });

  it('a single small cell cannot be recovered as total minus the rest', () => {
    // total 62 is published elsewhere; showing a and b would give c = 62 - 50 - 10 = 2
    const out = suppressBreakdown([row('a', 50), row('b', 10), row('c', 2)], 5);
    expect(out.map((r) => r.value)).toEqual(['a']);
  });
});
