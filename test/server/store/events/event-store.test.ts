import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDimension, parseFilters } from '../../../../server/stats/dimensions.ts';
import { rangeOfDays } from '../../../../server/stats/period.ts';
import { rowEventStore } from '../../../../server/stats/row-store.ts';
import { openDuckEventStore } from '../../../../server/store/events/duckdb/engine.ts';
import type { EventStore, ReportQuery } from '../../../../server/store/events/event-store.ts';
import { upsertSite } from '../../../../server/store/sites.ts';
import { createTestDb, testDialect } from '../../../helpers/test-db.ts';
import { MIN, scriptedEvents, SITE, T0 } from './scripted-events.ts';

/** Every engine, the same events, the same figures: DuckDB, and the row store of this run's dialect. */
const engines: { name: string; open: () => Promise<{ events: EventStore; close: () => Promise<void> }> }[] = [
  {
    name: 'duckdb',
    open: async () => {
      const events = await openDuckEventStore({ file: ':memory:' });
      return { events, close: () => events.close() };
    },
  },
  {
    name: `row store (${testDialect})`,
    open: async () => {
      const store = await createTestDb();
      await upsertSite(store.db, { id: SITE, hosts: [SITE] }, T0);
      return { events: rowEventStore(store.db, store.dialect), close: () => store.close() };
    },
  },
];

const range = rangeOfDays('2026-11-20', '2026-11-21', 'Asia/Tokyo');
const q = (filters: Record<string, string> = {}): ReportQuery => ({ ...range, site: SITE, filters: parseFilters(filters) });
const dim = (name: string) => parseDimension(name)!;

describe.each(engines)('EventStore: $name', ({ open }) => {
  let events: EventStore;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ events, close } = await open());
    // two batches, the second adding a late event to a visit the first one began
    await events.append(scriptedEvents.slice(0, 6));
    await events.append(scriptedEvents.slice(6));
  });
  afterAll(() => close());

  it('totals: visits and visitors of the range, bounces, durations, page views and events', async () => {
    expect(await events.totals(q())).toEqual({ visitors: 4, visits: 5, pageviews: 11, events: 1, bounces: 2, duration: 420_000 });
  });

  it('a late event updates its visit', async () => {
    // sD1's last two page views came in the second batch: the visit is 3 minutes long and did not bounce
    const items = await events.breakdown(q({ 'f.device': 'mobile', 'f.country': 'JP' }), dim('entry_page'), 10);
    expect(items).toEqual([{ value: '/', visitors: 1, visits: 1, pageviews: 4, events: 0, bounces: 0, duration: 3 * MIN }]);
  });

  it('totals with one, two and three filters', async () => {
    expect(await events.totals(q({ 'f.country': 'JP' }))).toMatchObject({ visitors: 2, visits: 3, pageviews: 8, events: 1 });
    expect(await events.totals(q({ 'f.country': 'JP', 'f.device': 'mobile' }))).toMatchObject({ visitors: 1, visits: 1, pageviews: 4 });
    expect(await events.totals(q({ 'f.utm_campaign': 'autumn', 'f.country': 'JP', 'f.page': '/contact' }))).toMatchObject({ visitors: 1, visits: 1, pageviews: 1 });
    expect(await events.totals(q({ 'f.page': '/products' }))).toMatchObject({ visitors: 3, visits: 3, pageviews: 4 });
    expect(await events.totals(q({ 'fn.country': 'JP' }))).toMatchObject({ visitors: 2, visits: 2 });
    expect(await events.totals(q({ 'f.source': '(none)' }))).toMatchObject({ visits: 3 });
    expect(await events.totals(q({ 'f.country': "JP' or 1=1 --" }))).toMatchObject({ visits: 0, pageviews: 0 });
  });

  it('series by local day', async () => {
    const rows = await events.series(q(), 'day');
    expect(rows.map((r) => [r.date, r.visitors, r.visits, r.pageviews])).toEqual([
      ['2026-11-20', 3, 4, 9],
      ['2026-11-21', 1, 1, 2],
    ]);
  });

  it('breakdowns by page, country, event and property, best first', async () => {
    const pages = await events.breakdown(q(), dim('page'), 10);
    expect(pages.map((p) => [p.value, p.visitors, p.visits, p.pageviews])).toEqual([
      ['/products', 3, 3, 4],
      ['/', 3, 3, 3],
      ['/contact', 2, 2, 2],
      ['/about', 1, 1, 1],
      ['/news', 1, 1, 1],
    ]);
    const countries = await events.breakdown(q(), dim('country'), 10);
    expect(countries.map((c) => [c.value, c.visitors, c.visits])).toEqual([
      ['JP', 2, 3],
      ['US', 1, 1],
      ['DE', 1, 1],
    ]);
    expect(await events.breakdown(q(), dim('event'), 10)).toEqual([expect.objectContaining({ value: 'signup', visitors: 1, events: 1 })]);
    expect(await events.breakdown(q(), dim('prop:plan'), 10)).toEqual([expect.objectContaining({ value: 'pro', events: 1 })]);
    expect(await events.breakdown(q({ 'f.country': 'JP' }), dim('source'), 1)).toEqual([expect.objectContaining({ value: null, visits: 2 })]);
  });

  it('realtime: visitors of the last minutes', async () => {
    expect(await events.currentVisitors(SITE, T0 + 24 * 60 * MIN - MIN)).toBe(1);
  });

  it('a four-step page funnel', async () => {
    const steps = await events.funnel(q(), ['/', '/products', '/contact', '/products']);
    expect(steps.map((s) => [s.page, s.visits, s.visitors])).toEqual([
      ['/', 3, 3],
      ['/products', 2, 2],
      ['/contact', 2, 2],
      ['/products', 1, 1],
    ]);
    expect((await events.funnel(q({ 'f.device': 'desktop' }), ['/', '/products'])).map((s) => s.visits)).toEqual([2, 1]);
  });

  it('a journey: the pages viewed next', async () => {
    expect(await events.journey(q(), '/products', 10)).toEqual([{ page: '/contact', visits: 2, transitions: 2 }]);
    expect(await events.journey(q(), '/', 10)).toEqual([
      { page: '/products', visits: 2, transitions: 2 },
      { page: '/about', visits: 1, transitions: 1 },
    ]);
  });

  it("a visitor's rows, and deleting them", async () => {
    const rows = await events.visitorRows('vA');
    expect([rows.events.length, rows.visits.length]).toEqual([5, 2]);
    expect(await events.deleteVisitor('vA')).toEqual({ events: 5, visits: 2 });
    expect(await events.visitorRows('vA')).toEqual({ events: [], visits: [] });
    expect(await events.totals(q())).toMatchObject({ visitors: 3, visits: 3, pageviews: 7 });
  });

  it('retention: blanking a column, then deleting old events', async () => {
    expect(await events.blankEventColumns(['ip_trunc'], T0 + 12 * 60 * MIN)).toBe(5);
    expect((await events.visitorRows('vB')).events[0]).toMatchObject({ ip_trunc: null, path: '/products' });
    expect((await events.visitorRows('vC')).events[0]).toMatchObject({ ip_trunc: '203.0.113.0' });
    expect(await events.deleteBefore(T0 + 12 * 60 * MIN)).toEqual({ events: 5, visits: 2 });
    expect(await events.totals(q())).toMatchObject({ visitors: 1, visits: 1, pageviews: 2 });
  });
});
