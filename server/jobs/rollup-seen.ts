import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ParsedDimension } from '../stats/dimensions.ts';
import { SEEN_TOTALS } from '../stats/raw-queries.ts';
import { HOUR, localDay, startOfDay } from '../time.ts';

/**
 * The stats_seen table: which visitors (per dimension value) the rollup has already counted on the local
 * day it is rolling up. Kept for one day at a time; rebuilt from the raw rows when it is not where the
 * rollup expects it (first run, a re-roll, a changed time zone).
 */

/** The first UTC hour counted in a local day: an hour belongs to the day its start falls in. */
export const firstHourOf = (day: string, tz: string) => Math.ceil(startOfDay(day, tz) / HOUR) * HOUR;

/**
 * Adds the (value, visitor) pairs of events in [from, to) to the day's seen rows: a visitor counts on the
 * day they were active, and a visit-level value is that of the event's visit.
 */
export async function recordSeen(db: Kysely<Database>, site: string, day: string, dims: readonly ParsedDimension[], from: number, to: number): Promise<void> {
  const text = (v: string) => sql<string>`cast(${v} as text)`;
  const events = () => db.selectFrom('events as e').where('e.site_id', '=', site).where('e.ts', '>=', from).where('e.ts', '<', to);
  const into = () => db.insertInto('stats_seen').columns(['site_id', 'day', 'dimension', 'value', 'visitor_id']);
  await into()
    .expression(events().select([text(site).as('site_id'), text(day).as('day'), text(SEEN_TOTALS).as('dimension'), text('').as('value'), 'e.visitor_id']).distinct())
    .onConflict((oc) => oc.doNothing())
    .execute();
  for (const dim of dims) {
    if (dim.level === 'prop') continue;
    const keys = [text(site).as('site_id'), text(day).as('day'), text(dim.name).as('dimension')] as const;
    const value = (alias: string) => sql<string>`coalesce(${sql.ref(`${alias}.${dim.column}`)}, '')`.as('value');
    const pairs =
      dim.level === 'session'
        ? events()
            .innerJoin('sessions as s', 's.id', 'e.session_id')
            .select([...keys, value('s'), 'e.visitor_id'])
            .distinct()
        : events()
            .where('e.type', '=', dim.name === 'page' ? 'pageview' : 'event')
            .select([...keys, value('e'), 'e.visitor_id'])
            .distinct();
    await into()
      .expression(pairs)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/**
 * Brings the seen rows to "everything of `hour`'s local day before `hour`", cheaply in the usual case
 * (the previous hour was rolled up last), by a rebuild from the raw rows otherwise.
 */
export async function prepareSeen(db: Kysely<Database>, site: { id: string; timezone: string }, dims: readonly ParsedDimension[], hour: number): Promise<string> {
  const day = localDay(hour, site.timezone);
  const state = await db.selectFrom('stats_state').select('seen_until').where('site_id', '=', site.id).executeTakeFirst();
  const seenUntil = state?.seen_until == null ? null : Number(state.seen_until);
  if (seenUntil === hour) {
    const seenDay = localDay(hour - HOUR, site.timezone);
    if (seenDay === day) return day;
    // a new day begins: yesterday's rows are no longer needed (nor kept: they hold visitor ids)
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('stats_seen').where('site_id', '=', site.id).where('day', '=', seenDay).execute();
    });
    return day;
  }
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('stats_seen').where('site_id', '=', site.id).execute();
    await recordSeen(trx, site.id, day, dims, firstHourOf(day, site.timezone), hour);
    await trx.updateTable('stats_state').set({ seen_until: hour }).where('site_id', '=', site.id).execute();
  });
  return day;
}
