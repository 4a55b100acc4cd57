import type { Kysely } from 'kysely';
import type { DialectSql } from '../sql.ts';
import { serialPrimaryKey } from '../sql.ts';

/** Staff second factor: a TOTP secret per user (pending until confirmed), and single-use recovery codes. */
export async function up(db: Kysely<any>, d: DialectSql): Promise<void> {
  await db.schema.alterTable('users').addColumn('totp_secret', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_enabled_at', d.bigint).execute();
  await db.schema.alterTable('users').addColumn('totp_last_step', d.bigint).execute();
  await db.schema
    .createTable('staff_recovery_codes')
    .addColumn('id', d.serialId, serialPrimaryKey(d))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', d.bigint)
    .execute();
  await db.schema.createIndex('staff_recovery_codes_user').on('staff_recovery_codes').column('user_id').execute();
}
