import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { DialectSql } from '../store/sql.ts';
import type { Filter, ParsedDimension } from './dimensions.ts';
import { previousRange, type Range } from './period.ts';
import { rawBreakdown, rawBuckets, rawCurrentVisitors, rawTotals, type BreakdownRow, type RawScope, type Totals } from './raw-queries.ts';
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

const scopeOf = (ctx: StatsContext, from: number, to: number): RawScope => ({ db: ctx.db, dialect: ctx.dialect, site: ctx.site, from, to, filters: ctx.filters });

function summarize(t: Totals): Summary {
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

function change(current: Summary, previous: Summary): Record<keyof Summary, number | null> {
  const out = {} as Record<keyof Summary, number | null>;
  for (const k of Object.keys(current) as (keyof Summary)[]) {
    out[k] = previous[k] ? Math.round(((current[k] - previous[k]) / previous[k]) * 100) : null;
  }
  return out;
}

export async function summaryReport(ctx: StatsContext, range: Range): Promise<SummaryReport> {
  const prev = previousRange(range);
  const [current, previous] = await Promise.all([rawTotals(scopeOf(ctx, range.from, range.to)), rawTotals(scopeOf(ctx, prev.from, prev.to))]);
  const c = summarize(current);
  const p = summarize(previous);
  return { range: { from: range.fromDay, to: range.toDay, tz: range.tz }, current: c, previous: p, change: change(c, p) };
}

/** Bucket starts covering the range, in the site's zone. */
function bucketStarts(range: Range, interval: Interval): { label: string; start: number }[] {
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

export async function timeseries(ctx: StatsContext, range: Range, interval: Interval): Promise<TimeseriesPoint[]> {
  const buckets = bucketStarts(range, interval);
  if (interval === 'hour' || interval === 'day') {
    // fixed-size buckets aligned to the zone's offset at the range start (exact for zones without DST)
    const size = interval === 'hour' ? HOUR : 24 * HOUR;
    const offset = interval === 'hour' ? 0 : tzOffset(range.from, range.tz);
    const rows = await rawBuckets(scopeOf(ctx, range.from, range.to), size, offset);
    const byBucket = new Map(rows.map((r) => [r.bucket, r]));
    return buckets.map(({ label, start }) => {
      const r = byBucket.get(Math.floor((start + offset) / size));
      return { date: label, ...summarize(r ?? { visitors: 0, visits: 0, pageviews: 0, bounces: 0, duration: 0 }) };
    });
  }
  // weeks and months: one totals query per bucket keeps visitors exact within each bucket
  return Promise.all(
    buckets.map(async ({ label, start }, i) => {
      const end = Math.min(buckets[i + 1]?.start ?? range.to, range.to);
      const t = await rawTotals(scopeOf(ctx, Math.max(start, range.from), end));
      return { date: label, ...summarize(t) };
    }),
  );
}

function item(r: BreakdownRow, sessionLevel: boolean): BreakdownItem {
  return {
    value: r.value,
    visitors: r.visitors,
    visits: r.visits,
    pageviews: r.pageviews,
    events: r.events,
    bounceRate: sessionLevel && r.visits ? Math.round((r.bounces / r.visits) * 100) : null,
    visitDuration: sessionLevel && r.visits ? Math.round(r.duration / r.visits / 1000) : null,
  };
}

export async function breakdown(ctx: StatsContext, range: Range, dim: ParsedDimension, limit: number): Promise<BreakdownItem[]> {
  const rows = await rawBreakdown(scopeOf(ctx, range.from, range.to), dim, limit);
  return rows.map((r) => item(r, dim.level === 'session'));
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
