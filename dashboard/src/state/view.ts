/**
 * What the overview shows, kept in the query string so a view can be shared and back/forward works:
 * `?period=7d&f.page=/pricing&metric=pageviews&compare=previous&details=source`. Pure: parse and print.
 * The API's own parameters (period, date, from, to, f.<dimension>, fn.<dimension>) are passed through as
 * they are; the rest (metric, interval, compare, prop, details) only steer the page.
 */
import type { Dimension, EventDimension, SessionDimension } from '../../../server/stats/wire.ts';
import type { Period } from '../../../server/stats/wire.ts';
import type { Interval } from '../../../server/stats/wire.ts';
import { addDays, isDay } from '../lib/days.ts';
import type { Metric } from '../lib/format.ts';

export const periods = ['day', '7d', '30d', 'month', '6mo', '12mo', 'custom'] as const satisfies readonly Period[];
export const metrics = ['visitors', 'visits', 'pageviews', 'viewsPerVisit', 'bounceRate', 'visitDuration'] as const satisfies readonly Metric[];
export const intervals = ['hour', 'day', 'week', 'month'] as const satisfies readonly Interval[];

const sessionDims = ['entry_page', 'exit_page', 'source', 'utm_source', 'utm_medium', 'utm_campaign', 'country', 'browser', 'os', 'device'] as const satisfies readonly SessionDimension[];
const eventDims = ['page', 'event'] as const satisfies readonly EventDimension[];
const propKey = /^[A-Za-z0-9_.-]{1,64}$/;

export const isPropKey = (key: string): boolean => propKey.test(key);

/** The server's allow-list (server/stats/dimensions.ts), as the page checks a URL before asking. */
export function isDimension(name: string): name is Dimension {
  if (name.startsWith('prop:')) return isPropKey(name.slice(5));
  return (sessionDims as readonly string[]).includes(name) || (eventDims as readonly string[]).includes(name);
}

export const DEFAULT_PERIOD: Period = '30d';
export const DEFAULT_METRIC: Metric = 'visitors';
/** the API's limit */
export const MAX_FILTERS = 10;

export interface ViewFilter {
  dimension: Dimension;
  /** fn.<dimension>: "is not" */
  negated: boolean;
  /** `(none)` matches an empty value */
  value: string;
}

export interface View {
  period: Period;
  /** the last day of a preset period (default: today in the site's zone) */
  date?: string;
  /** a custom period's first and last day */
  from?: string;
  to?: string;
  filters: ViewFilter[];
  metric: Metric;
  interval?: Interval;
  compare: boolean;
  /** the custom-event property the Goals card breaks down */
  prop?: string;
  /** the dimension whose long list is open */
  details?: Dimension;
}

export const defaultView = (): View => ({ period: DEFAULT_PERIOD, filters: [], metric: DEFAULT_METRIC, compare: false });

const oneOf = <T extends string>(list: readonly T[], value: string | null): T | undefined =>
  value !== null && (list as readonly string[]).includes(value) ? (value as T) : undefined;

/** A query string as a view; anything unknown or malformed falls back to the default rather than failing. */
export function parseView(search: string | URLSearchParams): View {
  const q = typeof search === 'string' ? new URLSearchParams(search) : search;
  const view = defaultView();
  view.period = oneOf(periods, q.get('period')) ?? DEFAULT_PERIOD;
  if (view.period === 'custom') {
    const from = q.get('from');
    const to = q.get('to');
    if (isDay(from) && isDay(to) && from <= to) Object.assign(view, { from, to });
    else view.period = DEFAULT_PERIOD;
  } else {
    const date = q.get('date');
    if (isDay(date)) view.date = date;
  }
  const seen = new Set<string>();
  for (const [key, value] of q) {
    const m = /^(f|fn)\.(.+)$/.exec(key);
    if (!m || !isDimension(m[2]!) || value.length > 512 || seen.has(key) || view.filters.length >= MAX_FILTERS) continue;
    seen.add(key); // the server reads the first value of a key
    view.filters.push({ dimension: m[2]! as Dimension, negated: m[1] === 'fn', value });
  }
  view.metric = oneOf(metrics, q.get('metric')) ?? DEFAULT_METRIC;
  const interval = oneOf(intervals, q.get('interval'));
  if (interval) view.interval = interval;
  view.compare = q.get('compare') === 'previous';
  const prop = q.get('prop');
  if (prop && isPropKey(prop)) view.prop = prop;
  const details = q.get('details');
  if (details && isDimension(details)) view.details = details;
  return view;
}

/** The range and filters as the stats API takes them. */
export function apiParams(view: View): URLSearchParams {
  const q = new URLSearchParams();
  q.set('period', view.period);
  if (view.period === 'custom') {
    q.set('from', view.from!);
    q.set('to', view.to!);
  } else if (view.date) q.set('date', view.date);
  for (const f of view.filters) q.set(`${f.negated ? 'fn' : 'f'}.${f.dimension}`, f.value);
  return q;
}

/** A view as its query string (without `?`), defaults left out, in a stable order. */
export function printView(view: View): string {
  const q = apiParams(view);
  if (view.period === DEFAULT_PERIOD && !view.date) q.delete('period');
  if (view.metric !== DEFAULT_METRIC) q.set('metric', view.metric);
  if (view.interval) q.set('interval', view.interval);
  if (view.compare) q.set('compare', 'previous');
  if (view.prop) q.set('prop', view.prop);
  if (view.details) q.set('details', view.details);
  return q.toString();
}

/** Filters by `dimension` (replacing any filter on it), as a click on a row does. */
export function withFilter(view: View, filter: ViewFilter): View {
  const others = view.filters.filter((f) => f.dimension !== filter.dimension);
  if (others.length >= MAX_FILTERS) return view;
  return { ...view, filters: [...others, filter], details: undefined };
}

export function withoutFilter(view: View, dimension: Dimension, negated: boolean): View {
  return { ...view, filters: view.filters.filter((f) => !(f.dimension === dimension && f.negated === negated)) };
}

export const filterValue = (view: View, dimension: Dimension): string | undefined =>
  view.filters.find((f) => f.dimension === dimension && !f.negated)?.value;

/** The date-range menu's choices: the API's periods, with "yesterday" as one day ending the day before. */
export const presets = ['day', 'yesterday', '7d', '30d', 'month', '6mo', '12mo', 'custom'] as const;
export type Preset = (typeof presets)[number];

/** Which choice of the menu a view is (a preset ending on another day counts as custom). */
export function presetOf(view: View, today: string): Preset {
  if (view.period === 'custom') return 'custom';
  if (view.period === 'day' && view.date === addDays(today, -1)) return 'yesterday';
  if (!view.date || view.date === today) return view.period;
  return 'custom';
}

/** A view with the range a menu choice stands for (custom takes from/to). */
export function withPreset(view: View, preset: Preset, today: string, custom?: { from: string; to: string }): View {
  const base = { ...view, date: undefined, from: undefined, to: undefined, interval: undefined };
  if (preset === 'yesterday') return { ...base, period: 'day', date: addDays(today, -1) };
  if (preset === 'custom') {
    if (!custom || !isDay(custom.from) || !isDay(custom.to) || custom.from > custom.to) return view;
    return { ...base, period: 'custom', from: custom.from, to: custom.to };
  }
  return { ...base, period: preset };
}
