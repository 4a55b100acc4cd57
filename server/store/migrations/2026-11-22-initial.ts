import type { Kysely } from 'kysely';
import { serialPrimaryKey, type DialectSql } from '../sql.ts';

// Migrations take Kysely<any>: they must keep working as the schema types move on.
export async function up(db: Kysely<any>, d: DialectSql): Promise<void> {
  await db.schema
    .createTable('sites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('domains', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('id', d.serialId, serialPrimaryKey(d))
    .addColumn('ts', d.bigint, (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('path', 'text')
    .addColumn('query', 'text')
    .addColumn('title', 'text')
    .addColumn('referrer_host', 'text')
    .addColumn('referrer_path', 'text')
    .addColumn('utm_source', 'text')
    .addColumn('utm_medium', 'text')
    .addColumn('utm_campaign', 'text')
    .addColumn('utm_term', 'text')
    .addColumn('utm_content', 'text')
    .addColumn('country', 'text')
    .addColumn('browser', 'text')
    .addColumn('browser_version', 'text')
    .addColumn('os', 'text')
    .addColumn('device', 'text')
    .addColumn('language', 'text')
    .addColumn('ip_trunc', 'text')
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addColumn('visitor_kind', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('props', 'text')
    .execute();
  // Only indexes whose keys grow with time: random keys (visitor ids) would scatter every group commit over
  // many pages. A visitor's events are found through their sessions (session ids are time-ordered).
  await db.schema.createIndex('events_site_ts').on('events').columns(['site_id', 'ts']).execute();
  await db.schema.createIndex('events_session').on('events').columns(['session_id']).execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addColumn('started_at', d.bigint, (c) => c.notNull())
    .addColumn('last_seen_at', d.bigint, (c) => c.notNull())
    .addColumn('entry_path', 'text')
    .addColumn('exit_path', 'text')
    .addColumn('pageviews', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('events', 'integer', (c) => c.notNull().defaultTo(0))
    // what the visit came from and on, copied from its first event so session reports need no join
    .addColumn('visitor_kind', 'text', (c) => c.notNull().defaultTo('hash'))
    .addColumn('referrer_host', 'text')
    .addColumn('utm_source', 'text')
    .addColumn('utm_medium', 'text')
    .addColumn('utm_campaign', 'text')
    .addColumn('country', 'text')
    .addColumn('browser', 'text')
    .addColumn('os', 'text')
    .addColumn('device', 'text')
    .execute();
  await db.schema.createIndex('sessions_site_started').on('sessions').columns(['site_id', 'started_at']).execute();
  // visitor_id alone: a session's updates (last_seen_at, counts) then never touch this random-keyed index
  await db.schema.createIndex('sessions_visitor').on('sessions').columns(['visitor_id']).execute();

  await db.schema
    .createTable('salts')
    .addColumn('id', d.serialId, serialPrimaryKey(d))
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .execute();
}
