import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { DialectSql } from '../store/sql.ts';
import type { Filter, ParsedDimension } from './dimensions.ts';
import { previousRange, type Range } from './period.ts';
import { Hll } from './hll.ts';
import { rawBreakdown, rawBuckets, rawCurrentVisitors, rawTotals, rawVisitorCount, rawVisitorIds, type BreakdownRow, type RawScope, type Totals } from './raw-queries.ts';
import { rolledBreakdown, rolledDays, rolledHours, rolledTotals, rolledUntil, seenUntil } from './rollups.ts';
import { addDays, HOUR, localDay, startOfDay, tzOffset } from './time.ts';

/** The report shapes the API returns; the dashboard imports these types (`import type`). */
export interface Summary {
  visitors: number;
  visits: number;
  pageviews: number;
  viewsPerVisit: number;
  /** percent of visits with one page view and no other event */
  bounceRate: number;
  /** mean visit length, seconds */
  visitDuration: number;
}

export interface SummaryReport {
  range: { from: string; to: string; tz: string };
  current: Summary;
  previous: Summary;
  /** percent change per metric; null where the previous value is 0 */
  change: Record<keyof Summary, number | null>;
}

export type Interval = 'hour' | 'day' | 'week' | 'month';

export interface TimeseriesPoint extends Summary {
  /** bucket start: ISO local date (day/week/month) or local date-time (hour) */
  date: string;
}

export interface BreakdownItem {
  value: string | null;
  visitors: number;
  visits: number;
  pageviews: number;
  events: number;
  bounceRate: number | null;
  visitDuration: number | null;
}

export interface StatsContext {
  db: Kysely<Database>;
  dialect: DialectSql;
  site: string;
  tz: string;
  filters: readonly Filter[];
}

export const scopeOf = (ctx: StatsContext, from: number, to: number): RawScope => ({ db: ctx.db, dialect: ctx.dialect, site: ctx.site, from, to, filters: ctx.filters });

