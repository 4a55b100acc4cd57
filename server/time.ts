/**
 * Calendar arithmetic in a site's time zone with nothing but Intl: statistics are reported in the site's
 * local days (Asia/Tokyo by default), while the store keeps UTC milliseconds.
 */
const HOUR = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Offset of `tz` from UTC at instant `ms`, in ms (Tokyo: +9 h). */
export function tzOffset(ms: number, tz: string): number {
  const parts = Object.fromEntries(formatter(tz).formatToParts(ms).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The local calendar day of an instant, as YYYY-MM-DD. */
export function localDay(ms: number, tz: string): string {
  return new Date(ms + tzOffset(ms, tz)).toISOString().slice(0, 10);
}

/** The instant a local day begins (DST-safe: the offset is taken at that moment, checked twice). */
export function startOfDay(day: string, tz: string): number {
  const naive = Date.parse(`${day}T00:00:00Z`);
  let guess = naive - tzOffset(naive, tz);
  guess = naive - tzOffset(guess, tz);
  return guess;
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

export { HOUR };
