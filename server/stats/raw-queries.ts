import { sql, type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../store/schema.ts';
import { intDiv, jsonProp, jsonPropTyped, type DialectSql } from '../store/sql.ts';
import type { Filter, ParsedDimension } from './dimensions.ts';

/**
 * Statistics computed from the raw events and sessions tables. Every column name comes from the allow-list
 * in dimensions.ts and every value is a bound parameter.
 */
export interface RawScope {
  db: Kysely<Database>;
  dialect: DialectSql;
  site: string;
  from: number;
  to: number;
  filters: readonly Filter[];
  /**
   * Count a visitor only if not already seen (with the same value) earlier that local day, so that summed
   * over a day's pieces this gives the day's unique visitors. Earlier means either the raw rows between
   * `newSince` (the day's start) and `from`, or the rollup's `stats_seen` rows of the local day `seenDay`
   * (an index probe per row instead of a scan of the day so far).
   */
  newSince?: number;
  seenDay?: string;
}

/** What the visitor counts of one dimension compare against stats_seen: the dimension's name ('' for totals). */
export const SEEN_TOTALS = '';

type SessionEb = ExpressionBuilder<Database & { s: Database['sessions'] }, 's'>;
type EventEb = ExpressionBuilder<Database & { e: Database['events'] }, 'e'>;

/** The condition a filter puts on one events row aliased `alias`. */
function eventCondition(d: DialectSql, alias: string, f: Filter): Expression<SqlBool> {
  const dim = f.dimension;
  const column =
    dim.level === 'prop'
      ? jsonProp(d, sql.ref(`${alias}.props`), dim.key)
      : dim.level === 'event'
        ? sql.ref(`${alias}.${dim.column}`)
        : sql.ref(`s.${dim.column}`);
  return compare(column, f);
}

function compare(column: Expression<unknown>, f: Filter): Expression<SqlBool> {
  if (f.value === '(none)') return f.op === 'is' ? sql<SqlBool>`${column} is null` : sql<SqlBool>`${column} is not null`;
  return f.op === 'is' ? sql<SqlBool>`${column} = ${f.value}` : sql<SqlBool>`(${column} is null or ${column} <> ${f.value})`;
}

/** Filters on a sessions query: session columns directly, event columns through the session's events. */
export function sessionWhere(scope: RawScope, eb: SessionEb): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [
    eb('s.site_id', '=', scope.site),
    eb('s.started_at', '>=', scope.from),
    eb('s.started_at', '<', scope.to),
  ];
  for (const f of scope.filters) {
    if (f.dimension.level === 'session') {
      parts.push(compare(sql.ref(`s.${f.dimension.column}`), f));
    } else {
      const cond = eventCondition(scope.dialect, 'fe', { ...f, op: 'is' });
      const exists = sql<SqlBool>`exists (select 1 from events as fe where fe.session_id = s.id and ${cond})`;
      parts.push(f.op === 'is' ? exists : sql<SqlBool>`not ${exists}`);
    }
  }
  return eb.and(parts);
}

/** Filters on an events query; session filters need the `s` join (see eventsFrom). */
export function eventWhere(scope: RawScope, eb: EventEb): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [eb('e.site_id', '=', scope.site), eb('e.ts', '>=', scope.from), eb('e.ts', '<', scope.to)];
  for (const f of scope.filters) parts.push(eventCondition(scope.dialect, 'e', f));
  return eb.and(parts);
}

/** The `not exists` probe into the day's stats_seen rows for a visitor and a value. */
function unseen(scope: RawScope, dimension: string, value: Expression<unknown>, visitor: Expression<unknown>): RawBuilder<SqlBool> {
  return sql<SqlBool>`not exists (select 1 from stats_seen as x where x.site_id = ${scope.site} and x.day = ${scope.seenDay}
    and x.dimension = ${dimension} and x.value = coalesce(${value}, '') and x.visitor_id = ${visitor})`;
}

