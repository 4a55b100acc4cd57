import type { ParsedDimension } from './dimensions.ts';
import type { Range } from './period.ts';
import { addTotals, openTotals, perOpenDay, rolledEnd, zero, type StatsContext } from './queries.ts';
import { rawBreakdown, type BreakdownRow, type BreakdownValue, type Totals } from './raw-queries.ts';
import { rolledBreakdownHours, rolledHours } from './rollups.ts';
import { localDay } from '../time.ts';

/**
 * Statistics per local day, each day counted on its own (visitors are the day's unique visitors). Published
 * statistics are built from these cells and nothing else, so that any two published figures differ by a
 * sum of published day cells.
 */

/** Each local day's totals in the range, rollups for closed hours and raw rows after. */
export async function dailyTotals(ctx: StatsContext, range: Range): Promise<Map<string, Totals>> {
  const closed = await rolledEnd(ctx, range);
  const byDay = new Map<string, Totals>();
  const add = (day: string, t: Totals) => byDay.set(day, addTotals(byDay.get(day) ?? zero, t));
  for (const h of await rolledHours(ctx.db, ctx.site, range.from, closed)) add(localDay(h.hour, range.tz), { ...h, visitors: h.dayVisitors });
  for (const o of await openTotals(ctx, closed, range.to, range.tz)) add(o.day, o.totals);
  return byDay;
}

/** Each local day's rows of a rolled dimension: value → totals, visitors being the day's unique visitors per value. */
export async function dailyBreakdown(ctx: StatsContext, range: Range, dim: ParsedDimension): Promise<Map<string, BreakdownRow[]>> {
  const closed = dim.level === 'prop' ? range.from : await rolledEnd(ctx, range);
  const byDay = new Map<string, Map<BreakdownValue, BreakdownRow>>();
  const add = (day: string, r: BreakdownRow) => {
    let rows = byDay.get(day);
    if (!rows) byDay.set(day, (rows = new Map()));
    const m = rows.get(r.value);
    if (!m) rows.set(r.value, { value: r.value, visitors: r.visitors, visits: r.visits, pageviews: r.pageviews, events: r.events, bounces: r.bounces, duration: r.duration });
    else for (const k of ['visitors', 'visits', 'pageviews', 'events', 'bounces', 'duration'] as const) m[k] += r[k];
  };
  for (const r of await rolledBreakdownHours(ctx.db, ctx.site, dim.name, range.from, closed)) add(localDay(r.hour, range.tz), r);
  for (const o of await perOpenDay(ctx, closed, range.to, range.tz, (scope) => rawBreakdown(scope, dim, 1_000_000))) for (const r of o.value) add(o.day, r);
  return new Map([...byDay].map(([day, rows]) => [day, [...rows.values()]]));
}
