import type { Kysely } from 'kysely';
import { keyedTableEnd, type DialectSql } from '../sql.ts';

// The rollup's record of who was already counted today, so each hour is rolled up from that hour's rows
// alone instead of rescanning the day so far (which made the late hours of a busy day ever slower).
export async function up(db: Kysely<any>, d: DialectSql): Promise<void> {
  await db.schema
    .createTable('stats_seen')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stats_seen_pk', ['site_id', 'day', 'dimension', 'value', 'visitor_id'])
    .modifyEnd(keyedTableEnd(d))
    .execute();
  await db.schema.alterTable('stats_state').addColumn('seen_until', d.bigint).execute();
}
