import type { Kysely } from 'kysely';
import type { SiteInfo } from '../store/sites.ts';
import type { Database } from '../store/schema.ts';
import type { DialectSql } from '../store/sql.ts';
import type { StatsDimsHourlyTable } from '../store/tables/stats.ts';
import { eventDimensions, parseDimension, sessionDimensions, type ParsedDimension } from '../stats/dimensions.ts';
import { Hll } from '../stats/hll.ts';
import { rawBreakdown, rawTotals, rawVisitorCount, rawVisitorIds, type RawScope } from '../stats/raw-queries.ts';
import { ROLLUP_DELAY_MS } from '../stats/rollups.ts';
import { HOUR } from '../time.ts';
import { SESSION_IDLE_MS } from '../ingest/sessions.ts';
import { prepareSeen, recordSeen } from './rollup-seen.ts';

/**
 * An hour waits for every visit under way in it to end, so no rolled row is built from a visit that can still
 * grow (its length, bounce and exit page). A visit going on for longer than this (a kiosk, an undetected
 * monitor) stops holding the rollup back, so one such visitor cannot send every report to the raw tables.
 */
export const MAX_OPEN_VISIT_WAIT_MS = 24 * 60 * 60_000;

/** Dimensions kept in the hourly rollup (custom event properties are open-ended and stay raw). */
export const rolledDimensions: readonly ParsedDimension[] = [...Object.keys(sessionDimensions), ...Object.keys(eventDimensions)].map(
  (name) => parseDimension(name)!,
);

const floorHour = (ms: number) => ms - (ms % HOUR);

/**
 * Rolls up every closed hour of a site not rolled up yet, oldest first, at most `maxHours` per call so a
 * long catch-up is spread over several runs. Each hour is recomputed from the raw tables and replaced in
 * one transaction, so running twice gives the same rows. Returns the number of hours rolled.
 */
export async function rollupSite(db: Kysely<Database>, dialect: DialectSql, site: Pick<SiteInfo, 'id' | 'timezone'>, now: number, maxHours = 168): Promise<number> {
  const state = await db.selectFrom('stats_state').select('rolled_until').where('site_id', '=', site.id).executeTakeFirst();
  let hour = state ? Number(state.rolled_until) : await firstHour(db, site.id, now);
  if (!state) await db.insertInto('stats_state').values({ site_id: site.id, rolled_until: hour }).execute();
  const limit = await openVisitsSince(db, site.id, now);
  let rolled = 0;
  while (hour + HOUR + ROLLUP_DELAY_MS <= now && hour + HOUR <= limit && rolled < maxHours) {
    await rollupHour(db, dialect, site, hour);
    hour += HOUR;
    rolled++;
  }
  return rolled;
}

/** The start of the oldest visit that can still grow (an event less than the idle time ago), or Infinity. */
async function openVisitsSince(db: Kysely<Database>, siteId: string, now: number): Promise<number> {
  const row = await db
    .selectFrom('sessions')
    .select((eb) => eb.fn.min('started_at').as('first'))
    .where('site_id', '=', siteId)
    .where('last_seen_at', '>', now - SESSION_IDLE_MS)
    .where('started_at', '>', now - MAX_OPEN_VISIT_WAIT_MS)
    .executeTakeFirst();
  return row?.first != null ? Number(row.first) : Infinity;
}

async function firstHour(db: Kysely<Database>, siteId: string, now: number): Promise<number> {
  const row = await db.selectFrom('events').select((eb) => eb.fn.min('ts').as('first')).where('site_id', '=', siteId).executeTakeFirst();
  return floorHour(row?.first != null ? Number(row.first) : now);
}

async function rollupHour(db: Kysely<Database>, dialect: DialectSql, site: Pick<SiteInfo, 'id' | 'timezone'>, hour: number): Promise<void> {
  const day = await prepareSeen(db, site, rolledDimensions, hour);
  const scope: RawScope = { db, dialect, site: site.id, from: hour, to: hour + HOUR, filters: [] };
  // visitors counted once per local day: each hour adds only those not seen earlier that day, so the
  // hourly rows of a day add up to its unique visitors (per dimension value, too)
  const dayScope: RawScope = { ...scope, seenDay: day };
  const totals = await rawTotals(scope);
  const empty = totals.visits === 0 && totals.pageviews === 0 && totals.events === 0;

  const dims: StatsDimsHourlyTable[] = [];
  if (!empty) {
    for (const dim of rolledDimensions) {
      for (const r of await rawBreakdown(dayScope, dim, 1_000_000)) {
        dims.push({ site_id: site.id, hour, dimension: dim.name, value: r.value === null ? '' : String(r.value), visitors: r.visitors, visits: r.visits, pageviews: r.pageviews, events: r.events, bounces: r.bounces, duration: r.duration });
      }
    }
  }

  // the day's sketch gains this hour's visitors, for unique visitors across days
  const daily = await db.selectFrom('stats_daily').select('hll').where('site_id', '=', site.id).where('day', '=', day).executeTakeFirst();
  const sketch = Hll.fromBase64(daily?.hll);
  if (!empty) for (const id of await rawVisitorIds(scope)) sketch.add(id);
  const dayVisitors = empty ? 0 : await rawVisitorCount(dayScope);

  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('stats_hourly').where('site_id', '=', site.id).where('hour', '=', hour).execute();
    await trx.deleteFrom('stats_dims_hourly').where('site_id', '=', site.id).where('hour', '=', hour).execute();
    if (!empty) {
      await trx
        .insertInto('stats_hourly')
        .values({ site_id: site.id, hour, visitors: totals.visitors, day_visitors: dayVisitors, visits: totals.visits, pageviews: totals.pageviews, bounces: totals.bounces, duration: totals.duration, events: totals.events })
        .execute();
      for (let i = 0; i < dims.length; i += 500) await trx.insertInto('stats_dims_hourly').values(dims.slice(i, i + 500)).execute();
    }
    await trx
      .insertInto('stats_daily')
      .values({ site_id: site.id, day, hll: sketch.toBase64() })
      .onConflict((oc) => oc.columns(['site_id', 'day']).doUpdateSet({ hll: sketch.toBase64() }))
      .execute();
    if (!empty) await recordSeen(trx, site.id, day, rolledDimensions, hour, hour + HOUR);
    await trx.updateTable('stats_state').set({ rolled_until: hour + HOUR, seen_until: hour + HOUR }).where('site_id', '=', site.id).execute();
  });
}

/** Rolls up every site; for the job table and the CLI. */
export async function rollupAll(db: Kysely<Database>, dialect: DialectSql, now: number, maxHours?: number) {
  const sites = await db.selectFrom('sites').select(['id', 'timezone']).execute();
  let hours = 0;
  for (const site of sites) hours += await rollupSite(db, dialect, site, now, maxHours);
  return { hours };
}
