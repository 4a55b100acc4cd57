import type { DimensionRef, ReportFilter, ReportQuery } from '../event-store.ts';
import { eventDimensionColumns, propKey, visitDimensionColumns } from './columns.ts';
import { ident, join, raw, sql, type Fragment } from './fragment.ts';

/** The value of a dimension on an events row aliased `alias` (event columns and props). */
export function eventValue(alias: string, d: DimensionRef): Fragment {
  if (d.level === 'prop') {
    if (!propKey.test(d.key)) throw new Error(`bad property key "${d.key}"`);
    return sql`json_extract_string(${raw(alias)}.props, ${`$."${d.key}"`})`;
  }
  if (d.level === 'event') return ident(alias, d.column, eventDimensionColumns);
  throw new Error(`"${d.name}" is a visit attribute`);
}

export const visitValue = (alias: string, d: DimensionRef): Fragment => {
  if (d.level !== 'session') throw new Error(`"${d.name}" is not a visit attribute`);
  return ident(alias, d.column, visitDimensionColumns);
};

function compare(column: Fragment, f: ReportFilter, op = f.op): Fragment {
  if (f.value === '(none)') return op === 'is' ? sql`${column} is null` : sql`${column} is not null`;
  return op === 'is' ? sql`${column} = ${f.value}` : sql`(${column} is null or ${column} <> ${f.value})`;
}

const visitFilters = (q: ReportQuery) => q.filters.filter((f) => f.dimension.level === 'session');
const eventFilters = (q: ReportQuery) => q.filters.filter((f) => f.dimension.level !== 'session');

/**
 * Visits started in [from, to) that pass the filters: visit attributes on the visit itself, event attributes
 * (page, event name, props) as "the visit has such an event" (or has none, for `fn.`).
 */
export function visitScope(q: ReportQuery, alias = 'v'): Fragment {
  const a = raw(alias);
  const parts = [sql`${a}.site_id = ${q.site}`, sql`${a}.started_at >= ${q.from}`, sql`${a}.started_at < ${q.to}`];
  for (const f of visitFilters(q)) parts.push(compare(visitValue(alias, f.dimension), f));
  for (const f of eventFilters(q)) {
    const has = sql`select fe.session_key from events fe where fe.site_id = ${q.site} and fe.ts >= ${q.from} and ${compare(eventValue('fe', f.dimension), f, 'is')}`;
    parts.push(f.op === 'is' ? sql`${a}.session_key in (${has})` : sql`${a}.session_key not in (${has})`);
  }
  return join(parts, ' and ');
}

/**
 * Events in [from, to) that pass the filters: event attributes on the event itself, visit attributes
 * through its visit (any visit overlapping the range), so page views count at their own time.
 */
export function eventScope(q: ReportQuery, alias = 'e'): Fragment {
  const a = raw(alias);
  const parts = [sql`${a}.site_id = ${q.site}`, sql`${a}.ts >= ${q.from}`, sql`${a}.ts < ${q.to}`];
  for (const f of eventFilters(q)) parts.push(compare(eventValue(alias, f.dimension), f));
  const byVisit = visitFilters(q);
  if (byVisit.length) {
    const conds = join(
      byVisit.map((f) => compare(visitValue('fv', f.dimension), f)),
      ' and ',
    );
    parts.push(sql`${a}.session_key in (select fv.session_key from visits fv where fv.site_id = ${q.site} and fv.started_at < ${q.to} and fv.last_seen_at >= ${q.from} and ${conds})`);
  }
  return join(parts, ' and ');
}
