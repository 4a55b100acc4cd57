import type { FunnelStep, JourneyRow, ReportQuery } from '../event-store.ts';
import type { DuckDatabase } from './database.ts';
import { join, raw, sql } from './fragment.ts';
import { eventScope } from './where.ts';

const n = (v: unknown) => Number(v ?? 0);

/**
 * Visits that viewed `pages` in order: step k is the first view of page k after the visit reached step k−1.
 * Only the page views of the steps' pages are read, once.
 */
export async function funnel(db: DuckDatabase, q: ReportQuery, pages: readonly string[]): Promise<FunnelStep[]> {
  if (!pages.length) return [];
  const steps = pages.map((page, i) =>
    i === 0
      ? sql`s0 as (select session_key, any_value(visitor_id) as visitor_id, min(ts) as t from pv where path = ${page} group by 1)`
      : sql`${raw(`s${i}`)} as (select pv.session_key, any_value(pv.visitor_id) as visitor_id, min(pv.ts) as t
            from pv join ${raw(`s${i - 1}`)} p on pv.session_key = p.session_key where pv.path = ${page} and pv.ts > p.t group by 1)`,
  );
  const counts = join(
    pages.map((_, i) => raw(`select ${i} as step, count(*) as visits, count(distinct visitor_id) as visitors from s${i}`)),
    ' union all ',
  );
  const inList = join(pages.map((p) => sql`${p}`), ', ');
  const rows = await db.all(
    sql`with pv as (select e.session_key, e.visitor_id, e.ts, e.path from events e where ${eventScope(q)} and e.type = 'pageview' and e.path in (${inList})),
        ${join(steps, ', ')} ${counts}`,
  );
  const byStep = new Map(rows.map((r) => [n(r.step), r]));
  return pages.map((page, i) => ({ page, visits: n(byStep.get(i)?.visits), visitors: n(byStep.get(i)?.visitors) }));
}

/** The next page viewed after `page` within the same visit, over the visits that viewed it. */
export async function journey(db: DuckDatabase, q: ReportQuery, page: string, limit: number): Promise<JourneyRow[]> {
  const rows = await db.all(
    sql`with pv as (select e.session_key, e.ts, e.path from events e where ${eventScope(q)} and e.type = 'pageview'
          and e.session_key in (select session_key from events where site_id = ${q.site} and ts >= ${q.from} and ts < ${q.to} and type = 'pageview' and path = ${page})),
        steps as (select session_key, path, lead(path) over (partition by session_key order by ts) as next from pv)
        select next as page, count(distinct session_key) as visits, count(*) as transitions from steps
        where path = ${page} and next is not null group by 1 order by visits desc, transitions desc, page limit ${limit}`,
  );
  return rows.map((r) => ({ page: String(r.page), visits: n(r.visits), transitions: n(r.transitions) }));
}
