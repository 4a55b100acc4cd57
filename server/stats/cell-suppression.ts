import type { BreakdownRow, BreakdownValue } from './raw-queries.ts';
import { OTHER } from './wire.ts';

export { OTHER };

/**
 * Primary and secondary suppression of one day's cells of one dimension (statistics that leave the
 * building). A cell of 1 to k−1 visitors is not shown; the hidden cells are pooled into "(other)", and
 * while that pool is itself between 1 and k−1 the smallest shown cells join it, so neither a small cell
 * nor a small pool can be read off as the difference between the day's total and what is shown.
 */
export interface ProtectedDay {
  shown: BreakdownRow[];
  /** the pooled remainder, at least k visitors, or null when there is none (or all of it had to go) */
  other: BreakdownRow | null;
}

const sumRows = (value: BreakdownValue, rows: readonly BreakdownRow[]): BreakdownRow =>
  rows.reduce(
    (o, r) => ({ ...o, visitors: o.visitors + r.visitors, visits: o.visits + r.visits, pageviews: o.pageviews + r.pageviews, events: o.events + r.events, bounces: o.bounces + r.bounces, duration: o.duration + r.duration }),
    { value, visitors: 0, visits: 0, pageviews: 0, events: 0, bounces: 0, duration: 0 },
  );

export function protectDay(cells: readonly BreakdownRow[], k: number, otherValue: string): ProtectedDay {
  const shown = cells.filter((c) => c.visitors >= k).sort((a, b) => b.visitors - a.visitors || b.visits - a.visits);
  const pooled = cells.filter((c) => c.visitors > 0 && c.visitors < k);
  let pool = sumRows(otherValue, pooled);
  while (pool.visitors > 0 && pool.visitors < k && shown.length) pool = sumRows(otherValue, [pool, shown.pop()!]);
  return { shown, other: pool.visitors >= k ? pool : null };
}

export { sumRows };
