import { sql, type Kysely } from 'kysely';
import { commitEvents } from '../ingest/writer.ts';
import type { EventStore, FunnelStep, JourneyRow, ReportQuery } from '../store/events/event-store.ts';
import type { Database } from '../store/schema.ts';
import type { DialectSql } from '../store/sql.ts';
import type { Filter, ParsedDimension } from './dimensions.ts';
import { breakdownRows, scopeOf, timeseriesTotals, totalsFor, type StatsContext } from './queries.ts';
import { eventsFrom, eventWhere, rawCurrentVisitors } from './raw-queries.ts';

const n = (v: unknown) => Number(v ?? 0);

/**
 * The row store (SQLite or PostgreSQL events and sessions tables, with their hourly rollups) behind the
 * EventStore interface: the queries the stats API has always run, plus a funnel and a journey in plain SQL.
 * PostgreSQL deployments (`DATABASE_URL`, several processes) use it; the embedded default uses DuckDB.
 */
export function rowEventStore(db: Kysely<Database>, dialect: DialectSql): EventStore {
  const ctx = (q: ReportQuery): StatsContext => ({ db, dialect, site: q.site, tz: q.tz, filters: q.filters as readonly Filter[] });
  const pageviews = (q: ReportQuery) => {
    const scope = scopeOf(ctx(q), q.from, q.to);
    return eventsFrom(scope)
      .where((eb) => eventWhere(scope, eb as never))
      .where('e.type', '=', 'pageview');
  };

  return {
    engine: dialect.name,
    append: (rows) => commitEvents(db, dialect, [...rows]),
    sync: async () => {},
    totals: (q) => totalsFor(ctx(q), q),
    series: async (q, interval) => (await timeseriesTotals(ctx(q), q, interval)).filter((p) => p.visits || p.pageviews || p.events),
    breakdown: (q, d, limit) => breakdownRows(ctx(q), q, d as ParsedDimension, limit),
    currentVisitors: (site, since) => rawCurrentVisitors(db, site, since),

    async funnel(q, pages): Promise<FunnelStep[]> {
      // reached[i]: visit → time it first reached step i, carried step by step
      let reached = new Map<string, { visitor: string; t: number }>();
      const out: FunnelStep[] = [];
      for (const [i, page] of pages.entries()) {
        const rows = await pageviews(q).where('e.path', '=', page).select(['e.session_id', 'e.visitor_id', 'e.ts']).orderBy('e.ts').execute();
        const next = new Map<string, { visitor: string; t: number }>();
        for (const r of rows) {
          if (next.has(r.session_id)) continue;
          const prev = reached.get(r.session_id);
          if (i === 0 || (prev && n(r.ts) > prev.t)) next.set(r.session_id, { visitor: r.visitor_id, t: n(r.ts) });
        }
        reached = next;
        out.push({ page, visits: next.size, visitors: new Set([...next.values()].map((v) => v.visitor)).size });
      }
      return out;
    },

    async journey(q, page, limit): Promise<JourneyRow[]> {
      const viewed = pageviews(q).where('e.path', '=', page).select('e.session_id');
      const { rows } = await sql<{ page: string; visits: number; transitions: number }>`
        with steps as (select e.session_id, e.path, lead(e.path) over (partition by e.session_id order by e.ts, e.id) as next
          from events e where e.site_id = ${q.site} and e.ts >= ${q.from} and e.ts < ${q.to} and e.type = 'pageview' and e.session_id in (${viewed}))
        select next as page, count(distinct session_id) as visits, count(*) as transitions from steps
        where path = ${page} and next is not null group by next order by visits desc, transitions desc, page limit ${limit}`.execute(db);
      return rows.map((r) => ({ page: r.page, visits: n(r.visits), transitions: n(r.transitions) }));
    },

    async visitorRows(visitorId) {
      const visits = await db.selectFrom('sessions').selectAll().where('visitor_id', '=', visitorId).where('visitor_kind', '=', 'cookie').orderBy('started_at').execute();
      const ids = visits.map((v) => v.id);
      const events = ids.length ? await db.selectFrom('events').selectAll().where('session_id', 'in', ids).where('visitor_kind', '=', 'cookie').orderBy('ts').execute() : [];
      return { events, visits };
    },
    async deleteVisitor(visitorId) {
      const ids = db.selectFrom('sessions').select('id').where('visitor_id', '=', visitorId).where('visitor_kind', '=', 'cookie');
      const events = await db.deleteFrom('events').where('session_id', 'in', ids).where('visitor_kind', '=', 'cookie').executeTakeFirst();
      const visits = await db.deleteFrom('sessions').where('visitor_id', '=', visitorId).where('visitor_kind', '=', 'cookie').executeTakeFirst();
      return { events: n(events.numDeletedRows), visits: n(visits.numDeletedRows) };
    },
    async deleteBefore(cutoff) {
      const events = await db.deleteFrom('events').where('ts', '<', cutoff).executeTakeFirst();
      const visits = await db.deleteFrom('sessions').where('started_at', '<', cutoff).where('last_seen_at', '<', cutoff).executeTakeFirst();
      return { events: n(events.numDeletedRows), visits: n(visits.numDeletedRows) };
    },
    async blankEventColumns(columns, cutoff) {
      if (!columns.length) return 0;
      const res = await db
        .updateTable('events')
        .set(Object.fromEntries(columns.map((c) => [c, null])))
        .where('ts', '<', cutoff)
        .where((eb) => eb.or(columns.map((c) => eb(c, 'is not', null))))
        .executeTakeFirst();
      return n(res.numUpdatedRows);
    },
    close: async () => {},
  };
}
