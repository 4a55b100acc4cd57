import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { BreakdownRow, Totals } from './raw-queries.ts';

/** Reads of the rollup tables (written by server/jobs/rollup.ts). */

/** An hour is rolled up once the visits that started in it have been idle long enough to be over. */
export const ROLLUP_DELAY_MS = 30 * 60_000;

export async function rolledUntil(db: Kysely<Database>, site: string): Promise<number> {
  const row = await db.selectFrom('stats_state').select('rolled_until').where('site_id', '=', site).executeTakeFirst();
  return row ? Number(row.rolled_until) : 0;
}

/** Up to when stats_seen holds who the rollup counted on its current day (see server/jobs/rollup-seen.ts). */
export async function seenUntil(db: Kysely<Database>, site: string): Promise<number | null> {
  const row = await db.selectFrom('stats_state').select('seen_until').where('site_id', '=', site).executeTakeFirst();
  return row?.seen_until == null ? null : Number(row.seen_until);
}

const num = (v: unknown) => Number(v ?? 0);

/** Sums of the hourly rows in [from, to); visitors are the sum of each day's unique visitors. */
export async function rolledTotals(db: Kysely<Database>, site: string, from: number, to: number): Promise<Totals> {
  if (from >= to) return { visitors: 0, visits: 0, pageviews: 0, bounces: 0, duration: 0, events: 0 };
  const r = await db
    .selectFrom('stats_hourly')
    .where('site_id', '=', site)
    .where('hour', '>=', from)
    .where('hour', '<', to)
    .select((eb) => [
      eb.fn.sum<number>('day_visitors').as('visitors'),
      eb.fn.sum<number>('visits').as('visits'),
      eb.fn.sum<number>('pageviews').as('pageviews'),
      eb.fn.sum<number>('bounces').as('bounces'),
      eb.fn.sum<number>('duration').as('duration'),
      eb.fn.sum<number>('events').as('events'),
    ])
    .executeTakeFirstOrThrow();
  return { visitors: num(r.visitors), visits: num(r.visits), pageviews: num(r.pageviews), bounces: num(r.bounces), duration: num(r.duration), events: num(r.events) };
}

export async function rolledHours(db: Kysely<Database>, site: string, from: number, to: number) {
  if (from >= to) return [];
  const rows = await db.selectFrom('stats_hourly').selectAll().where('site_id', '=', site).where('hour', '>=', from).where('hour', '<', to).execute();
  return rows.map((r) => ({ hour: Number(r.hour), visitors: r.visitors, dayVisitors: r.day_visitors, visits: r.visits, pageviews: r.pageviews, bounces: r.bounces, duration: Number(r.duration), events: r.events }));
}

export async function rolledDays(db: Kysely<Database>, site: string, fromDay: string, toDay: string) {
  return db.selectFrom('stats_daily').select(['day', 'hll']).where('site_id', '=', site).where('day', '>=', fromDay).where('day', '<=', toDay).execute();
}

/** A dimension's values over [from, to): visitors are the sum of each day's unique visitors for the value. */
export async function rolledBreakdown(db: Kysely<Database>, site: string, dimension: string, from: number, to: number): Promise<BreakdownRow[]> {
  if (from >= to) return [];
  const rows = await db
    .selectFrom('stats_dims_hourly')
    .where('site_id', '=', site)
    .where('dimension', '=', dimension)
    .where('hour', '>=', from)
    .where('hour', '<', to)
    .select((eb) => [
      'value',
      eb.fn.sum<number>('visitors').as('visitors'),
      eb.fn.sum<number>('visits').as('visits'),
      eb.fn.sum<number>('pageviews').as('pageviews'),
      eb.fn.sum<number>('events').as('events'),
      eb.fn.sum<number>('bounces').as('bounces'),
      eb.fn.sum<number>('duration').as('duration'),
    ])
    .groupBy('value')
    .execute();
  return rows.map((r) => ({
    value: r.value === '' ? null : r.value,
    visitors: num(r.visitors),
    visits: num(r.visits),
    pageviews: num(r.pageviews),
    events: num(r.events),
    bounces: num(r.bounces),
    duration: num(r.duration),
  }));
}

/** A dimension's hourly rows in [from, to), for regrouping by local day (published statistics). */
export async function rolledBreakdownHours(db: Kysely<Database>, site: string, dimension: string, from: number, to: number): Promise<(BreakdownRow & { hour: number })[]> {
  if (from >= to) return [];
  const rows = await db
    .selectFrom('stats_dims_hourly')
    .select(['hour', 'value', 'visitors', 'visits', 'pageviews', 'events', 'bounces', 'duration'])
    .where('site_id', '=', site)
    .where('dimension', '=', dimension)
    .where('hour', '>=', from)
    .where('hour', '<', to)
    .execute();
  return rows.map((r) => ({ ...r, hour: Number(r.hour), value: r.value === '' ? null : r.value, duration: Number(r.duration) }));
}
