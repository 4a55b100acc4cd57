import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { serialPrimaryKey, type DialectSql } from '../sql.ts';

/** sha256('ashiato audit log v1'): prev_hash of the first audit entry. Frozen here as a literal. */
const AUDIT_GENESIS = '2fae284fda9918bcb97b075c117173de5b35286628822b6de2dd87d0711fd269';

// Visitors' rights, privacy-office cases, provision records, the audit log and retention bookkeeping.
export async function up(db: Kysely<any>, d: DialectSql): Promise<void> {
  const serial = serialPrimaryKey(d);

  await db.schema
    .createTable('privacy_keys')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('id_hash_key', 'text', (c) => c.notNull())
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .execute();
  await db.insertInto('privacy_keys').values({ id: 1, id_hash_key: randomBytes(32).toString('hex'), created_at: Date.now() }).execute();

  await db.schema
    .createTable('suppressions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('deletion_log')
    .addColumn('id', d.serialId, serial)
    .addColumn('at', d.bigint, (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('case_id', d.bigint)
    .addColumn('id_hash', 'text')
    .addColumn('consent_hash', 'text')
    .addColumn('classes', 'text', (c) => c.notNull())
    .addColumn('counts', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('deletion_log_id_hash').on('deletion_log').column('id_hash').execute();
  await db.schema.createIndex('deletion_log_at').on('deletion_log').column('at').execute();

  await db.schema
    .createTable('privacy_cases')
    .addColumn('id', d.serialId, serial)
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('received_at', d.bigint, (c) => c.notNull())
    .addColumn('due_at', d.bigint, (c) => c.notNull())
    .addColumn('requester_name', 'text')
    .addColumn('requester_contact', 'text')
    .addColumn('agent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('agent_authority', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('identity_status', 'text', (c) => c.notNull())
    .addColumn('identity_method', 'text')
    .addColumn('identity_document', 'integer')
    .addColumn('fee_due', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('fee_paid_at', d.bigint)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('refusal_reason', 'text')
    .addColumn('summary', 'text')
    .addColumn('answer_note', 'text')
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .addColumn('created_by', d.bigint)
    .addColumn('updated_at', d.bigint, (c) => c.notNull())
    .addColumn('closed_at', d.bigint)
    .addColumn('purged_at', d.bigint)
    .execute();
  await db.schema.createIndex('privacy_cases_status').on('privacy_cases').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('privacy_cases_closed').on('privacy_cases').column('closed_at').execute();

  await db.schema
    .createTable('privacy_case_links')
    .addColumn('id', d.serialId, serial)
    .addColumn('case_id', d.bigint, (c) => c.notNull().references('privacy_cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text')
    .addColumn('value_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('privacy_case_links_case').on('privacy_case_links').column('case_id').execute();
  await db.schema.createIndex('privacy_case_links_hash').on('privacy_case_links').column('value_hash').execute();

  await db.schema
    .createTable('privacy_case_actions')
    .addColumn('id', d.serialId, serial)
    .addColumn('case_id', d.bigint, (c) => c.notNull().references('privacy_cases.id'))
    .addColumn('at', d.bigint, (c) => c.notNull())
    .addColumn('actor_id', d.bigint)
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('privacy_case_actions_case').on('privacy_case_actions').column('case_id').execute();

  await db.schema
    .createTable('privacy_case_documents')
    .addColumn('id', d.serialId, serial)
    .addColumn('case_id', d.bigint, (c) => c.notNull().references('privacy_cases.id'))
    .addColumn('name', 'text')
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', 'text')
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .addColumn('created_by', d.bigint)
    .addColumn('purged_at', d.bigint)
    .execute();
  await db.schema.createIndex('privacy_case_documents_case').on('privacy_case_documents').column('case_id').execute();

  await db.schema
    .createTable('provisions')
    .addColumn('id', d.serialId, serial)
    .addColumn('recipient_name', 'text', (c) => c.notNull())
    .addColumn('recipient_address', 'text', (c) => c.notNull())
    .addColumn('recipient_representative', 'text', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text')
    .addColumn('legal_ground', 'text', (c) => c.notNull())
    .addColumn('consent_confirmation', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', d.bigint, (c) => c.notNull())
    .addColumn('created_by', d.bigint)
    .execute();

  await db.schema
    .createTable('privacy_exports')
    .addColumn('id', d.serialId, serial)
    .addColumn('at', d.bigint, (c) => c.notNull())
    .addColumn('actor_id', d.bigint)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('case_id', d.bigint)
    .addColumn('provision_id', d.bigint)
    .addColumn('site_id', 'text')
    .addColumn('from_ts', d.bigint)
    .addColumn('to_ts', d.bigint)
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('privacy_exports_provision').on('privacy_exports').column('provision_id').execute();

  await db.schema
    .createTable('audit_log')
    // assigned under the chain lock, not by the database: no gaps after a rollback
    .addColumn('seq', d.bigint, (c) => c.primaryKey())
    .addColumn('ts', d.bigint, (c) => c.notNull())
    .addColumn('actor_id', d.bigint)
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_ts').on('audit_log').column('ts').execute();

  await db.schema
    .createTable('audit_chain')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('head_seq', d.bigint, (c) => c.notNull())
    .addColumn('head_hash', 'text', (c) => c.notNull())
    .addColumn('anchor_seq', d.bigint, (c) => c.notNull())
    .addColumn('anchor_hash', 'text', (c) => c.notNull())
    .addColumn('anchor_ts', d.bigint)
    .execute();
  await db
    .insertInto('audit_chain')
    .values({ id: 1, head_seq: 0, head_hash: AUDIT_GENESIS, anchor_seq: 0, anchor_hash: AUDIT_GENESIS, anchor_ts: null })
    .execute();

  await db.schema
    .createTable('retention_marks')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('until', d.bigint, (c) => c.notNull())
    .execute();
}
