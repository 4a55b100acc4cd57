import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createSharedLink } from '../../../server/auth/index.ts';
import type { Runtime } from '../../../server/runtime.ts';
import { OTHER, protectDay } from '../../../server/stats/cell-suppression.ts';
import type { BreakdownItem } from '../../../server/stats/queries.ts';
import type { BreakdownRow } from '../../../server/stats/raw-queries.ts';
import { createTestApp, fakeClock, policyWith, sendEvent } from '../../helpers/app.ts';

const T0 = Date.UTC(2026, 10, 20, 1, 0, 0); // 2026-11-20 10:00 JST
const DAY = 24 * 3_600_000;
const k = 3;
let rt: Runtime & { clock: ReturnType<typeof fakeClock> };
let open: string;
let locked: string;

/** `n` visitors, each new, viewing `path` on day `d` (0 = the 20th) */
async function views(d: number, path: string, n: number) {
  for (let i = 0; i < n; i++) {
    rt.clock.set(T0 + d * DAY + i * 60_000);
    const peer = `198.18.${d}.${path.length * 10 + i}`;
    await sendEvent(rt.app, { s: 'example.com', u: `https://example.com${path}`, c: 0 }, { peer });
  }
}

beforeAll(async () => {
  rt = await createTestApp({ clock: fakeClock(T0), policy: policyWith((p) => (p.statistics = { minCellSize: k, differentialPrivacy: { enabled: false, epsilon: 1 } })) });
  // the 20th: 4 visitors on /a (shown), 2 on /bb and 1 on /ccc (small cells)
  await views(0, '/a', 4);
  await views(0, '/bb', 2);
  await views(0, '/ccc', 1);
  // the 21st to 23rd: /a and /secret both large enough every day
  for (const d of [1, 2, 3]) {
    await views(d, '/a', 4);
    await views(d, '/secret', 3);
  }
  // the 24th: one visitor on /secret, a cell that must never be learnt; 4 on /a
  await views(4, '/a', 4);
  await views(4, '/secret', 1);
  // the 25th: two visitors in all, a day that must never be learnt
  await views(5, '/secret', 2);
  // the 28th, today: 12 visitors so far, a day not complete yet
  await views(8, '/today', 12);
  const { user } = await addUser(rt.store.db, { email: 'marketer@example.com', role: 'marketer', password: 'correct horse battery staple' }, rt.clock());
  open = (await createSharedLink(rt.store.db, { siteId: 'example.com', createdBy: user.id, label: 'board' }, rt.clock())).token;
  locked = (await createSharedLink(rt.store.db, { siteId: 'example.com', createdBy: user.id, password: 'quarterly-figures-2026' }, rt.clock())).token;
});
afterAll(() => rt.close());

const get = (path: string, headers: Record<string, string> = {}) => rt.app.request(`/api/shared/${path}`, { headers: { 'x-test-peer': '198.51.100.9', ...headers } });
const json = async (path: string) => {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as any;
};
const days = (from: number, to: number) => `?period=custom&from=2026-11-${20 + from}&to=2026-11-${20 + to}`;
const pages = async (q: string) => new Map<string, number>((await json(`${open}/breakdown/page${q}`)).items.map((i: BreakdownItem) => [i.value, i.visitors]));

describe('shared statistics links', () => {
  it('show the site statistics with small cells pooled or suppressed', async () => {
    const summary = await json(`${open}/summary?period=day&date=2026-11-20`);
    expect(summary).toMatchObject({ method: 'minimum-cell-size', minCellSize: k, current: { visitors: 7, pageviews: 7 } });
    const items = (await json(`${open}/breakdown/page?period=day&date=2026-11-20`)).items;
    expect(items.map((i: BreakdownItem) => [i.value, i.visitors])).toEqual([
      ['/a', 4],
      [OTHER, 3],
    ]);
  });

  it('need the password when the link has one, and refuse filters and bad parameters', async () => {
    expect((await get(`${locked}/summary?period=7d`)).status).toBe(401);
    expect((await get(`${locked}/summary?period=7d`, { 'x-share-password': 'wrong guess here' })).status).toBe(401);
    expect((await get(`${locked}/summary?period=7d`, { 'x-share-password': 'quarterly-figures-2026' })).status).toBe(200);
    for (const bad of ['summary?period=7d&f.country=JP', 'timeseries?interval=hour', 'breakdown/prop:plan', 'export.csv?report=nope', 'export.csv?report=timeseries&interval=year']) {
      const res = await get(`${open}/${bad}`);
      expect(res.status, bad).toBe(400);
      expect(await res.json(), bad).toMatchObject({ error: 'invalid_query' });
    }
    expect((await get(`nope/summary?period=7d`)).status).toBe(404);
  });

  it('limit password guesses under parallel requests, without locking staff of that network out of signing in', async () => {
    const peer = { 'x-test-peer': '192.0.2.10' };
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => get(`${locked}/summary?period=7d`, { ...peer, 'x-share-password': `wrong guess ${i}` })));
    const statuses = answers.map((r) => r.status);
    // the link's limit is 5 wrong passwords, one of which the test above already spent
    expect(statuses.filter((s) => s === 401).length).toBe(4);
    expect(statuses.filter((s) => s === 429).length).toBe(26);
    const login = await rt.app.request('/api/auth/login', {
      method: 'POST',
      headers: { ...peer, 'content-type': 'application/json', origin: 'http://localhost' },
      body: JSON.stringify({ email: 'marketer@example.com', password: 'correct horse battery staple' }),
    });
    expect(login.status).toBe(200);
  });
});

