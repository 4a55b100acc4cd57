import { beforeAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../../helpers/app.ts';
import { days, HOUR, kathmandu, berlin, midVisit, MIN, script, sites, tokyo, type ScriptEvent, type SiteSpec } from './script.ts';
import { byRank, Truth, type Filter, type Item } from './truth.ts';

/** What the fixture needs of an engine: the app to send events to, its stats API, and its background work. */
export interface EngineRuntime {
  /** the whole app: the fixture posts to /api/event as the tracker does */
  app: { request(path: string, init?: RequestInit): Response | Promise<Response> };
  /** GET of a stats API path, e.g. `/api/stats/example.com/summary?period=day` (authorised) */
  stats(path: string): Promise<Response>;
  /** what the engine's jobs would have done by `now` (rollups, shipping to the event store) */
  settle(now: number): Promise<void>;
  close(): Promise<void>;
}

export type RuntimeFactory = (clock: ReturnType<typeof fakeClock>, sites: readonly SiteSpec[]) => Promise<EngineRuntime>;

const breakdownDims = ['page', 'entry_page', 'exit_page', 'source', 'country', 'device', 'event'];
const propDims = ['prop:plan', 'prop:paid', 'prop:seats', 'prop:size'];
const filterSets: Filter[][] = [
  [{ dim: 'country', op: 'is', value: 'JP' }],
  [{ dim: 'country', op: 'is', value: 'DE' }],
  [{ dim: 'country', op: 'is', value: 'US' }],
  [{ dim: 'country', op: 'is', value: '(none)' }],
  [{ dim: 'country', op: 'is_not', value: 'JP' }],
  [{ dim: 'source', op: 'is', value: 'www.google.com' }],
  [{ dim: 'source', op: 'is', value: '(none)' }],
  [{ dim: 'device', op: 'is', value: 'mobile' }],
  [{ dim: 'page', op: 'is', value: '/pricing' }],
  [{ dim: 'prop:paid', op: 'is', value: 'true' }],
  [{ dim: 'prop:seats', op: 'is', value: '3' }],
  [
    { dim: 'country', op: 'is', value: 'JP' },
    { dim: 'page', op: 'is', value: '/products' },
  ],
];

/** a few hundred report requests per check: minutes on PGlite under a loaded machine */
const SLOW = 180_000;

const query = (filters: readonly Filter[]) => filters.map((f) => `&${f.op === 'is' ? 'f' : 'fn'}.${f.dim}=${encodeURIComponent(f.value)}`).join('');
const byJson = (a: Item, b: Item) => (JSON.stringify(a.value) < JSON.stringify(b.value) ? -1 : 1);
const csvCell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const csv = (rows: unknown[][]) => rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

/**
 * The ground-truth fixture: scripted traffic whose every figure is known by construction, sent through the
 * HTTP ingest API with a controlled clock, then every report compared with the truth — while a visit goes
 * on, after it, before and after the engine's background work. Any engine plugs in through `factory`:
 * `groundTruthSuite('duckdb', (clock, sites) => …)` in a test file of its own.
 */
export function groundTruthSuite(name: string, factory: RuntimeFactory) {
  describe(`ground truth: ${name}`, () => {
    const clock = fakeClock(script[0]!.at - HOUR);
    let rt: EngineRuntime;
    const sent: ScriptEvent[] = [];
    const jar = new Map<string, string | undefined>();

    beforeAll(async () => {
      rt = await factory(clock, sites);
      return () => rt.close();
    });

    /** Sends the script's events up to `until` as the tracker would: consent flag, the cookie it holds. */
    async function sendUntil(until: number) {
      for (const e of script) {
        if (e.at > until || sent.includes(e)) continue;
        clock.set(e.at);
        const host = e.host ?? e.site.hosts[0]!;
        // a refusal deletes the id cookie before the request (tracker/src/consent.ts)
        if (!e.cookie) jar.delete(e.person);
        const body = { s: e.site.id, u: `https://${host}${e.path}`, r: e.referrer, n: e.name, p: e.props, w: e.width, c: e.cookie ? 1 : 0, v: jar.get(e.person) };
        const res = await rt.app.request('/api/event', {
          method: 'POST',
          headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': e.ua, 'x-test-peer': e.peer, origin: `https://${host}` },
          body: JSON.stringify(body),
        });
        expect(res.status, `${e.person} at ${new Date(e.at).toISOString()}`).toBe(202);
        const answer = (await res.json()) as { m?: string; v?: string };
        if (answer.m) jar.set(e.person, answer.v);
        sent.push(e);
      }
    }

    const get = async (site: SiteSpec, path: string) => {
      const res = await rt.stats(`/api/stats/${site.id}${path}`);
      expect(res.status, path).toBe(200);
      return res.headers.get('content-type')?.includes('json') ? ((await res.json()) as any) : await res.text();
    };

    async function checkTokyo() {
      const truth = new Truth(tokyo, sent);
      const [first, , last] = days.tokyo as [string, string, string];
      const whole = `?period=custom&from=${first}&to=${last}`;
      for (const day of days.tokyo) expect.soft(await get(tokyo, `/summary?period=day&date=${day}`), `summary ${day}`).toEqual(truth.summaryReport(day, day));
      expect.soft(await get(tokyo, `/summary${whole}`), 'summary of three days').toEqual(truth.summaryReport(first, last));
      expect.soft((await get(tokyo, `/timeseries${whole}&interval=day`)).points, 'daily series').toEqual(truth.daily(first, last));
      expect.soft((await get(tokyo, `/timeseries?period=day&date=${days.tokyo[1]}`)).points, 'hourly series').toEqual(truth.hourly(days.tokyo[1]!));
      const r = truth.range(first, last);
      for (const dim of breakdownDims) expect.soft((await get(tokyo, `/breakdown/${dim}${whole}&limit=1000`)).items, dim).toEqual(truth.breakdown(dim, r.from, r.to));
      for (const dim of propDims) expect.soft([...(await get(tokyo, `/breakdown/${dim}${whole}&limit=1000`)).items].sort(byJson), dim).toEqual(truth.breakdown(dim, r.from, r.to).sort(byJson));
      for (const filters of filterSets) {
        const q = query(filters);
        expect.soft(await get(tokyo, `/summary${whole}${q}`), `summary${q}`).toEqual(truth.summaryReport(first, last, filters));
        expect.soft((await get(tokyo, `/timeseries${whole}&interval=day${q}`)).points, `series${q}`).toEqual(truth.daily(first, last, filters));
        for (const dim of ['page', 'source']) expect.soft((await get(tokyo, `/breakdown/${dim}${whole}&limit=1000${q}`)).items, `${dim}${q}`).toEqual(truth.breakdown(dim, r.from, r.to, filters));
      }
      // page views counted at their own time: the countries' filtered sums are the whole
      const countries = truth.breakdown('country', r.from, r.to).map((i) => (i.value === null ? '(none)' : String(i.value)));
      let sum = 0;
      for (const c of countries) sum += (await get(tokyo, `/summary${whole}&f.country=${c}`)).current.pageviews;
      expect.soft(sum).toBe(truth.summary(r.from, r.to).pageviews);
      // CSV: the same figures
      const series = truth.daily(first, last);
      expect.soft(await get(tokyo, `/export.csv${whole}&interval=day`)).toBe(
        csv([['date', 'visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration_s'], ...series.map((p) => [p.date, p.visitors, p.visits, p.pageviews, p.viewsPerVisit, p.bounceRate, p.visitDuration])]),
      );
      const sources = truth.breakdown('source', r.from, r.to).sort(byRank);
      expect.soft(await get(tokyo, `/export.csv${whole}&report=source`)).toBe(
        csv([['source', 'visitors', 'visits', 'pageviews', 'events', 'bounce_rate', 'visit_duration_s'], ...sources.map((i) => [i.value ?? '(none)', i.visitors, i.visits, i.pageviews, i.events, i.bounceRate, i.visitDuration])]),
      );
    }

    async function checkZones() {
      for (const [site, list] of [[berlin, days.berlin], [kathmandu, days.ktm]] as const) {
        const truth = new Truth(site, sent);
        const [first, last] = [list[0]!, list.at(-1)!];
        expect.soft((await get(site, `/timeseries?period=custom&from=${first}&to=${last}&interval=day`)).points, `${site.id} daily`).toEqual(truth.daily(first, last));
        // a filter sends the series to the raw rows, whose days must be cut at local midnight too
        const local = [{ dim: 'country', op: 'is', value: site === berlin ? 'DE' : '(none)' }] as const;
        expect.soft((await get(site, `/timeseries?period=custom&from=${first}&to=${last}&interval=day${query(local)}`)).points, `${site.id} daily, filtered`).toEqual(truth.daily(first, last, local));
        for (const day of list) expect.soft((await get(site, `/summary?period=day&date=${day}`)).current, `${site.id} ${day}`).toEqual(truth.summaryReport(day, day).current);
      }
      const ktm = new Truth(kathmandu, sent);
      expect.soft((await get(kathmandu, `/timeseries?period=day&date=${days.ktm[0]}`)).points, 'Kathmandu hours').toEqual(ktm.hourly(days.ktm[0]!));
    }

    it('a visit under way across an hour boundary: every figure while it goes on', async () => {
      await sendUntil(midVisit);
      clock.set(midVisit);
      const truth = new Truth(tokyo, sent);
      const realtime = truth.realtime(midVisit);
      const got = await get(tokyo, '/realtime');
      expect.soft(got.visitors).toBe(realtime.visitors);
      expect.soft([...got.pages].sort(byJson)).toEqual([...realtime.pages].sort(byJson));
      await checkTokyo();
      await rt.settle(midVisit);
      await checkTokyo();
    }, SLOW);

    it('all traffic: every report equals the truth, from the raw rows', async () => {
      await sendUntil(Infinity);
      clock.set(script.at(-1)!.at + 10 * MIN);
      await checkTokyo();
      await checkZones();
    }, SLOW);

    it('and again once the background work has run', async () => {
      clock.set(script.at(-1)!.at + 3 * HOUR);
      await rt.settle(clock());
      await checkTokyo();
      await checkZones();
    }, SLOW);

    it('the script is what the issue asks for', () => {
      const visitors = new Set(sites.flatMap((s) => new Truth(s, script).visits.map((v) => `${s.id}|${v.visitor}`)));
      expect(visitors.size).toBeGreaterThanOrEqual(40);
      const t = new Truth(tokyo, script);
      // one visit and one visitor for each consent change and for the salt turn
      for (const p of ['grant-jp', 'grant-de', 'withdraw-jp', 'withdraw-us', 'salt-turn', 'midnight']) expect(t.visits.filter((v) => v.events[0]!.person === p), p).toHaveLength(1);
      expect(t.visits.filter((v) => v.events[0]!.person === 'idle29')).toHaveLength(1);
      expect(t.visits.filter((v) => v.events[0]!.person === 'idle30')).toHaveLength(2);
      expect(t.visits.filter((v) => v.events[0]!.person === 'idle31')).toHaveLength(2);
    });
  });
}
