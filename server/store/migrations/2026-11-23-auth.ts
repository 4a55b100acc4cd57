import type { Kysely } from 'kysely';
import { serialPrimaryKey, type DialectSql } from '../sql.ts';

// Users, staff sessions, API tokens, sign-in attempts and shared statistics links. Users are disabled,
// never deleted, so the rows that point at them keep their meaning.
export async function up(db: Kysely<any>, d: DialectSql): Promise<void> {
  const serial = serialPrimaryKey(d);

  await db.schema
    .createTable('users')
    .addColumn('id', d.serialId, serial)
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .addColumn('disabled_at', d.bigint)
    .addColumn('last_login_at', d.bigint)
    .execute();

  await db.schema
    .createTable('staff_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', d.bigint, (c) => c.notNull().references('users.id'))
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .addColumn('last_seen_at', d.bigint, (c) => c.notNull())
    .addColumn('expires_at', d.bigint, (c) => c.notNull())
    .addColumn('csrf_secret', 'text', (c) => c.notNull())
    .addColumn('ua_summary', 'text')
    .execute();
  await db.schema.createIndex('staff_sessions_user').on('staff_sessions').column('user_id').execute();
  await db.schema.createIndex('staff_sessions_expires').on('staff_sessions').column('expires_at').execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', d.serialId, serial)
    .addColumn('user_id', d.bigint, (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .addColumn('last_used_at', d.bigint)
    .addColumn('expires_at', d.bigint)
    .addColumn('revoked_at', d.bigint)
    .execute();

  await db.schema
    .createTable('login_attempts')
    .addColumn('id', d.serialId, serial)
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', d.bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_attempts_key_at').on('login_attempts').columns(['key', 'at']).execute();

  await db.schema
    .createTable('shared_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('created_by', d.bigint, (c) => c.notNull().references('users.id'))
    .addColumn('password_hash', 'text')
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .addColumn('expires_at', d.bigint)
    .addColumn('revoked_at', d.bigint)
    .execute();
  await db.schema.createIndex('shared_links_site').on('shared_links').column('site_id').execute();
}