describe('published figures never reveal a cell below k', () => {
  it('a day with fewer than k visitors is withheld whole, in series, sums and comparisons', async () => {
    const series = await json(`${open}/timeseries${days(0, 5)}`);
    expect(series.points.at(-1)).toEqual({ date: '2026-11-25', suppressed: true });
    const withIt = await json(`${open}/summary${days(0, 5)}`);
    const without = await json(`${open}/summary${days(0, 4)}`);
    expect(withIt.current).toEqual(without.current);
    expect(withIt.withheldDays.current).toBe(1);
    const alone = await json(`${open}/summary${days(5, 5)}`);
    expect(alone.current).toEqual({ suppressed: true });
  });

  it('a day still going on is not published: two readings of it would differ by the visits in between', async () => {
    const today = await json(`${open}/summary?period=day`);
    expect(today.range).toMatchObject({ from: '2026-11-28', to: '2026-11-28' });
    expect(today.current).toEqual({ suppressed: true });
    expect(today.pendingDays.current).toBe(1);
    expect((await json(`${open}/breakdown/page?period=day`)).items).toEqual([]);
    const series = await json(`${open}/timeseries?period=7d`);
    expect(series.points.at(-1)).toEqual({ date: '2026-11-28', suppressed: true });
  });

  it('differencing two overlapping ranges recovers no suppressed cell', async () => {
    // the attack: /secret over the 21st–24th minus /secret over the 21st–23rd would be the 24th's 1 visitor
    const longer = await pages(days(1, 4));
    const shorter = await pages(days(1, 3));
    expect(longer.get('/secret')! - shorter.get('/secret')!).toBe(0);
    // every difference between any two nested ranges is a sum of cells shown for single days
    const single = await Promise.all([0, 1, 2, 3, 4, 5].map((d) => pages(days(d, d))));
    for (let a = 0; a <= 5; a++) {
      for (let b = a; b <= 5; b++) {
        const range = await pages(days(a, b));
        for (const [value, visitors] of range) {
          const fromDays = single.slice(a, b + 1).reduce((n, day) => n + (day.get(value) ?? 0), 0);
          expect(visitors, `${value} on days ${a}–${b}`).toBe(fromDays);
        }
      }
    }
    for (const day of single) for (const visitors of day.values()) expect(visitors).toBeGreaterThanOrEqual(k);
  });

  it('the published CSV holds the same protected cells', async () => {
    const csv = await (await get(`${open}/export.csv?report=page&${days(0, 5).slice(1)}`)).text();
    expect(csv.split('\r\n')[0]).toBe('page,visitors,visits,pageviews,events,bounce_rate,visit_duration_s');
    expect(csv).not.toMatch(/^\/ccc,|^\/bb,/m);
    const series = await (await get(`${open}/export.csv?${days(0, 5).slice(1)}`)).text();
    expect(series).toContain('2026-11-25,,,,,,,yes');
  });
});

describe('cell suppression of one day', () => {
  const row = (value: string, visitors: number): BreakdownRow => ({ value, visitors, visits: visitors, pageviews: visitors, events: 0, bounces: 0, duration: 0 });
  const shown = (cells: BreakdownRow[], k: number) => {
    const p = protectDay(cells, k, OTHER);
    return [...p.shown, ...(p.other ? [p.other] : [])].map((r) => [r.value, r.visitors]);
  };

  it('never shows a cell between 1 and k−1, and pools them when the pool reaches k', () => {
    expect(shown([row('a', 50), row('b', 12), row('c', 4), row('d', 3)], 5)).toEqual([['a', 50], ['b', 12], [OTHER, 7]]);
  });

  it('a lone small cell takes the smallest shown cell into the pool, so total minus shown is not it', () => {
    expect(shown([row('a', 50), row('b', 10), row('c', 2)], 5)).toEqual([['a', 50], [OTHER, 12]]);
  });

  it('withholds everything when even the whole day is below k', () => {
    expect(shown([row('a', 2), row('b', 1)], 5)).toEqual([]);
  });
});
