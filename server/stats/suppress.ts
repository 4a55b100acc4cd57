import type { BreakdownItem, Summary, TimeseriesPoint } from './queries.ts';

/**
 * Minimum cell size for statistics that leave the building (shared links): a count of visitors between 1
 * and k−1 is not shown. Suppressed breakdown rows are pooled into one "(other)" row, shown only when the
 * pool itself reaches k, so no single small cell can be read off as the difference to the total.
 */
export const OTHER = '(other)';

export function suppressBreakdown(items: readonly BreakdownItem[], k: number, limit = Infinity): BreakdownItem[] {
  const shown = items.filter((i) => i.visitors >= k).slice(0, limit);
  const hidden = items.filter((i) => i.visitors > 0 && i.visitors < k);
  const pooled = hidden.reduce(
    (o, i) => ({ ...o, visitors: o.visitors + i.visitors, visits: o.visits + i.visits, pageviews: o.pageviews + i.pageviews, events: o.events + i.events }),
    { value: OTHER, visitors: 0, visits: 0, pageviews: 0, events: 0, bounceRate: null, visitDuration: null } as BreakdownItem,
  );
  if (pooled.visitors >= k) return [...shown, pooled];
  // the pool is itself small: suppress it, and also the smallest shown row when exactly one cell would
  // otherwise be recoverable from a published total
  if (hidden.length === 1 && shown.length > 0) return shown.slice(0, -1);
  return shown;
}

/** A summary or series point whose visitors fall below k shows no counts at all. */
export function suppressSummary<T extends Summary | TimeseriesPoint>(s: T, k: number): T | (Omit<T, keyof Summary> & { suppressed: true }) {
  if (s.visitors === 0 || s.visitors >= k) return s;
  if ('date' in s) return { date: s.date, suppressed: true } as unknown as Omit<T, keyof Summary> & { suppressed: true };
  return { suppressed: true } as Omit<T, keyof Summary> & { suppressed: true };
}
