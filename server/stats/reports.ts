import type { EventStore, ReportQuery } from '../store/events/event-store.ts';
import type { Filter, ParsedDimension } from './dimensions.ts';
import { previousRange, type Range } from './period.ts';
import { bucketStarts, change, item, summarize, zero, type BreakdownItem, type Interval, type Realtime, type SummaryReport, type TimeseriesPoint } from './queries.ts';
import { localDay } from './time.ts';

/** What every report is about: a site in its zone, and the filters of the request. */
export interface ReportScope {
  site: string;
  tz: string;
  filters: readonly Filter[];
}

const query = (s: ReportScope, r: Range): ReportQuery => ({ ...r, site: s.site, tz: s.tz, filters: s.filters });

/** The stats API's answers, whichever engine holds the events: shapes and rounding are made here, once. */
export async function summaryReport(events: EventStore, s: ReportScope, range: Range): Promise<SummaryReport> {
  const [current, previous] = await Promise.all([events.totals(query(s, range)), events.totals(query(s, previousRange(range)))]);
  const c = summarize(current);
  const p = summarize(previous);
  return { range: { from: range.fromDay, to: range.toDay, tz: range.tz }, current: c, previous: p, change: change(c, p) };
}

/** Every bucket of the range, empty ones included. */
export async function timeseries(events: EventStore, s: ReportScope, range: Range, interval: Interval): Promise<TimeseriesPoint[]> {
  const rows = new Map((await events.series(query(s, range), interval)).map((r) => [r.date, r]));
  return bucketStarts(range, interval).map(({ label }) => ({ date: label, ...summarize(rows.get(label) ?? zero) }));
}

export async function breakdown(events: EventStore, s: ReportScope, range: Range, dim: ParsedDimension, limit: number): Promise<BreakdownItem[]> {
  return (await events.breakdown(query(s, range), dim, limit)).map((r) => item(r, dim.level === 'session'));
}

export async function realtime(events: EventStore, s: ReportScope, now: number): Promise<Realtime> {
  const visitors = await events.currentVisitors(s.site, now - 5 * 60_000);
  const day = localDay(now, s.tz);
  const last30 = { from: now - 30 * 60_000, to: now + 1, fromDay: day, toDay: day, tz: s.tz };
  return { visitors, pages: await breakdown(events, s, last30, { level: 'event', name: 'page', column: 'path' }, 10) };
}