/** What a visitor count is per: a dimension's value on the event (`e`) or on its visit (`s`), or nothing (totals). */
interface Per {
  name: string;
  value(events: string, sessions: string): Expression<unknown>;
  /** the earlier rows need their visits joined (a visit-level value) */
  visitLevel: boolean;
}

const totalsPer: Per = { name: SEEN_TOTALS, value: () => sql.lit(''), visitLevel: false };

/**
 * Visitors with an event in the scope (a visitor active on a day counts on that day, whichever day their
 * visit began), or only those not seen earlier that local day with the same value: by stats_seen, or by one
 * uncorrelated subquery over the raw day so far, built once per query rather than probed once per row.
 */
function activeVisitors(scope: RawScope, per: Per, type?: 'pageview' | 'event'): RawBuilder<number> {
  const value = per.value('e', 's');
  if (scope.seenDay !== undefined) return sql<number>`count(distinct case when ${unseen(scope, per.name, value, sql.ref('e.visitor_id'))} then e.visitor_id end)`;
  if (scope.newSince === undefined) return sql<number>`count(distinct e.visitor_id)`;
  const join = per.visitLevel ? sql`inner join sessions as ps on ps.id = pe.session_id` : sql``;
  const ofType = type ? sql`and pe.type = ${type}` : sql``;
  // one text key per (visitor, value): a single-column NOT IN is what both databases hash or index well
  return sql<number>`count(distinct case when e.visitor_id || '|' || coalesce(${value}, '') not in (
    select pe.visitor_id || '|' || coalesce(${per.value('pe', 'ps')}, '') from events as pe ${join}
    where pe.site_id = ${scope.site} and pe.ts >= ${scope.newSince} and pe.ts < ${scope.from} ${ofType}
  ) then e.visitor_id end)`;
}

const needsSessionJoin = (scope: RawScope) => scope.filters.some((f) => f.dimension.level === 'session');

function eventsFrom(scope: RawScope, joinSessions = needsSessionJoin(scope)) {
  const base = scope.db.selectFrom('events as e');
  return joinSessions ? base.innerJoin('sessions as s', 's.id', 'e.session_id') : base;
}

export interface Totals {
  visitors: number;
  visits: number;
  pageviews: number;
  bounces: number;
  /** summed visit durations, ms */
  duration: number;
  /** custom events */
  events: number;
}

const num = (v: unknown) => Number(v ?? 0);

/**
 * Visits (and their bounces and lengths) count on the day they began; visitors, page views and events at
 * their own time, also under filters on visit attributes (a visit's page views are never moved to its start).
 */
export async function rawTotals(scope: RawScope): Promise<Totals> {
  const s = await scope.db
    .selectFrom('sessions as s')
    .where((eb) => sessionWhere(scope, eb))
    .select((eb) => [
      eb.fn.countAll<number>().as('visits'),
      eb.fn.sum<number>(sql<number>`case when s.pageviews <= 1 and s.events = 0 then 1 else 0 end`).as('bounces'),
      eb.fn.sum<number>(sql<number>`s.last_seen_at - s.started_at`).as('duration'),
    ])
    .executeTakeFirstOrThrow();
  const p = await eventsFrom(scope)
    .where((eb) => eventWhere(scope, eb as unknown as EventEb))
    .select((eb) => [
      activeVisitors(scope, totalsPer).as('visitors'),
      eb.fn.sum<number>(sql<number>`case when e.type = 'pageview' then 1 else 0 end`).as('pageviews'),
      eb.fn.sum<number>(sql<number>`case when e.type = 'event' then 1 else 0 end`).as('events'),
    ])
    .executeTakeFirstOrThrow();
  return {
    visitors: num(p.visitors),
    visits: num(s.visits),
    bounces: num(s.bounces),
    duration: num(s.duration),
    pageviews: num(p.pageviews),
    events: num(p.events),
  };
}

/** Visitors active in the scope (with an event in it). */
export async function rawVisitorCount(scope: RawScope): Promise<number> {
  const r = await eventsFrom(scope)
    .where((eb) => eventWhere(scope, eb as unknown as EventEb))
    .select(activeVisitors(scope, totalsPer).as('n'))
    .executeTakeFirstOrThrow();
  return num(r.n);
}

