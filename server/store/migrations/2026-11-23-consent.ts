import type { Kysely } from 'kysely';
import type { DialectSql } from '../sql.ts';

/** sha256('ashiato consent receipts v1'): prev_hash of the first receipt. Frozen here as a literal. */
const GENESIS = 'e0627cdfa02d30d43e86bee204e713b6b68b85481f884722842760ad81b21419';

export async function up(db: Kysely<any>, d: DialectSql): Promise<void> {
  await db.schema
    .createTable('consent_receipts')
    // assigned by the append under the chain lock, not by the database: no gaps after a rollback
    .addColumn('seq', d.bigint, (c) => c.primaryKey())
    .addColumn('ts', d.bigint, (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('consent_id', 'text')
    .addColumn('revision', 'text')
    .addColumn('banner_hash', 'text')
    .addColumn('mode', 'text')
    .addColumn('action', 'text')
    .addColumn('accepted', 'text')
    .addColumn('rejected', 'text')
    .addColumn('language', 'text')
    .addColumn('path', 'text')
    .addColumn('ip_trunc', 'text')
    .addColumn('browser', 'text')
    .addColumn('browser_version', 'text')
    .addColumn('os', 'text')
    .addColumn('device', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('redacted_at', d.bigint)
    .execute();
  await db.schema.createIndex('consent_receipts_site_ts').on('consent_receipts').columns(['site_id', 'ts']).execute();
  // a visitor's own receipts (my-data, withdrawal); receipts are few next to events, so a random key is fine
  await db.schema.createIndex('consent_receipts_consent_id').on('consent_receipts').columns(['consent_id']).execute();

  await db.schema
    .createTable('consent_chain')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('head_seq', d.bigint, (c) => c.notNull())
    .addColumn('head_hash', 'text', (c) => c.notNull())
    .addColumn('anchor_seq', d.bigint, (c) => c.notNull())
    .addColumn('anchor_hash', 'text', (c) => c.notNull())
    .addColumn('anchor_ts', d.bigint)
    .execute();
  await db
    .insertInto('consent_chain')
    .values({ id: 1, head_seq: 0, head_hash: GENESIS, anchor_seq: 0, anchor_hash: GENESIS, anchor_ts: null })
    .execute();
}
