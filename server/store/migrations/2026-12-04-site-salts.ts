import type { Kysely } from 'kysely';

/**
 * Salts per site, turning at the site's local midnight: one salt per site and moment. Rows from before
 * keep site_id '' and are deleted by the rotation once their retention has passed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('salts').addColumn('site_id', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.dropIndex('salts_created_at').execute();
  await db.schema.createIndex('salts_site_created_at').unique().on('salts').columns(['site_id', 'created_at']).execute();
}
