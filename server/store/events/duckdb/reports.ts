import { eventBreakdownRow, type BreakdownRow, type DimensionRef, type Interval, type ReportQuery, type SeriesRow, type Totals } from '../event-store.ts';
import type { DuckDatabase, Row } from './database.ts';
import { raw, sql, type Fragment } from './fragment.ts';
import { eventScope, eventValue, visitScope, visitValue } from './where.ts';
import { bucketKey, bucketLabel } from './zone-buckets.ts';

/**
 * Up to this many visits in the range, distinct visitors (and visits of a page) are counted exactly; above
 * it DuckDB's HyperLogLog answers (about ±2 %), as the row store's daily sketches did: an exact distinct
 * count grouped by day or page costs over a second at 10 M events, the sketch about a tenth of that.
 */
export const EXACT_VISITS_LIMIT = 50_000;

const n = (v: unknown) => Number(v ?? 0);

async function distinctOf(db: DuckDatabase, q: ReportQuery): Promise<(column: string) => Fragment> {
  const [row] = await db.all(sql`select count(*) as n from visits where site_id = ${q.site} and started_at >= ${q.from} and started_at < ${q.to}`);
  const exact = n(row?.n) <= EXACT_VISITS_LIMIT;
  // the sketch hashes its input anyway: given the stored 64-bit key it skips hashing 22-character strings
  return (column) => raw(exact ? `count(distinct ${column})` : `approx_count_distinct(${column.replace(/_id$/, '_key')})`);
}

const visitAggregates = (distinct: (c: string) => Fragment) => sql`${distinct('v.visitor_id')} as visitors, count(*) as visits,
  sum(case when v.pageviews <= 1 and v.events = 0 then 1 else 0 end) as bounces, sum(v.last_seen_at - v.started_at) as duration,
  sum(v.pageviews) as visit_pageviews, sum(v.events) as visit_events`;

const eventCounts = sql`count(*) filter (where e.type = 'pageview') as pageviews, count(*) filter (where e.type = 'event') as events`;

const totalsOf = (v: Row | undefined, e: Row | undefined): Totals => ({
  visitors: n(v?.visitors),
  visits: n(v?.visits),
  bounces: n(v?.bounces),
  duration: n(v?.duration),
  pageviews: n(e?.pageviews),
  events: n(e?.events),
});

/** Visits, visitors, bounces and durations of the visits started in the range; page views and events at their own time. */
export async function totals(db: DuckDatabase, q: ReportQuery): Promise<Totals> {
  const distinct = await distinctOf(db, q);
  const [[v], [e]] = await Promise.all([
    db.all(sql`select ${visitAggregates(distinct)} from visits v where ${visitScope(q)}`),
    db.all(sql`select ${eventCounts} from events e where ${eventScope(q)}`),
  ]);
  return totalsOf(v, e);
}

export async function series(db: DuckDatabase, q: ReportQuery, interval: Interval): Promise<SeriesRow[]> {
  const distinct = await distinctOf(db, q);
  const vKey = bucketKey(raw('v.started_at'), interval, q.tz, q.from, q.to);
  const eKey = bucketKey(raw('e.ts'), interval, q.tz, q.from, q.to);
  const [visits, events] = await Promise.all([
    db.all(sql`select ${vKey} as bucket, ${visitAggregates(distinct)} from visits v where ${visitScope(q)} group by 1`),
    db.all(sql`select ${eKey} as bucket, ${eventCounts} from events e where ${eventScope(q)} group by 1`),
  ]);
  const byBucket = new Map<number, { v?: Row; e?: Row }>();
  for (const v of visits) byBucket.set(n(v.bucket), { v });
  for (const e of events) byBucket.set(n(e.bucket), { ...byBucket.get(n(e.bucket)), e });
  return [...byBucket.entries()].sort((a, b) => a[0] - b[0]).map(([key, r]) => ({ date: bucketLabel(key, interval), ...totalsOf(r.v, r.e) }));
}

const ordered = sql`order by visitors desc, visits desc, count desc, value asc nulls first limit`;

export async function breakdown(db: DuckDatabase, q: ReportQuery, d: DimensionRef, limit: number): Promise<BreakdownRow[]> {
  const distinct = await distinctOf(db, q);
  if (d.level === 'session') {
    const rows = await db.all(
      sql`select ${visitValue('v', d)} as value, ${visitAggregates(distinct)}, sum(v.pageviews) as count
          from visits v where ${visitScope(q)} group by 1 ${ordered} ${limit}`,
    );
    return rows.map((r) => ({ value: (r.value as string | null) ?? null, ...totalsOf(r, { pageviews: r.visit_pageviews, events: r.visit_events }) }));
  }
  const type = d.level === 'event' && d.name === 'page' ? 'pageview' : 'event';
  const rows = await db.all(
    sql`select ${eventValue('e', d)} as value, ${distinct('e.visitor_id')} as visitors, ${distinct('e.session_id')} as visits, count(*) as count
        from events e where ${eventScope(q)} and e.type = ${type} group by 1 ${ordered} ${limit}`,
  );
  return rows.map((r) => eventBreakdownRow(r, type));
}

export async function currentVisitors(db: DuckDatabase, site: string, since: number): Promise<number> {
  const [row] = await db.all(sql`select count(distinct visitor_id) as n from events where site_id = ${site} and ts >= ${since}`);
  return n(row?.n);
}
