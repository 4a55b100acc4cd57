import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { DialectSql } from '../sql.ts';

// Anonymously processed information: datasets (releases), their files, the public notices of how they are
// provided, and each provision to a third party or the public.
export async function up(db: Kysely<any>, d: DialectSql): Promise<void> {
  const serial = (c: ColumnDefinitionBuilder) => (d.name === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey());

  await db.schema
    .createTable('releases')
    .addColumn('id', d.serialId, serial)
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('from_ts', d.bigint, (c) => c.notNull())
    .addColumn('to_ts', d.bigint, (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('k_required', 'integer', (c) => c.notNull())
    .addColumn('k_achieved', 'integer')
    .addColumn('records', d.bigint, (c) => c.notNull())
    .addColumn('risk', 'text', (c) => c.notNull())
    .addColumn('manifest_sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .addColumn('created_by', d.bigint)
    .addColumn('creator', 'text', (c) => c.notNull())
    .addColumn('published_at', d.bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('releases_created').on('releases').column('created_at').execute();

  await db.schema
    .createTable('release_files')
    .addColumn('release_id', d.bigint, (c) => c.notNull().references('releases.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('rows', d.bigint, (c) => c.notNull())
    .addColumn('size', d.bigint, (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('release_files_pk', ['release_id', 'name'])
    .execute();

  await db.schema
    .createTable('release_notices')
    .addColumn('id', d.serialId, serial)
    .addColumn('release_id', d.bigint, (c) => c.notNull().references('releases.id'))
    .addColumn('method_ja', 'text', (c) => c.notNull())
    .addColumn('method_en', 'text', (c) => c.notNull())
    .addColumn('published_at', d.bigint, (c) => c.notNull())
    .addColumn('published_by', d.bigint)
    .execute();
  await db.schema.createIndex('release_notices_release').on('release_notices').column('release_id').execute();

  await db.schema
    .createTable('release_disclosures')
    .addColumn('id', d.serialId, serial)
    .addColumn('release_id', d.bigint, (c) => c.notNull().references('releases.id'))
    .addColumn('notice_id', d.bigint, (c) => c.notNull().references('release_notices.id'))
    .addColumn('recipient_kind', 'text', (c) => c.notNull())
    .addColumn('recipient_name', 'text')
    .addColumn('released_on', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .addColumn('created_by', d.bigint)
    .execute();
  await db.schema.createIndex('release_disclosures_release').on('release_disclosures').column('release_id').execute();
}