export async function rawVisitorIds(scope: RawScope): Promise<string[]> {
  const rows = await eventsFrom(scope)
    .where((eb) => eventWhere(scope, eb as unknown as EventEb))
    .select('e.visitor_id')
    .distinct()
    .execute();
  return rows.map((r) => r.visitor_id);
}

export interface BucketRow extends Totals {
  bucket: number;
}

/**
 * Totals per bucket of `size` ms, aligned to `offset` (the zone's UTC offset for day-sized buckets):
 * integer arithmetic on the timestamp, the same SQL on every dialect.
 */
export async function rawBuckets(scope: RawScope, size: number, offset: number): Promise<BucketRow[]> {
  const sBucket = intDiv(scope.dialect, sql<number>`s.started_at + ${offset}`, size);
  const eBucket = intDiv(scope.dialect, sql<number>`e.ts + ${offset}`, size);
  const sessions = await scope.db
    .selectFrom('sessions as s')
    .where((eb) => sessionWhere(scope, eb))
    .select((eb) => [
      sBucket.as('bucket'),
      eb.fn.countAll<number>().as('visits'),
      eb.fn.sum<number>(sql<number>`case when s.pageviews <= 1 and s.events = 0 then 1 else 0 end`).as('bounces'),
      eb.fn.sum<number>(sql<number>`s.last_seen_at - s.started_at`).as('duration'),
    ])
    // by the output name: PostgreSQL does not match an expression with bound values to its twin in the select
    .groupBy(sql.ref('bucket'))
    .execute();
  const events = await eventsFrom(scope)
    .where((eb) => eventWhere(scope, eb as unknown as EventEb))
    .select((eb) => [
      eBucket.as('bucket'),
      eb.fn.count<number>('e.visitor_id').distinct().as('visitors'),
      eb.fn.sum<number>(sql<number>`case when e.type = 'pageview' then 1 else 0 end`).as('pageviews'),
      eb.fn.sum<number>(sql<number>`case when e.type = 'event' then 1 else 0 end`).as('events'),
    ])
    .groupBy(sql.ref('bucket'))
    .execute();
  const out = new Map<number, BucketRow>();
  const get = (b: number) => {
    let row = out.get(b);
    if (!row) out.set(b, (row = { bucket: b, visitors: 0, visits: 0, pageviews: 0, bounces: 0, duration: 0, events: 0 }));
    return row;
  };
  for (const r of sessions) Object.assign(get(num(r.bucket)), { visits: num(r.visits), bounces: num(r.bounces), duration: num(r.duration) });
  for (const r of events) Object.assign(get(num(r.bucket)), { visitors: num(r.visitors), pageviews: num(r.pageviews), events: num(r.events) });
  return [...out.values()].sort((a, b) => a.bucket - b.bucket);
}

/** A dimension's value: text, or for a custom property its own type. */
export type BreakdownValue = string | number | boolean | null;

export interface BreakdownRow {
  value: BreakdownValue;
  visitors: number;
  visits: number;
  pageviews: number;
  events: number;
  bounces: number;
  duration: number;
}

export const byRank = (a: BreakdownRow, b: BreakdownRow) =>
  b.visitors - a.visitors || b.visits - a.visits || b.pageviews + b.events - (a.pageviews + a.events) || compareValues(a.value, b.value);

/** The order SQL gives: NULL first, then by code point (as SQLite's default BINARY collation). */
export function compareValues(a: BreakdownValue, b: BreakdownValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : typeof a < typeof b ? -1 : 1;
}

/**
 * Visit-level dimensions: visits, bounces and lengths of the visits begun in the scope, by their value;
 * visitors, page views and events at their own time, by the value of their visit.
 */
