import type { Generated } from 'kysely';
import type { requestTypes } from '../../../policy/schema.ts';

/**
 * Row types of the privacy-office tables (their migration: server/store/migrations/2026-11-24-privacy.ts).
 * Visitors' identifiers are kept only where a table cannot do its job without them (a case's linked ids,
 * until the case is purged or the visitor deletes their data); everywhere else a keyed hash stands in
 * (`privacy_keys.id_hash_key`), enough to recognise the same id again and useless without the key.
 * Booleans are 0/1 integers; timestamps integer milliseconds; JSON in text columns.
 */

export type RequestType = (typeof requestTypes)[number];
export type CaseStatus = 'received' | 'verifying' | 'awaiting_fee' | 'in_progress' | 'answered' | 'refused';
export type CaseChannel = 'mail' | 'email' | 'form';
export type IdentityStatus = 'pending' | 'verified' | 'failed' | 'not_required';
/** a document from the policy's `requests.identityDocuments`, or possession of the cookie id itself */
export type IdentityMethod = 'document' | 'cookie';
export type CheckStatus = 'pending' | 'verified' | 'failed';
export type NoticeLanguage = 'ja' | 'en';

/** One row (id 1): the key of every keyed hash of a visitor id (deletion log, suppressions, purged links). */
export interface PrivacyKeysTable {
  id: number;
  /** 32 random bytes, hex */
  id_hash_key: string;
  created_at: number;
}

/** Cookie ids whose use the visitor (or a case) stopped: ingest drops their events. */
export interface SuppressionsTable {
  /** keyed hash of the cookie id: the id itself is not kept */
  id_hash: string;
  reason: 'suspend' | 'withdraw' | 'case';
  created_at: number;
}

/** A deletion, recorded without what was deleted. */
export interface DeletionLogTable {
  id: Generated<number>;
  at: number;
  source: 'visitor' | 'case';
  case_id: number | null;
  /** keyed hash of the cookie id, so a repeat request can be recognised */
  id_hash: string | null;
  /** keyed hash of the consent id */
  consent_hash: string | null;
  /** JSON array of the data classes touched, e.g. ["events","sessions","consent_receipts"] */
  classes: string;
  /** JSON object of counts per class */
  counts: string;
}

/** APPI 33–35 requests and complaints handled by the privacy office. */
export interface PrivacyCasesTable {
  id: Generated<number>;
  type: RequestType;
  channel: CaseChannel;
  received_at: number;
  /** received_at + policy `requests.responseDays` */
  due_at: number;
  /** personal data: kept minimal, blanked when the case is purged */
  requester_name: string | null;
  requester_contact: string | null;
  /** 1 when an agent (legal representative or appointee) made the request */
  agent: number;
  agent_authority: CheckStatus | null;
  /** language of the answer letter */
  language: NoticeLanguage;
  identity_status: IdentityStatus;
  identity_method: IdentityMethod | null;
  /** index into the policy's `requests.identityDocuments` when identity_method is 'document' */
  identity_document: number | null;
  /** yen; only purpose_notification and disclosure may carry one (APPI 38) */
  fee_due: number;
  fee_paid_at: number | null;
  status: CaseStatus;
  /** id from the policy's `requests.nonDisclosureReasons`, required for 'refused' */
  refusal_reason: string | null;
  /** what is asked, in staff's words (no more personal data than needed) */
  summary: string | null;
  /** added to the answer letter */
  answer_note: string | null;
  created_at: number;
  created_by: number | null;
  updated_at: number;
  /** when it was answered or refused */
  closed_at: number | null;
  /** when documents, requester details and linked ids were discarded (policy `case_documents_days`) */
  purged_at: number | null;
}

/** The visitor ids a case concerns. `value` is blanked (the hash stays) on purge or the visitor's deletion. */
export interface PrivacyCaseLinksTable {
  id: Generated<number>;
  case_id: number;
  kind: 'cookie' | 'consent';
  value: string | null;
  value_hash: string;
  created_at: number;
}

/** What was done for a case: counts and references, never the data. */
export interface PrivacyCaseActionsTable {
  id: Generated<number>;
  case_id: number;
  at: number;
  actor_id: number | null;
  action: 'export' | 'delete' | 'suspend';
  /** JSON object */
  details: string;
}

/** Request forms and identity documents. Content is base64 text (one type on every dialect), size-limited. */
export interface PrivacyCaseDocumentsTable {
  id: Generated<number>;
  case_id: number;
  /** file name as uploaded; blanked on purge */
  name: string | null;
  media_type: string;
  size: number;
  /** SHA-256 hex of the content: what was received can still be named after the content is gone */
  sha256: string;
  content: string | null;
  created_at: number;
  created_by: number | null;
  purged_at: number | null;
}

/** Records of provision to third parties (APPI 29–31). */
export interface ProvisionsTable {
  id: Generated<number>;
  recipient_name: string;
  recipient_address: string;
  recipient_representative: string;
  /** JSON array of policy item ids */
  items: string;
  /** YYYY-MM-DD: the date of provision, or the first day of a period */
  period_from: string;
  /** YYYY-MM-DD: the last day of a period; null for a single date */
  period_to: string | null;
  /** id from the policy's `thirdPartyProvision.legalGrounds` */
  legal_ground: string;
  /** how the person's consent was confirmed; required when the ground is consent */
  consent_confirmation: string | null;
  note: string | null;
  created_at: number;
  created_by: number | null;
}

/** Every export of non-statistical data made by staff: to the person (a case) or to a recipient (a provision). */
export interface PrivacyExportsTable {
  id: Generated<number>;
  at: number;
  actor_id: number | null;
  kind: 'case' | 'third_party';
  case_id: number | null;
  provision_id: number | null;
  site_id: string | null;
  from_ts: number | null;
  to_ts: number | null;
  format: 'json' | 'csv';
  rows: number;
  /** SHA-256 hex of the file handed over */
  sha256: string;
}

/** Staff actions, hash-chained in `seq` order like the consent receipts (server/privacy/audit.ts). */
export interface AuditLogTable {
  seq: number;
  ts: number;
  actor_id: number | null;
  /** the staff member's e-mail, or `system:<job>` / `cli` */
  actor: string;
  /** e.g. `case.create`, `case.transition`, `export.third_party`, `auth.login` */
  action: string;
  /** e.g. `case:12`, `provision:3` */
  target: string | null;
  /** JSON object: counts, ids of records, never visitors' data */
  details: string;
  prev_hash: string;
  hash: string;
}

/** One row (id 1), like `consent_chain`. */
export interface AuditChainTable {
  id: number;
  head_seq: number;
  head_hash: string;
  anchor_seq: number;
  anchor_hash: string;
  anchor_ts: number | null;
}

/** How far a retention step that blanks columns has got, so each run only looks at rows newly past the limit. */
export interface RetentionMarksTable {
  name: string;
  until: number;
}

export interface PrivacyTables {
  privacy_keys: PrivacyKeysTable;
  suppressions: SuppressionsTable;
  deletion_log: DeletionLogTable;
  privacy_cases: PrivacyCasesTable;
  privacy_case_links: PrivacyCaseLinksTable;
  privacy_case_actions: PrivacyCaseActionsTable;
  privacy_case_documents: PrivacyCaseDocumentsTable;
  provisions: ProvisionsTable;
  privacy_exports: PrivacyExportsTable;
  audit_log: AuditLogTable;
  audit_chain: AuditChainTable;
  retention_marks: RetentionMarksTable;
}
