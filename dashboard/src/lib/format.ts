/**
 * Numbers, durations and dates for one UI language, with Intl. Pure: the locale is passed in.
 * Report dates are the site's local days ("2026-11-20", "2026-11-20T14:00"), so they are formatted as UTC
 * wall-clock values and never shifted into the browser's zone.
 */
import type { Interval, Summary } from '../../../server/stats/wire.ts';
import type { Locale } from '../i18n/translate.ts';

const numberFormats = new Map<string, Intl.NumberFormat>();
function nf(locale: Locale, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(locale, options)));
  return f;
}

/** Every digit, grouped: 1,234 */
export const formatNumber = (n: number, locale: Locale): string => nf(locale, { maximumFractionDigits: 2 }).format(n);

/**
 * Short counts for cards and rows: 987 · 1.2k · 12k · 1.2M in English; Japanese groups by 万 (10⁴), so
 * 1,234 stays whole and 12,345 is 1.2万.
 */
export function formatCount(n: number, locale: Locale): string {
  if (Math.abs(n) < (locale === 'ja' ? 10_000 : 1_000)) return formatNumber(n, locale);
  const text = nf(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(n);
  return locale === 'en' ? text.replace(/K$/, 'k') : text;
}

/** A value that is already a percentage: 42 → 42% */
export const formatPercent = (n: number, locale: Locale): string => nf(locale, { style: 'percent', maximumFractionDigits: 0 }).format(n / 100);

/** A change in percent with its sign: +12% · -8% · 0% */
export const formatChange = (n: number, locale: Locale): string =>
  nf(locale, { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' }).format(n / 100);

const pad = (n: number) => String(n).padStart(2, '0');

/** Seconds as 45s · 2m 05s · 1h 02m (en) or 45秒 · 2分05秒 · 1時間02分 (ja). */
export function formatDuration(seconds: number, locale: Locale): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (locale === 'ja') return h ? `${h}時間${pad(m)}分` : m ? `${m}分${pad(s)}秒` : `${s}秒`;
  return h ? `${h}h ${pad(m)}m` : m ? `${m}m ${pad(s)}s` : `${s}s`;
}

export type Metric = keyof Summary;

/** A summary metric as a card shows it (compact counts). */
export function formatMetric(metric: Metric, value: number, locale: Locale): string {
  switch (metric) {
    case 'bounceRate':
      return formatPercent(value, locale);
    case 'visitDuration':
      return formatDuration(value, locale);
    case 'viewsPerVisit':
      return formatNumber(value, locale);
    default:
      return formatCount(value, locale);
  }
}

/** Every digit, for tooltips and tables where there is room. */
export function formatMetricFull(metric: Metric, value: number, locale: Locale): string {
  return metric === 'visitors' || metric === 'visits' || metric === 'pageviews' ? formatNumber(value, locale) : formatMetric(metric, value, locale);
}

/** A report date or date-time ("2026-11-20", "2026-11-20T14:00") as an instant whose UTC fields are the local ones. */
export function labelToUtc(label: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(label);
  if (!m) return NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0));
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function df(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (!f) dateFormats.set(key, (f = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' })));
  return f;
}

/** Nov 20 · 11月20日 (with the year when `withYear`) */
export const formatDay = (day: string, locale: Locale, withYear = false): string =>
  df(locale, withYear ? { year: 'numeric', month: 'short', day: 'numeric' } : { month: 'short', day: 'numeric' }).format(labelToUtc(day));

/** A chart bucket's label: the hour, the day, the week's first day, or the month. */
export function formatBucket(label: string, interval: Interval, locale: Locale, long = false): string {
  const t = labelToUtc(label);
  switch (interval) {
    case 'hour':
      return long
        ? df(locale, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(t)
        : df(locale, { hour: 'numeric', minute: '2-digit' }).format(t);
    case 'month':
      return df(locale, { year: 'numeric', month: long ? 'long' : 'short' }).format(t);
    default:
      return df(locale, long ? { year: 'numeric', month: 'short', day: 'numeric', weekday: 'short' } : { month: 'short', day: 'numeric' }).format(t);
  }
}

/** Nov 1 – 28, 2026 · 2026年11月1日～28日; one day alone when from = to. */
export function formatRange(from: string, to: string, locale: Locale): string {
  const f = df(locale, { year: 'numeric', month: 'short', day: 'numeric' });
  return from === to ? f.format(labelToUtc(from)) : f.formatRange(labelToUtc(from), labelToUtc(to));
}

const regionNames = new Map<Locale, Intl.DisplayNames | null>();

/** JP → Japan · 日本; an unknown code is shown as it is. */
export function countryName(code: string, locale: Locale): string {
  if (!regionNames.has(locale)) {
    try {
      regionNames.set(locale, new Intl.DisplayNames([locale], { type: 'region' }));
    } catch {
      regionNames.set(locale, null);
    }
  }
  try {
    return regionNames.get(locale)?.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** An instant (epoch ms) as a date in the reader's zone (or `timeZone`): Nov 20, 2026 · 2026年11月20日 */
export function formatInstant(ms: number, locale: Locale, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', ...(timeZone ? { timeZone } : {}) }).format(ms);
}

/** An instant with its time, in the reader's zone (or `timeZone`): Nov 20, 2026, 14:05 · 2026年11月20日 14:05 */
export function formatDateTime(ms: number, locale: Locale, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
  }).format(ms);
}

/** Yen as the policy's notices write it: ¥1,000 · 1,000円 */
export const formatYen = (yen: number, locale: Locale): string => (locale === 'ja' ? `${formatNumber(yen, locale)}円` : `¥${formatNumber(yen, locale)}`);
