import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../server/runtime.ts';
import { statsRoutes } from '../../../server/stats/routes.ts';
import { toCsv } from '../../../server/stats/csv.ts';
import { startOfDay, localDay, tzOffset } from '../../../server/stats/time.ts';
import { parseRange, previousRange } from '../../../server/stats/period.ts';
import { createTestApp, desktopChromeUa, fakeClock, sendEvent } from '../../helpers/app.ts';

const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
// 2026-11-20 10:00 JST
const T0 = Date.UTC(2026, 10, 20, 1, 0, 0);
const MIN = 60_000;

let rt: Runtime & { clock: ReturnType<typeof fakeClock> };
let stats: Hono;

async function visit(peer: string, ua: string, pages: string[], opts: { ref?: string; event?: string; at: number; country?: string }) {
  rt.clock.set(opts.at);
  for (const [i, page] of pages.entries()) {
    await sendEvent(rt.app, { s: 'example.com', u: `https://example.com${page}`, r: i === 0 ? opts.ref : undefined, c: 0 }, { peer, ua });
    rt.clock.advance(2 * MIN);
  }
  if (opts.event) await sendEvent(rt.app, { s: 'example.com', n: opts.event, u: `https://example.com${pages.at(-1)}`, p: { plan: 'pro' }, c: 0 }, { peer, ua });
}

beforeAll(async () => {
  rt = await createTestApp({ clock: fakeClock(T0) });
  // visitor A (JP, desktop): two visits on the 20th, one on the 21st
  await visit('203.0.113.77', desktopChromeUa, ['/', '/products', '/contact'], { at: T0, ref: 'https://www.google.com/search?q=x', event: 'signup' });
  await visit('203.0.113.77', desktopChromeUa, ['/news'], { at: T0 + 3 * 60 * MIN });
  // visitor B (DE, iPhone): one bounce on the 20th
  await visit('198.51.100.23', iphone, ['/products'], { at: T0 + 30 * MIN, ref: 'https://x.com/post/1' });
  // visitor C (US): 21st
  await visit('192.0.2.44', desktopChromeUa, ['/', '/about'], { at: T0 + 24 * 60 * MIN });
  rt.clock.set(T0 + 2 * 24 * 60 * MIN);
  stats = new Hono().route('/api/stats', statsRoutes({ events: rt.deps.events, sites: rt.deps.sites, clock: rt.clock }));
});
afterAll(() => rt.close());

const get = async (path: string) => {
  const res = await stats.request(`/api/stats/example.com${path}`);
  return { status: res.status, body: (await res.json()) as any };
};

describe('time zones', () => {
  it('local days in Asia/Tokyo', () => {
    expect(tzOffset(T0, 'Asia/Tokyo')).toBe(9 * 60 * MIN);
    expect(localDay(Date.UTC(2026, 10, 20, 15, 30), 'Asia/Tokyo')).toBe('2026-11-21');
    expect(startOfDay('2026-11-21', 'Asia/Tokyo')).toBe(Date.UTC(2026, 10, 20, 15, 0));
  });

  it('local days across a DST change', () => {
    // Europe/Berlin switches to summer time on 2026-03-29: that day has 23 hours
    const len = startOfDay('2026-03-30', 'Europe/Berlin') - startOfDay('2026-03-29', 'Europe/Berlin');
    expect(len).toBe(23 * 60 * MIN);
  });

  it('periods and comparisons', () => {
    const r = parseRange({ period: '7d', date: '2026-11-21' }, 'Asia/Tokyo', T0);
    expect([r.fromDay, r.toDay]).toEqual(['2026-11-15', '2026-11-21']);
    const p = previousRange(r);
    expect([p.fromDay, p.toDay]).toEqual(['2026-11-08', '2026-11-14']);
    expect(() => parseRange({ period: 'custom', from: '2020-01-01', to: '2026-01-01' }, 'UTC', T0)).toThrow(/two years/);
  });
});