export function summarize(t: Totals): Summary {
  return {
    visitors: t.visitors,
    visits: t.visits,
    pageviews: t.pageviews,
    viewsPerVisit: t.visits ? round(t.pageviews / t.visits, 2) : 0,
    bounceRate: t.visits ? Math.round((t.bounces / t.visits) * 100) : 0,
    visitDuration: t.visits ? Math.round(t.duration / t.visits / 1000) : 0,
  };
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

export function change(current: Summary, previous: Summary): Record<keyof Summary, number | null> {
  const out = {} as Record<keyof Summary, number | null>;
  for (const k of Object.keys(current) as (keyof Summary)[]) {
    out[k] = previous[k] ? Math.round(((current[k] - previous[k]) / previous[k]) * 100) : null;
  }
  return out;
}

/**
 * Up to this many visits, unique visitors are counted exactly from the raw sessions; above it, a
 * HyperLogLog of the days' sketches answers (±1.6 % standard error). A completed single day is always exact.
 */
export const EXACT_VISITS_LIMIT = 50_000;

export const addTotals = (a: Totals, b: Totals): Totals => ({
  visitors: a.visitors + b.visitors,
  visits: a.visits + b.visits,
  pageviews: a.pageviews + b.pageviews,
  bounces: a.bounces + b.bounces,
  duration: a.duration + b.duration,
  events: a.events + b.events,
});

/** Rollups answer unfiltered questions about rolled hours; filters and the newest hours go to the raw tables. */
export async function rolledEnd(ctx: StatsContext, range: { from: number; to: number }): Promise<number> {
  if (ctx.filters.length) return range.from;
  return Math.max(range.from, Math.min(await rolledUntil(ctx.db, ctx.site), range.to));
}

/** [from, to) cut at local midnights: raw counts of visitors new to each day need the day's start. */
export function dayPieces(from: number, to: number, tz: string): { from: number; to: number; dayStart: number; day: string }[] {
  const out = [];
  let a = from;
  while (a < to) {
    const day = localDay(a, tz);
    const dayStart = startOfDay(day, tz);
    const b = Math.min(to, startOfDay(addDays(day, 1), tz));
    out.push({ from: a, to: b, dayStart, day });
    a = b;
  }
  return out;
}

/**
 * Raw answers for the not-yet-rolled part [from, to), a piece per local day, visitors counted once per day
 * as the rollups count them. The piece that continues the day the rollup is in asks stats_seen who was
 * already counted that day (an index probe per row); other pieces scan their day so far. Should the rollup
 * move on meanwhile, the answer is worked out again the slow way.
 */
export async function perOpenDay<T>(ctx: StatsContext, from: number, to: number, tz: string, run: (scope: RawScope) => Promise<T>): Promise<{ day: string; value: T }[]> {
  const pieces = dayPieces(from, to, tz);
  if (!pieces.length) return [];
  const seen = await seenUntil(ctx.db, ctx.site);
  const viaSeen = (p: (typeof pieces)[number]) => p.from === seen && p.dayStart % HOUR === 0 && localDay(p.from - HOUR, tz) === p.day;
  const answer = (slow: boolean) =>
    Promise.all(
      pieces.map(async (p) => ({
        day: p.day,
        value: await run(!slow && viaSeen(p) ? { ...scopeOf(ctx, p.from, p.to), seenDay: p.day } : { ...scopeOf(ctx, p.from, p.to), newSince: p.dayStart }),
      })),
    );
  const out = await answer(false);
  return pieces.some(viaSeen) && (await seenUntil(ctx.db, ctx.site)) !== seen ? answer(true) : out;
}

/** Raw totals of the not-yet-rolled part, visitors counted once per local day (as the rollups count them). */
export async function openTotals(ctx: StatsContext, from: number, to: number, tz: string): Promise<{ day: string; totals: Totals }[]> {
  return (await perOpenDay(ctx, from, to, tz, rawTotals)).map((o) => ({ day: o.day, totals: o.value }));
}

export async function totalsFor(ctx: StatsContext, range: Range): Promise<Totals> {
  const closed = await rolledEnd(ctx, range);
  if (closed === range.from) return rawTotals(scopeOf(ctx, range.from, range.to));
  let t = await rolledTotals(ctx.db, ctx.site, range.from, closed);
  for (const o of await openTotals(ctx, closed, range.to, range.tz)) t = addTotals(t, o.totals);
  // t.visitors now adds up each day's unique visitors: exact for one day
  if (range.fromDay === range.toDay) return t;
  return { ...t, visitors: await uniqueVisitors(ctx, range, closed, t.visits) };
}

/** Unique visitors over several days: exact while cheap, otherwise a HyperLogLog of the days' sketches. */
async function uniqueVisitors(ctx: StatsContext, range: Range, closed: number, visits: number): Promise<number> {
  if (visits <= EXACT_VISITS_LIMIT) return rawVisitorCount(scopeOf(ctx, range.from, range.to));
  const sketch = new Hll();
  for (const d of await rolledDays(ctx.db, ctx.site, range.fromDay, range.toDay)) sketch.merge(Hll.fromBase64(d.hll));
  for (const id of await rawVisitorIds(scopeOf(ctx, closed, range.to))) sketch.add(id);
  return sketch.estimate();
}

export async function summaryReport(ctx: StatsContext, range: Range): Promise<SummaryReport> {
  const prev = previousRange(range);
  const [current, previous] = await Promise.all([totalsFor(ctx, range), totalsFor(ctx, prev)]);
  const c = summarize(current);
  const p = summarize(previous);
  return { range: { from: range.fromDay, to: range.toDay, tz: range.tz }, current: c, previous: p, change: change(c, p) };
}

/** Bucket starts covering the range, in the site's zone. */
export function bucketStarts(range: Range, interval: Interval): { label: string; start: number }[] {
  const out: { label: string; start: number }[] = [];
  if (interval === 'hour') {
    for (let t = range.from; t < range.to; t += HOUR) {
      const local = new Date(t + tzOffset(t, range.tz)).toISOString();
      out.push({ label: `${local.slice(0, 13)}:00`, start: t });
    }
    return out;
  }
  let day = range.fromDay;
  if (interval === 'week') {
    const dow = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // weeks start on Monday
    day = addDays(day, -dow);
  }
  if (interval === 'month') day = `${day.slice(0, 8)}01`;
  while (day <= range.toDay) {
    out.push({ label: day, start: startOfDay(day, range.tz) });
    if (interval === 'day') day = addDays(day, 1);
    else if (interval === 'week') day = addDays(day, 7);
    else {
      const d = new Date(`${day}T00:00:00Z`);
      d.setUTCMonth(d.getUTCMonth() + 1);
      day = d.toISOString().slice(0, 10);
    }
  }
  return out;
}

export const zero: Totals = { visitors: 0, visits: 0, pageviews: 0, bounces: 0, duration: 0, events: 0 };

export async function timeseries(ctx: StatsContext, range: Range, interval: Interval): Promise<TimeseriesPoint[]> {
  return (await timeseriesTotals(ctx, range, interval)).map(({ date, ...t }) => ({ date, ...summarize(t) }));
}

/** The series' raw sums per bucket, every bucket of the range. */
export async function timeseriesTotals(ctx: StatsContext, range: Range, interval: Interval): Promise<(Totals & { date: string })[]> {
  const buckets = bucketStarts(range, interval);
  const closed = await rolledEnd(ctx, range);
  if (interval === 'hour') {
    const byHour = new Map<number, Totals>();
    for (const h of await rolledHours(ctx.db, ctx.site, range.from, closed)) byHour.set(h.hour, h);
    for (const r of await rawBuckets(scopeOf(ctx, closed, range.to), HOUR, 0)) byHour.set(r.bucket * HOUR, r);
    return buckets.map(({ label, start }) => ({ date: label, ...(byHour.get(start) ?? zero) }));
  }
  if (interval === 'day') {
    const byDay = new Map<string, Totals>();
    const add = (day: string, t: Totals) => byDay.set(day, addTotals(byDay.get(day) ?? zero, t));
    if (closed === range.from) {
      // raw only: buckets aligned to the zone's offset at the range start (exact for zones without DST)
      const offset = tzOffset(range.from, range.tz);
      for (const r of await rawBuckets(scopeOf(ctx, range.from, range.to), 24 * HOUR, offset)) {
        add(new Date(r.bucket * 24 * HOUR).toISOString().slice(0, 10), r);
      }
    } else {
      // rolled hours carry each day's new visitors, so they add up to the day's unique visitors
      for (const h of await rolledHours(ctx.db, ctx.site, range.from, closed)) add(localDay(h.hour, range.tz), { ...h, visitors: h.dayVisitors });
      for (const o of await openTotals(ctx, closed, range.to, range.tz)) add(o.day, o.totals);
    }
    return buckets.map(({ label }) => ({ date: label, ...(byDay.get(label) ?? zero) }));
  }
  // weeks and months: each bucket is its own small range
  return Promise.all(
    buckets.map(async ({ label, start }, i) => {
      const fromDay = label < range.fromDay ? range.fromDay : label;
      const next = buckets[i + 1];
      const toDay = next ? addDays(next.label, -1) : range.toDay;
      const t = await totalsFor(ctx, { ...range, fromDay, toDay: toDay > range.toDay ? range.toDay : toDay, from: Math.max(start, range.from), to: Math.min(next?.start ?? range.to, range.to) });
      return { date: label, ...t };
    }),
  );
}

/** The order SQL gives: NULL first, then by code point (as SQLite's default BINARY collation). */
function compareValues(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/** A row as the API reports it: rates only for visit-level dimensions, whose rows are whole visits. */
export function item(r: BreakdownRow, sessionLevel: boolean, withDuration = true): BreakdownItem {
  return {
    value: r.value,
    visitors: r.visitors,
    visits: r.visits,
    pageviews: r.pageviews,
    events: r.events,
    bounceRate: sessionLevel && r.visits ? Math.round((r.bounces / r.visits) * 100) : null,
    visitDuration: sessionLevel && r.visits && withDuration ? Math.round(r.duration / r.visits / 1000) : null,
  };
}

export async function breakdown(ctx: StatsContext, range: Range, dim: ParsedDimension, limit: number): Promise<BreakdownItem[]> {
  return (await breakdownRows(ctx, range, dim, limit)).map((r) => item(r, dim.level === 'session'));
}

/** The breakdown's raw sums per value, best first. */
export async function breakdownRows(ctx: StatsContext, range: Range, dim: ParsedDimension, limit: number): Promise<BreakdownRow[]> {
  const closed = dim.level === 'prop' ? range.from : await rolledEnd(ctx, range);
  if (closed === range.from) return rawBreakdown(scopeOf(ctx, range.from, range.to), dim, limit);
  const merged = new Map<string | null, BreakdownRow>();
  const rows = await rolledBreakdown(ctx.db, ctx.site, dim.name, range.from, closed);
  for (const o of await perOpenDay(ctx, closed, range.to, range.tz, (scope) => rawBreakdown(scope, dim, 1000))) rows.push(...o.value);
  for (const r of rows) {
    const m = merged.get(r.value);
    if (!m) merged.set(r.value, { ...r });
    else for (const k of ['visitors', 'visits', 'pageviews', 'events', 'bounces', 'duration'] as const) m[k] += r[k];
  }
  return [...merged.values()]
    .sort((a, b) => b.visitors - a.visitors || b.visits - a.visits || b.pageviews + b.events - (a.pageviews + a.events) || compareValues(a.value, b.value))
    .slice(0, limit);
}

export interface Realtime {
  /** distinct visitors with an event in the last five minutes */
  visitors: number;
  /** pages viewed in the last 30 minutes */
  pages: BreakdownItem[];
}

export async function realtime(ctx: StatsContext, now: number): Promise<Realtime> {
  const visitors = await rawCurrentVisitors(ctx.db, ctx.site, now - 5 * 60_000);
  const pages = await breakdown(ctx, { from: now - 30 * 60_000, to: now + 1, fromDay: localDay(now, ctx.tz), toDay: localDay(now, ctx.tz), tz: ctx.tz }, { level: 'event', name: 'page', column: 'path' }, 10);
  return { visitors, pages };
}
