import { sql, type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../store/schema.ts';
import { intDiv, jsonProp, type DialectSql } from '../store/sql.ts';
import type { Filter, ParsedDimension } from './dimensions.ts';
import { eventBreakdownRow, type BreakdownRow, type Totals } from '../store/events/event-store.ts';

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

/**
 * count(distinct visitor), or only the visitors not seen earlier that day (with the same value of `column`,
 * if given): by stats_seen, or by one uncorrelated subquery over the raw day so far, built once per query
 * rather than probed once per row.
 */
function sessionVisitors(scope: RawScope, dimension?: { name: string; column: string }): RawBuilder<number> {
  if (scope.seenDay !== undefined) {
    const value = dimension ? sql.ref(`s.${dimension.column}`) : sql.lit('');
    return sql<number>`count(distinct case when ${unseen(scope, dimension?.name ?? SEEN_TOTALS, value, sql.ref('s.visitor_id'))} then s.visitor_id end)`;
  }
  if (scope.newSince === undefined) return sql<number>`count(distinct s.visitor_id)`;
  const earlier = sql`from sessions as p where p.site_id = ${scope.site} and p.started_at >= ${scope.newSince} and p.started_at < ${scope.from}`;
  if (!dimension) return sql<number>`count(distinct case when s.visitor_id not in (select p.visitor_id ${earlier}) then s.visitor_id end)`;
  // one text key per (visitor, value): a single-column NOT IN is what both databases hash or index well
  const key = (alias: string) => sql`${sql.ref(`${alias}.visitor_id`)} || '|' || coalesce(${sql.ref(`${alias}.${dimension.column}`)}, '')`;
  return sql<number>`count(distinct case when ${key('s')} not in (select ${key('p')} ${earlier}) then s.visitor_id end)`;
}

function eventVisitors(scope: RawScope, dimension: string, type: 'pageview' | 'event', value: Expression<unknown>, earlierValue: Expression<unknown>): RawBuilder<number> {
  if (scope.seenDay !== undefined) return sql<number>`count(distinct case when ${unseen(scope, dimension, value, sql.ref('e.visitor_id'))} then e.visitor_id end)`;
  if (scope.newSince === undefined) return sql<number>`count(distinct e.visitor_id)`;
  return sql<number>`count(distinct case when e.visitor_id || '|' || coalesce(${value}, '') not in (
    select pe.visitor_id || '|' || coalesce(${earlierValue}, '') from events as pe
    where pe.site_id = ${scope.site} and pe.ts >= ${scope.newSince} and pe.ts < ${scope.from} and pe.type = ${type}
  ) then e.visitor_id end)`;
}

const needsSessionJoin = (scope: RawScope) => scope.filters.some((f) => f.dimension.level === 'session');

export function eventsFrom(scope: RawScope) {
  const base = scope.db.selectFrom('events as e');
  return needsSessionJoin(scope) ? base.innerJoin('sessions as s', 's.id', 'e.session_id') : base;
}

export type { Totals } from '../store/events/event-store.ts';

const num = (v: unknown) => Number(v ?? 0);

/**
 * Filtered by visit attributes only (source, country, device…): page views and events are read from the
 * visits' own counters instead of joining every event of the range to its visit — a visit's page views then
 * count at the visit's start. Unfiltered and event-filtered totals count events at their own time.
 */
const visitCountersSuffice = (scope: RawScope) => scope.filters.length > 0 && scope.filters.every((f) => f.dimension.level === 'session');

export async function rawTotals(scope: RawScope): Promise<Totals> {
  const fromVisits = visitCountersSuffice(scope);
  const s = await scope.db
    .selectFrom('sessions as s')
    .where((eb) => sessionWhere(scope, eb))
    .select((eb) => [
      sessionVisitors(scope).as('visitors'),
      eb.fn.countAll<number>().as('visits'),
      eb.fn.sum<number>(sql<number>`case when s.pageviews <= 1 and s.events = 0 then 1 else 0 end`).as('bounces'),
      eb.fn.sum<number>(sql<number>`s.last_seen_at - s.started_at`).as('duration'),
      eb.fn.sum<number>('s.pageviews').as('pageviews'),
      eb.fn.sum<number>('s.events').as('events'),
    ])
    .executeTakeFirstOrThrow();
  const p = fromVisits
    ? s
    : await eventsFrom(scope)
        .where((eb) => eventWhere(scope, eb as unknown as EventEb))
        .select((eb) => [
          eb.fn.sum<number>(sql<number>`case when e.type = 'pageview' then 1 else 0 end`).as('pageviews'),
          eb.fn.sum<number>(sql<number>`case when e.type = 'event' then 1 else 0 end`).as('events'),
        ])
        .executeTakeFirstOrThrow();
  return {
    visitors: num(s.visitors),
    visits: num(s.visits),
    bounces: num(s.bounces),
    duration: num(s.duration),
    pageviews: num(p.pageviews),
    events: num(p.events),
  };
}

export async function rawVisitorCount(scope: RawScope): Promise<number> {
  const r = await scope.db
    .selectFrom('sessions as s')
    .where((eb) => sessionWhere(scope, eb))
    .select(sessionVisitors(scope).as('n'))
    .executeTakeFirstOrThrow();
  return num(r.n);
}

export async function rawVisitorIds(scope: RawScope): Promise<string[]> {
  const rows = await scope.db
    .selectFrom('sessions as s')
    .where((eb) => sessionWhere(scope, eb))
    .select('s.visitor_id')
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
      eb.fn.count<number>('s.visitor_id').distinct().as('visitors'),
      eb.fn.countAll<number>().as('visits'),
      eb.fn.sum<number>(sql<number>`case when s.pageviews <= 1 and s.events = 0 then 1 else 0 end`).as('bounces'),
      eb.fn.sum<number>(sql<number>`s.last_seen_at - s.started_at`).as('duration'),
      eb.fn.sum<number>('s.pageviews').as('pageviews'),
    ])
    // by the output name: PostgreSQL does not match an expression with bound values to its twin in the select
    .groupBy(sql.ref('bucket'))
    .execute();
  const views = visitCountersSuffice(scope)
    ? sessions
    : await eventsFrom(scope)
        .where((eb) => eventWhere(scope, eb as unknown as EventEb))
        .where('e.type', '=', 'pageview')
        .select((eb) => [eBucket.as('bucket'), eb.fn.countAll<number>().as('pageviews')])
        .groupBy(sql.ref('bucket'))
        .execute();
  const out = new Map<number, BucketRow>();
  const get = (b: number) => {
    let row = out.get(b);
    if (!row) out.set(b, (row = { bucket: b, visitors: 0, visits: 0, pageviews: 0, bounces: 0, duration: 0, events: 0 }));
    return row;
  };
  for (const r of sessions) Object.assign(get(num(r.bucket)), { visitors: num(r.visitors), visits: num(r.visits), bounces: num(r.bounces), duration: num(r.duration) });
  for (const r of views) get(num(r.bucket)).pageviews = num(r.pageviews);
  return [...out.values()].sort((a, b) => a.bucket - b.bucket);
}

