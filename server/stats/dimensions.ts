/**
 * The allow-list of what statistics can be broken down and filtered by. Query parameters only ever select
 * entries from here; no column name or SQL fragment comes from a request.
 */
export const sessionDimensions = {
  entry_page: 'entry_path',
  exit_page: 'exit_path',
  source: 'referrer_host',
  utm_source: 'utm_source',
  utm_medium: 'utm_medium',
  utm_campaign: 'utm_campaign',
  country: 'country',
  browser: 'browser',
  os: 'os',
  device: 'device',
} as const;

export const eventDimensions = {
  /** pages viewed: page view events */
  page: 'path',
  /** custom event names */
  event: 'name',
} as const;

export type SessionDimension = keyof typeof sessionDimensions;
export type EventDimension = keyof typeof eventDimensions;
/** `prop:<key>`: a custom event property */
export type PropDimension = `prop:${string}`;
export type Dimension = SessionDimension | EventDimension | PropDimension;

export const dimensionNames = [...Object.keys(sessionDimensions), ...Object.keys(eventDimensions), 'prop:<key>'];

const propKey = /^[A-Za-z0-9_.-]{1,64}$/;

export type ParsedDimension =
  | { level: 'session'; name: SessionDimension; column: (typeof sessionDimensions)[SessionDimension] }
  | { level: 'event'; name: EventDimension; column: (typeof eventDimensions)[EventDimension] }
  | { level: 'prop'; name: PropDimension; key: string };

export function parseDimension(name: string): ParsedDimension | null {
  // own keys only: `constructor` or `__proto__` must not find Object.prototype's members
  if (Object.hasOwn(sessionDimensions, name)) {
    const n = name as SessionDimension;
    return { level: 'session', name: n, column: sessionDimensions[n] };
  }
  if (Object.hasOwn(eventDimensions, name)) {
    const n = name as EventDimension;
    return { level: 'event', name: n, column: eventDimensions[n] };
  }
  if (name.startsWith('prop:') && propKey.test(name.slice(5))) return { level: 'prop', name: name as PropDimension, key: name.slice(5) };
  return null;
}

export interface Filter {
  dimension: ParsedDimension;
  op: 'is' | 'is_not';
  value: string;
}

export class FilterError extends Error {}

/** `f.<dimension>=value` (is) and `fn.<dimension>=value` (is not); `(none)` matches an empty value. */
export function parseFilters(query: Record<string, string | undefined>): Filter[] {
  const filters: Filter[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const m = /^(f|fn)\.(.+)$/.exec(key);
    if (!m) continue;
    const dimension = parseDimension(m[2]!);
    if (!dimension) throw new FilterError(`cannot filter by "${m[2]}"; dimensions: ${dimensionNames.join(', ')}`);
    if (value.length > 512) throw new FilterError(`filter value for ${m[2]} is too long`);
    filters.push({ dimension, op: m[1] === 'f' ? 'is' : 'is_not', value });
  }
  if (filters.length > 10) throw new FilterError('at most 10 filters');
  return filters;
}
