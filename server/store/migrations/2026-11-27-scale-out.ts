import type { Kysely } from 'kysely';
import type { DialectSql } from '../sql.ts';

/** Several processes on one database (PostgreSQL): job leases, and one salt per moment. */
export async function up(db: Kysely<any>, d: DialectSql): Promise<void> {
  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('until', d.bigint, (c) => c.notNull())
    .execute();
  // processes racing to write the next salt compute the same created_at; this keeps exactly one
  await db.schema.createIndex('salts_created_at').unique().on('salts').column('created_at').execute();
}