export type { BreakdownRow } from '../store/events/event-store.ts';

export async function rawBreakdown(scope: RawScope, dim: ParsedDimension, limit: number): Promise<BreakdownRow[]> {
  if (dim.level === 'session') {
    const col = sql.ref(`s.${dim.column}`);
    const rows = await scope.db
      .selectFrom('sessions as s')
      .where((eb) => sessionWhere(scope, eb))
      .select((eb) => [
        sql<string | null>`${col}`.as('value'),
        sessionVisitors(scope, dim).as('visitors'),
        eb.fn.countAll<number>().as('visits'),
        eb.fn.sum<number>('s.pageviews').as('pageviews'),
        eb.fn.sum<number>('s.events').as('events'),
        eb.fn.sum<number>(sql<number>`case when s.pageviews <= 1 and s.events = 0 then 1 else 0 end`).as('bounces'),
        eb.fn.sum<number>(sql<number>`s.last_seen_at - s.started_at`).as('duration'),
      ])
      .groupBy(col)
      .orderBy('visitors', 'desc')
      .orderBy('visits', 'desc')
      .orderBy('pageviews', 'desc')
      .orderBy('value')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ value: r.value, visitors: num(r.visitors), visits: num(r.visits), pageviews: num(r.pageviews), events: num(r.events), bounces: num(r.bounces), duration: num(r.duration) }));
  }
  const valueOf = (alias: string) =>
    dim.level === 'prop' ? jsonProp(scope.dialect, sql.ref(`${alias}.props`), dim.key) : sql<string | null>`${sql.ref(`${alias}.${dim.column}`)}`;
  const value = valueOf('e');
  const type = dim.level === 'event' && dim.name === 'page' ? 'pageview' : 'event';
  const rows = await eventsFrom(scope)
    .where((eb) => eventWhere(scope, eb as unknown as EventEb))
    .where('e.type', '=', type)
    .select((eb) => [
      value.as('value'),
      eventVisitors(scope, dim.name, type, value, valueOf('pe')).as('visitors'),
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
  return rows.map((r) => eventBreakdownRow(r, type));
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