async function visitBreakdown(scope: RawScope, dim: Extract<ParsedDimension, { level: 'session' }>, limit: number): Promise<BreakdownRow[]> {
  const col = sql.ref(`s.${dim.column}`);
  const visits = await scope.db
    .selectFrom('sessions as s')
    .where((eb) => sessionWhere(scope, eb))
    .select((eb) => [
      sql<string | null>`${col}`.as('value'),
      eb.fn.countAll<number>().as('visits'),
      eb.fn.sum<number>(sql<number>`case when s.pageviews <= 1 and s.events = 0 then 1 else 0 end`).as('bounces'),
      eb.fn.sum<number>(sql<number>`s.last_seen_at - s.started_at`).as('duration'),
    ])
    .groupBy(col)
    .execute();
  const per: Per = { name: dim.name, value: (_e, s) => sql.ref(`${s}.${dim.column}`), visitLevel: true };
  const events = await eventsFrom(scope, true)
    .where((eb) => eventWhere(scope, eb as unknown as EventEb))
    .select((eb) => [
      sql<string | null>`${col}`.as('value'),
      activeVisitors(scope, per).as('visitors'),
      eb.fn.sum<number>(sql<number>`case when e.type = 'pageview' then 1 else 0 end`).as('pageviews'),
      eb.fn.sum<number>(sql<number>`case when e.type = 'event' then 1 else 0 end`).as('events'),
    ])
    .groupBy(col)
    .execute();
  const out = new Map<string | null, BreakdownRow>();
  const get = (value: string | null) => {
    let row = out.get(value);
    if (!row) out.set(value, (row = { value, visitors: 0, visits: 0, pageviews: 0, events: 0, bounces: 0, duration: 0 }));
    return row;
  };
  for (const r of visits) Object.assign(get(r.value), { visits: num(r.visits), bounces: num(r.bounces), duration: num(r.duration) });
  for (const r of events) Object.assign(get(r.value), { visitors: num(r.visitors), pageviews: num(r.pageviews), events: num(r.events) });
  return [...out.values()].sort(byRank).slice(0, limit);
}

export async function rawBreakdown(scope: RawScope, dim: ParsedDimension, limit: number): Promise<BreakdownRow[]> {
  if (dim.level === 'session') return visitBreakdown(scope, dim, limit);
  const valueOf = (alias: string) =>
    dim.level === 'prop' ? jsonPropTyped(scope.dialect, sql.ref(`${alias}.props`), dim.key) : sql<string | null>`${sql.ref(`${alias}.${dim.column}`)}`;
  const value = valueOf('e');
  const type = dim.level === 'event' && dim.name === 'page' ? 'pageview' : 'event';
  const per: Per = { name: dim.name, value: (e) => valueOf(e), visitLevel: false };
  const rows = await eventsFrom(scope)
    .where((eb) => eventWhere(scope, eb as unknown as EventEb))
    .where('e.type', '=', type)
    .select((eb) => [
      value.as('value'),
      activeVisitors(scope, per, type).as('visitors'),
      eb.fn.count<number>('e.session_id').distinct().as('visits'),
      eb.fn.countAll<number>().as('count'),
    ])
    .groupBy(sql.ref('value'))
    .orderBy('visitors', 'desc')
    .orderBy('visits', 'desc')
    .orderBy('count', 'desc')
    .orderBy('value')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    // a property comes back as JSON text and leaves typed: true, 42 and "42" are three values
    value: r.value === null ? null : dim.level === 'prop' ? (JSON.parse(String(r.value)) as BreakdownValue) : String(r.value),
    visitors: num(r.visitors),
    visits: num(r.visits),
    pageviews: type === 'pageview' ? num(r.count) : 0,
    events: type === 'event' ? num(r.count) : 0,
    bounces: 0,
    duration: 0,
  }));
}

/** Visitors with any event in the last `windowMs` (realtime card). */
export async function rawCurrentVisitors(db: Kysely<Database>, site: string, since: number): Promise<number> {
  const row = await db
    .selectFrom('events as e')
    .where('e.site_id', '=', site)
    .where('e.ts', '>=', since)
    .select((eb) => eb.fn.count<number>('e.visitor_id').distinct().as('n'))
    .executeTakeFirstOrThrow();
  return num(row.n);
}
