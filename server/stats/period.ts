import { addDays, daysBetween, isDay, localDay, startOfDay } from '../time.ts';

export const periods = ['day', '7d', '30d', 'month', '6mo', '12mo', 'custom'] as const;
export type Period = (typeof periods)[number];

/** A reporting range: whole local days [fromDay, toDay] in the site's zone, and the instants they span. */
export interface Range {
  fromDay: string;
  /** inclusive */
  toDay: string;
  from: number;
  /** exclusive */
  to: number;
  tz: string;
}

export class RangeError400 extends Error {}

export function rangeOfDays(fromDay: string, toDay: string, tz: string): Range {
  return { fromDay, toDay, from: startOfDay(fromDay, tz), to: startOfDay(addDays(toDay, 1), tz), tz };
}

/**
 * Plausible-style periods ending on `date` (default: today in the site's zone); `custom` takes from/to.
 * Ranges are capped at 2 years so one request cannot ask for an unbounded scan.
 */
export function parseRange(q: { period?: string; date?: string; from?: string; to?: string }, tz: string, now: number): Range {
  const period = (q.period ?? '30d') as Period;
  if (!periods.includes(period)) throw new RangeError400(`period must be one of ${periods.join(', ')}`);
  if (q.date !== undefined && !isDay(q.date)) throw new RangeError400('date must be YYYY-MM-DD');
  const end = q.date ?? localDay(now, tz);
  switch (period) {
    case 'day':
      return rangeOfDays(end, end, tz);
    case '7d':
      return rangeOfDays(addDays(end, -6), end, tz);
    case '30d':
      return rangeOfDays(addDays(end, -29), end, tz);
    case 'month':
      return rangeOfDays(`${end.slice(0, 8)}01`, end, tz);
    case '6mo':
      return rangeOfDays(addDays(end, -182), end, tz);
    case '12mo':
      return rangeOfDays(addDays(end, -364), end, tz);
    case 'custom': {
      if (!q.from || !q.to || !isDay(q.from) || !isDay(q.to)) throw new RangeError400('a custom period needs from and to as YYYY-MM-DD');
      if (q.from > q.to) throw new RangeError400('from must not be after to');
      if (daysBetween(q.from, q.to) > 731) throw new RangeError400('a range may span at most two years');
      return rangeOfDays(q.from, q.to, tz);
    }
  }
}

/** The range of the same length just before `r`, for comparisons. */
export function previousRange(r: Range): Range {
  const len = daysBetween(r.fromDay, r.toDay) + 1;
  return rangeOfDays(addDays(r.fromDay, -len), addDays(r.fromDay, -1), r.tz);
}
