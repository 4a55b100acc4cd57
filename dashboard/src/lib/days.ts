/** Calendar days as ISO strings (YYYY-MM-DD), the way the stats API speaks them. Pure. */

export function isDay(s: string | null | undefined): s is string {
  if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** The site's wall clock now, as the API labels hours: YYYY-MM-DDTHH:00 in `timeZone`. */
export function hourIn(timeZone: string, now = Date.now()): string {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' }).formatToParts(now);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:00`;
  } catch {
    return `${new Date(now).toISOString().slice(0, 13)}:00`;
  }
}

/** Today in the site's time zone (the API's periods end there, not in the browser's zone). */
export const todayIn = (timeZone: string, now = Date.now()): string => hourIn(timeZone, now).slice(0, 10);

/**
 * The first instant (epoch ms) of a YYYY-MM-DD day in `timeZone`: how a day the page shows goes to the
 * server as ms, so the server counts the same day whatever zone the browser is in. The offset is taken at
 * the guess, then at the result, so it holds across a daylight-saving change too.
 */
export function dayStartIn(day: string, timeZone: string): number {
  const utc = Date.parse(`${day}T00:00:00Z`);
  const offsetAt = (ms: number): number => {
    try {
      const fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
      const p = Object.fromEntries(fmt.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
      return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - Math.floor(ms / 1000) * 1000;
    } catch {
      return 0;
    }
  };
  return utc - offsetAt(utc - offsetAt(utc));
}

/** Whole calendar days from the day of `from` to the day of `to`, both read in `timeZone`. */
export const calendarDaysIn = (from: number, to: number, timeZone: string): number => daysBetween(todayIn(timeZone, from), todayIn(timeZone, to));

/**
 * Which bucket of a series is still filling up (its index), given the buckets' start labels and the site's
 * current hour: the chart draws it dashed and leaves the ones after it (the future) out. -1 when the series
 * ended in the past (every bucket complete) or lies wholly in the future.
 */
export function openBucket(labels: readonly string[], interval: 'hour' | 'day' | 'week' | 'month', nowHour: string): number {
  const today = nowHour.slice(0, 10);
  const now = interval === 'hour' ? nowHour : today;
  let i = labels.length - 1;
  while (i >= 0 && labels[i]! > now) i--;
  if (i < 0) return -1;
  const start = labels[i]!;
  const holdsNow =
    interval === 'hour' ? start === nowHour : interval === 'day' ? start === today : interval === 'week' ? daysBetween(start, today) < 7 : start.slice(0, 7) === today.slice(0, 7);
  return holdsNow || i < labels.length - 1 ? i : -1;
}

/** The days just before [from, to], as many as it spans: the server's comparison period. */
export function previousDays(from: string, to: string): { from: string; to: string } {
  const len = daysBetween(from, to) + 1;
  return { from: addDays(from, -len), to: addDays(from, -1) };
}