describe('stats API', () => {
  it('summary with comparison', async () => {
    const { status, body } = await get('/summary?period=custom&from=2026-11-20&to=2026-11-21');
    expect(status).toBe(200);
    expect(body.current).toEqual({ visitors: 3, visits: 4, pageviews: 7, viewsPerVisit: 1.75, bounceRate: 50, visitDuration: 120 });
    expect(body.previous.visits).toBe(0);
    expect(body.change.visits).toBeNull();
    expect(body.range).toEqual({ from: '2026-11-20', to: '2026-11-21', tz: 'Asia/Tokyo' });
  });

  it('a single day counts its own visitors', async () => {
    const { body } = await get('/summary?period=day&date=2026-11-20');
    expect(body.current).toMatchObject({ visitors: 2, visits: 3, pageviews: 5 });
  });

  it('timeseries by day in the site zone', async () => {
    const { body } = await get('/timeseries?period=custom&from=2026-11-19&to=2026-11-21');
    expect(body.interval).toBe('day');
    expect(body.points.map((p: any) => [p.date, p.visitors, p.visits, p.pageviews])).toEqual([
      ['2026-11-19', 0, 0, 0],
      ['2026-11-20', 2, 3, 5],
      ['2026-11-21', 1, 1, 2],
    ]);
  });

  it('timeseries by hour for one day', async () => {
    const { body } = await get('/timeseries?period=day&date=2026-11-20');
    expect(body.interval).toBe('hour');
    expect(body.points).toHaveLength(24);
    expect(body.points[10]).toMatchObject({ date: '2026-11-20T10:00', visits: 2, pageviews: 4 });
    expect(body.points[13]).toMatchObject({ date: '2026-11-20T13:00', visits: 1 });
  });

  it('breakdowns by session and event dimensions', async () => {
    const range = '?period=custom&from=2026-11-20&to=2026-11-21';
    const countries = (await get(`/breakdown/country${range}`)).body.items;
    expect(countries.map((i: any) => [i.value, i.visitors, i.visits])).toEqual([
      ['JP', 1, 2],
      ['US', 1, 1], // ties go to the value with more page views
      ['DE', 1, 1],
    ]);
    const pages = (await get(`/breakdown/page${range}`)).body.items;
    expect(pages[0]).toMatchObject({ value: '/', visitors: 2, pageviews: 2 });
    expect(pages.find((p: any) => p.value === '/products')).toMatchObject({ visitors: 2, pageviews: 2 });
    const sources = (await get(`/breakdown/source${range}`)).body.items;
    expect(sources.map((i: any) => i.value).sort()).toEqual([null, 'www.google.com', 'x.com'].sort());
    const events = (await get(`/breakdown/event${range}`)).body.items;
    expect(events).toEqual([expect.objectContaining({ value: 'signup', visitors: 1, events: 1 })]);
    const plans = (await get(`/breakdown/prop:plan${range}`)).body.items;
    expect(plans).toEqual([expect.objectContaining({ value: 'pro', events: 1 })]);
  });

  it('filters on any other dimension', async () => {
    const range = '?period=custom&from=2026-11-20&to=2026-11-21';
    const jpPages = (await get(`/breakdown/page${range}&f.country=JP`)).body.items;
    expect(jpPages.map((p: any) => p.value).sort()).toEqual(['/', '/contact', '/news', '/products']);
    const visitedProducts = (await get(`/summary${range}&f.page=/products`)).body.current;
    expect(visitedProducts).toMatchObject({ visitors: 2, visits: 2 });
    const notJp = (await get(`/summary${range}&fn.country=JP`)).body.current;
    expect(notJp).toMatchObject({ visitors: 2, visits: 2 });
    const mobile = (await get(`/breakdown/browser${range}&f.device=mobile`)).body.items;
    expect(mobile).toEqual([expect.objectContaining({ value: 'Mobile Safari', visits: 1, bounceRate: 100 })]);
  });

  it('realtime counts visitors of the last five minutes', async () => {
    rt.clock.set(T0 + 24 * 60 * MIN + 3 * MIN);
    const { body } = await get('/realtime');
    expect(body.visitors).toBe(1);
    rt.clock.set(T0 + 2 * 24 * 60 * MIN);
  });

  it('CSV export', async () => {
    const res = await stats.request('/api/stats/example.com/export.csv?report=country&period=custom&from=2026-11-20&to=2026-11-21');
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = await res.text();
    expect(text.split('\r\n')[0]).toBe('country,visitors,visits,pageviews,events,bounce_rate,visit_duration_s');
    expect(text).toContain('JP,1,2,');
  });

  it('bad queries get 400, unknown sites 404', async () => {
    expect((await get('/summary?period=forever')).status).toBe(400);
    expect((await get('/summary?period=custom&from=2026-11-21&to=2026-11-20')).status).toBe(400);
    expect((await get('/breakdown/ip_trunc')).status).toBe(400);
    expect((await get('/breakdown/prop:bad key')).status).toBe(400);
    expect((await get('/summary?f.visitor_id=x')).status).toBe(400);
    expect((await get('/timeseries?interval=minute')).status).toBe(400);
    expect((await get('/breakdown/page?limit=0')).status).toBe(400);
    const res = await stats.request('/api/stats/nope.example/summary');
    expect(res.status).toBe(404);
  });

  it('filter values are bound, never spliced into SQL', async () => {
    const { status, body } = await get(`/summary?period=custom&from=2026-11-20&to=2026-11-21&f.country=${encodeURIComponent("JP' or 1=1 --")}`);
    expect(status).toBe(200);
    expect(body.current.visits).toBe(0);
  });
});

