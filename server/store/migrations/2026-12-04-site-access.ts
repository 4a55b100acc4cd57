import type { Kysely } from 'kysely';

/** Per-site access: a JSON array of site ids a user or token may read; null means every site. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('sites', 'text').execute();
  await db.schema.alterTable('api_tokens').addColumn('sites', 'text').execute();
}
