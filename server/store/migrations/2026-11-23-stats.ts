import type { Kysely } from 'kysely';
import type { DialectSql } from '../sql.ts';

export async function up(db: Kysely<any>, d: DialectSql): Promise<void> {
  await db.schema
    .createTable('stats_hourly')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('hour', d.bigint, (c) => c.notNull())
    .addColumn('visitors', 'integer', (c) => c.notNull())
    .addColumn('day_visitors', 'integer', (c) => c.notNull())
    .addColumn('visits', 'integer', (c) => c.notNull())
    .addColumn('pageviews', 'integer', (c) => c.notNull())
    .addColumn('bounces', 'integer', (c) => c.notNull())
    .addColumn('duration', d.bigint, (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stats_hourly_pk', ['site_id', 'hour'])
    .execute();

  await db.schema
    .createTable('stats_dims_hourly')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('hour', d.bigint, (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('visitors', 'integer', (c) => c.notNull())
    .addColumn('visits', 'integer', (c) => c.notNull())
    .addColumn('pageviews', 'integer', (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull())
    .addColumn('bounces', 'integer', (c) => c.notNull())
    .addColumn('duration', d.bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('stats_dims_hourly_pk', ['site_id', 'dimension', 'hour', 'value'])
    .execute();

  await db.schema
    .createTable('stats_daily')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('hll', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stats_daily_pk', ['site_id', 'day'])
    .execute();

  await db.schema
    .createTable('stats_state')
    .addColumn('site_id', 'text', (c) => c.primaryKey())
    .addColumn('rolled_until', d.bigint, (c) => c.notNull())
    .execute();
}