describe('rollups', () => {
  it('give the same answers as the raw tables, and are used once hours close', async () => {
    const { rollupAll } = await import('../../../server/jobs/rollup.ts');
    const paths = [
      '/summary?period=custom&from=2026-11-20&to=2026-11-21',
      '/summary?period=day&date=2026-11-20',
      '/timeseries?period=custom&from=2026-11-19&to=2026-11-21',
      '/timeseries?period=day&date=2026-11-20',
      '/timeseries?period=custom&from=2026-11-01&to=2026-11-21&interval=week',
      '/breakdown/country?period=custom&from=2026-11-20&to=2026-11-21',
      '/breakdown/page?period=custom&from=2026-11-20&to=2026-11-21',
      '/breakdown/source?period=custom&from=2026-11-20&to=2026-11-21',
      '/breakdown/entry_page?period=custom&from=2026-11-20&to=2026-11-21',
      '/breakdown/event?period=custom&from=2026-11-20&to=2026-11-21',
    ];
    const before = await Promise.all(paths.map((p) => get(p)));
    // roll up everything but the newest hours: the answers then mix rollups and raw rows
    const { hours } = await rollupAll(rt.store.db, rt.store.dialect, T0 + 24 * 60 * MIN + 30 * MIN);
    expect(hours).toBeGreaterThan(20);
    const rolled = await rt.store.db.selectFrom('stats_hourly').selectAll().execute();
    expect(rolled.reduce((n, r) => n + r.pageviews, 0)).toBeGreaterThan(0);
    const after = await Promise.all(paths.map((p) => get(p)));
    for (const [i, p] of paths.entries()) expect(after[i], p).toEqual(before[i]);
    // everything rolled up now, still the same
    await rollupAll(rt.store.db, rt.store.dialect, T0 + 3 * 24 * 60 * MIN);
    const all = await Promise.all(paths.map((p) => get(p)));
    for (const [i, p] of paths.entries()) expect(all[i], p).toEqual(before[i]);
    const hourly = await rt.store.db.selectFrom("stats_hourly").selectAll().execute();
    // visitor A came back at 13:00 JST the same day: active in that hour, but not new to the day
    const at13 = hourly.find((h) => Number(h.hour) === T0 + 3 * 60 * MIN)!;
    expect([at13.visitors, at13.day_visitors]).toEqual([1, 0]);
  });

  it('rolling up twice changes nothing', async () => {
    const { rollupSite } = await import('../../../server/jobs/rollup.ts');
    const snapshot = async () => rt.store.db.selectFrom('stats_dims_hourly').selectAll().orderBy('hour').orderBy('dimension').orderBy('value').execute();
    const a = await snapshot();
    await rt.store.db.updateTable('stats_state').set({ rolled_until: T0 - 60 * MIN }).execute();
    await rollupSite(rt.store.db, rt.store.dialect, { id: 'example.com', timezone: 'Asia/Tokyo' }, T0 + 3 * 24 * 60 * MIN);
    expect(await snapshot()).toEqual(a);
  });
});

