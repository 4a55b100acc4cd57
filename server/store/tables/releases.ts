import type { Generated } from 'kysely';
import type { DatasetLevel } from '../../../policy/dataset-columns.ts';

/**
 * Row types of anonymously processed information (migration: 2026-11-26-releases.ts; code:
 * server/anonymize). No table here holds a visitor id, an address, a cookie or consent id, or the key
 * that grouped a release's records: that key's salt lived only in memory during the build.
 */

export type { DatasetLevel };

/** One dataset built from raw events. Creating it publishes its items on /privacy/anonymized at once. */
export interface ReleasesTable {
  id: Generated<number>;
  site_id: string;
  level: DatasetLevel;
  /** the raw events' period, inclusive start, exclusive end */
  from_ts: number;
  to_ts: number;
  /** JSON array of dataset column names: the items of information the dataset contains */
  items: string;
  /** JSON object: how it was processed (generalizations, caps, k), never a secret parameter */
  method: string;
  k_required: number;
  /** the smallest class (distinct visitors sharing the quasi-identifiers); null when no record is left */
  k_achieved: number | null;
  records: number;
  /** JSON object: the re-identification risk report (class-size histogram, suppressed and generalized counts) */
  risk: string;
  manifest_sha256: string;
  created_at: number;
  created_by: number | null;
  /** the staff member's e-mail, or `cli` */
  creator: string;
  /** when its items appeared on the public register (the same transaction as the build) */
  published_at: number;
}

/** A dataset's files (CSV, JSON Lines, manifest), kept as built: the key salt is gone, so they cannot be rebuilt. */
export interface ReleaseFilesTable {
  release_id: number;
  name: string;
  media_type: string;
  rows: number;
  size: number;
  sha256: string;
  content: string;
}

/** The public notice of how a dataset is provided (APPI 44): must exist before any provision. */
export interface ReleaseNoticesTable {
  id: Generated<number>;
  release_id: number;
  method_ja: string;
  method_en: string;
  published_at: number;
  published_by: number | null;
}

/** A provision of a dataset to a third party or to the public, made under a published notice. */
export interface ReleaseDisclosuresTable {
  id: Generated<number>;
  release_id: number;
  notice_id: number;
  recipient_kind: 'third_party' | 'public';
  /** null when released to the public */
  recipient_name: string | null;
  /** YYYY-MM-DD */
  released_on: string;
  note: string | null;
  created_at: number;
  created_by: number | null;
}

export interface ReleaseTables {
  releases: ReleasesTable;
  release_files: ReleaseFilesTable;
  release_notices: ReleaseNoticesTable;
  release_disclosures: ReleaseDisclosuresTable;
}