describe('who the rollup already counted today (stats_seen)', () => {
  const rolledRows = async () => ({
    hourly: await rt.store.db.selectFrom('stats_hourly').selectAll().orderBy('hour').execute(),
    dims: await rt.store.db.selectFrom('stats_dims_hourly').selectAll().orderBy('hour').orderBy('dimension').orderBy('value').execute(),
  });

  it('is rebuilt from the raw rows when a re-roll starts in the middle of a day', async () => {
    const { rollupSite } = await import('../../../server/jobs/rollup.ts');
    await rollupSite(rt.store.db, rt.store.dialect, { id: 'example.com', timezone: 'Asia/Tokyo' }, T0 + 3 * 24 * 60 * MIN);
    const before = await rolledRows();
    // from 13:00 JST, where visitor A returns: A must still count as seen earlier that day
    await rt.store.db.updateTable('stats_state').set({ rolled_until: T0 + 3 * 60 * MIN, seen_until: null }).execute();
    await rollupSite(rt.store.db, rt.store.dialect, { id: 'example.com', timezone: 'Asia/Tokyo' }, T0 + 3 * 24 * 60 * MIN);
    expect(await rolledRows()).toEqual(before);
  });

  it('holds one local day only: the one being rolled up', async () => {
    const { rollupSite } = await import('../../../server/jobs/rollup.ts');
    const site = { id: 'example.com', timezone: 'Asia/Tokyo' };
    await rt.store.db.updateTable('stats_state').set({ rolled_until: T0, seen_until: null }).execute();
    // through 10:00 JST on the 21st, when visitor C came: the 20th's visitors are gone, C is there
    await rollupSite(rt.store.db, rt.store.dialect, site, T0 + 24 * 60 * MIN + 90 * MIN);
    const rows = await rt.store.db.selectFrom('stats_seen').select(['day', 'dimension', 'value']).execute();
    expect(new Set(rows.map((r) => r.day))).toEqual(new Set(['2026-11-21']));
    expect(rows.filter((r) => r.dimension === 'page').map((r) => r.value).sort()).toEqual(['/', '/about']);
    await rollupSite(rt.store.db, rt.store.dialect, site, T0 + 3 * 24 * 60 * MIN);
  });
});

describe('raw answers for the hours not rolled up yet', () => {
  it('ask stats_seen on the rollup day, and again the slow way when the rollup moves on meanwhile', async () => {
    const { perOpenDay } = await import('../../../server/stats/queries.ts');
    const { rollupSite } = await import('../../../server/jobs/rollup.ts');
    await rt.store.db.updateTable('stats_state').set({ rolled_until: T0, seen_until: null }).execute();
    await rollupSite(rt.store.db, rt.store.dialect, { id: 'example.com', timezone: 'Asia/Tokyo' }, T0 + 4 * 60 * MIN + 30 * MIN);
    const ctx = { db: rt.store.db, dialect: rt.store.dialect, site: 'example.com', tz: 'Asia/Tokyo', filters: [] };
    const scopes: { seenDay?: string; newSince?: number }[] = [];
    let moved = false;
    await perOpenDay(ctx, T0 + 4 * 60 * MIN, T0 + 6 * 60 * MIN, 'Asia/Tokyo', async (scope) => {
      scopes.push({ seenDay: scope.seenDay, newSince: scope.newSince });
      if (!moved) {
        moved = true;
        await rt.store.db.updateTable('stats_state').set({ seen_until: T0 + 5 * 60 * MIN }).execute();
      }
    });
    expect(scopes).toEqual([{ seenDay: '2026-11-20', newSince: undefined }, { seenDay: undefined, newSince: startOfDay('2026-11-20', 'Asia/Tokyo') }]);
    await rollupSite(rt.store.db, rt.store.dialect, { id: 'example.com', timezone: 'Asia/Tokyo' }, T0 + 3 * 24 * 60 * MIN);
  });
});

describe('csv', () => {
  it('quotes and defuses formulas', () => {
    expect(toCsv(['a', 'b'], [['=1+1', 'x,"y"']])).toBe('a,b\r\n\'=1+1,"x,""y"""\r\n');
  });
});
