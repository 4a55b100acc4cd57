import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { datasetColumns, datasetLevels, type DatasetLevel } from '../../policy/dataset-columns.ts';
import type { LoadedPolicy } from '../../policy/load.ts';
import { datasetK } from '../../policy/schema.ts';
import { audit, type AuditActor } from '../privacy/audit.ts';
import { instant, PrivacyError } from '../privacy/http.ts';
import type { Database } from '../store/schema.ts';
import type { ReleaseFilesTable, ReleasesTable } from '../store/tables/releases.ts';
import { buildDataset, type BuildOptions, type MethodSummary, type RiskReport } from './build.ts';
import { countSourceEvents } from './source.ts';
import { renderCsv, renderJsonLines, renderManifest, type DatasetFile } from './files.ts';
import { disclosureView, noticeView, type DisclosureView, type NoticeView } from './publication.ts';

/**
 * Creating a dataset: build it, store its files (they cannot be rebuilt: the key's salt is gone), and put its
 * items on the public register in the same transaction, with the audit entries — so a dataset never exists
 * without its items being public.
 */

const MAX_RANGE_MS = 400 * 24 * 60 * 60 * 1000;

export const createReleaseBody = z.strictObject({
  site: z.string().min(1).max(128),
  level: z.enum(datasetLevels),
  /** raw events from (inclusive) */
  from: instant,
  /** to (exclusive) */
  to: instant,
  /** the dataset's columns; all the policy allows for the level when omitted */
  columns: z.array(z.string().min(1).max(80)).min(1).max(40).optional(),
});
export type CreateReleaseInput = z.output<typeof createReleaseBody>;

export interface ReleaseFileView {
  name: string;
  mediaType: string;
  rows: number;
  size: number;
  sha256: string;
}

export interface ReleaseView {
  id: number;
  site: string;
  level: DatasetLevel;
  from: number;
  to: number;
  items: string[];
  method: MethodSummary;
  kRequired: number;
  kAchieved: number | null;
  records: number;
  risk: RiskReport;
  manifestSha256: string;
  createdAt: number;
  createdBy: number | null;
  creator: string;
  publishedAt: number;
  files: ReleaseFileView[];
  notices: NoticeView[];
  disclosures: DisclosureView[];
}

export function releaseView(r: Selectable<ReleasesTable>, files: ReleaseFileView[], notices: NoticeView[], disclosures: DisclosureView[]): ReleaseView {
  return {
    id: Number(r.id),
    site: r.site_id,
    level: r.level,
    from: Number(r.from_ts),
    to: Number(r.to_ts),
    items: JSON.parse(r.items) as string[],
    method: JSON.parse(r.method) as MethodSummary,
    kRequired: Number(r.k_required),
    kAchieved: r.k_achieved === null ? null : Number(r.k_achieved),
    records: Number(r.records),
    risk: JSON.parse(r.risk) as RiskReport,
    manifestSha256: r.manifest_sha256,
    createdAt: Number(r.created_at),
    createdBy: r.created_by === null ? null : Number(r.created_by),
    creator: r.creator,
    publishedAt: Number(r.published_at),
    files,
    notices,
    disclosures,
  };
}

const fileView = (f: Omit<Selectable<ReleaseFilesTable>, 'content' | 'release_id'>): ReleaseFileView => ({
  name: f.name,
  mediaType: f.media_type,
  rows: Number(f.rows),
  size: Number(f.size),
  sha256: f.sha256,
});

/** The request checked against the policy and the sites: the columns to build and the site's time zone. */
async function checkRequest(db: Kysely<Database>, policy: LoadedPolicy, input: CreateReleaseInput): Promise<{ columns: string[]; timeZone: string }> {
  if (!(input.from < input.to)) throw new PrivacyError('invalid_range', 'from must be before to');
  if (input.to - input.from > MAX_RANGE_MS) throw new PrivacyError('invalid_range', 'a dataset covers at most 400 days of events');
  const allowed = datasetColumns(policy.policy, input.level).map((c) => c.name);
  const columns = input.columns ? [...new Set(input.columns)] : allowed;
  const refused = columns.find((c) => !allowed.includes(c));
  if (refused) throw new PrivacyError('column_not_allowed', `a ${input.level}-level dataset under this policy may hold only: ${allowed.join(', ')} (not "${refused}")`);
  const site = await db.selectFrom('sites').select('timezone').where('id', '=', input.site).executeTakeFirst();
  if (!site) throw new PrivacyError('unknown_site', `no site "${input.site}"`, 404);
  // keep the policy's column order whatever order was asked for
  return { columns: allowed.filter((c) => columns.includes(c)), timeZone: site.timezone };
}

export interface CreatedRelease {
  release: ReleaseView;
  files: DatasetFile[];
}

export interface CreateOptions extends BuildOptions {
  /** refuse periods with more raw events than this (the build holds them in memory and keeps the CPU busy) */
  maxEvents?: number;
}

export async function createRelease(db: Kysely<Database>, policy: LoadedPolicy, input: CreateReleaseInput, actor: AuditActor, now: number, options: CreateOptions = {}): Promise<CreatedRelease> {
  const { onProgress } = options;
  const { columns, timeZone } = await checkRequest(db, policy, input);
  if (options.maxEvents !== undefined) {
    const events = await countSourceEvents(db, input);
    if (events > options.maxEvents) {
      throw new PrivacyError('too_many_events', `the period holds ${events} events; over ${options.maxEvents}, build the dataset with \`ashiato export anonymized\``, 409);
    }
  }
  const k = datasetK(policy.policy);
  const built = await buildDataset(db, { ...input, columns, timeZone, k, policy: policy.policy.anonymization }, options);
  if (!built.records.length) {
    throw new PrivacyError('empty_dataset', `no record is left: ${built.risk.recordsBuilt} built, all suppressed at k = ${k} (or none in the period)`, 409);
  }
  onProgress?.({ step: 'write files', done: 0, total: 1 });
  const result = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('releases')
      .values({
        site_id: input.site,
        level: input.level,
        from_ts: input.from,
        to_ts: input.to,
        items: JSON.stringify(columns),
        method: JSON.stringify(built.method),
        k_required: k,
        k_achieved: built.kAchieved,
        records: built.records.length,
        risk: JSON.stringify(built.risk),
        manifest_sha256: '',
        created_at: now,
        created_by: actor.id,
        creator: actor.label,
        published_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    const base = `anonymized-${id}-${input.level}`;
    const data = [renderCsv(`${base}.csv`, columns, built.records, built.keys), renderJsonLines(`${base}.jsonl`, id, columns, built.records, built.keys)];
    const manifest = renderManifest(
      `${base}.manifest.json`,
      {
        release: id,
        site: input.site,
        level: input.level,
        period: { from: new Date(input.from).toISOString(), to: new Date(input.to).toISOString() },
        createdAt: new Date(now).toISOString(),
        creator: actor.label,
        items: columns,
        method: built.method,
        k: { required: k, achieved: built.kAchieved },
        risk: built.risk,
      },
      data,
    );
    const files = [...data, manifest];
    for (const f of files) {
      await trx
        .insertInto('release_files')
        .values({ release_id: id, name: f.name, media_type: f.mediaType, rows: f.rows, size: f.size, sha256: f.sha256, content: f.content })
        .execute();
    }
    await trx.updateTable('releases').set({ manifest_sha256: manifest.sha256 }).where('id', '=', id).execute();
    const target = `release:${id}`;
    await audit(
      trx,
      actor,
      'release.create',
      { site: input.site, level: input.level, records: built.records.length, kRequired: k, kAchieved: built.kAchieved, suppressed: built.risk.suppressed.sequenceCap + built.risk.suppressed.kAnonymity + built.risk.suppressed.linkage, manifestSha256: manifest.sha256 },
      { target, now },
    );
    await audit(trx, actor, 'release.items_published', { items: columns }, { target, now });
    return { id, files };
  });
  onProgress?.({ step: 'write files', done: 1, total: 1 });
  return { release: (await getRelease(db, result.id))!, files: result.files };
}

export async function getRelease(db: Kysely<Database>, id: number): Promise<ReleaseView | null> {
  const row = await db.selectFrom('releases').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const [files, notices, disclosures] = await Promise.all([
    db.selectFrom('release_files').select(['name', 'media_type', 'rows', 'size', 'sha256']).where('release_id', '=', id).orderBy('name').execute(),
    db.selectFrom('release_notices').selectAll().where('release_id', '=', id).orderBy('id').execute(),
    db.selectFrom('release_disclosures').selectAll().where('release_id', '=', id).orderBy('id').execute(),
  ]);
  return releaseView(row, files.map(fileView), notices.map(noticeView), disclosures.map(disclosureView));
}

export async function listReleases(db: Kysely<Database>, limit = 200): Promise<ReleaseView[]> {
  const ids = await db.selectFrom('releases').select('id').orderBy('id', 'desc').limit(limit).execute();
  const views: ReleaseView[] = [];
  for (const { id } of ids) views.push((await getRelease(db, Number(id)))!);
  return views;
}

/** A file as stored; every download is audited. */
export async function readReleaseFile(db: Kysely<Database>, id: number, name: string, actor: AuditActor, now: number): Promise<DatasetFile> {
  const f = await db.selectFrom('release_files').selectAll().where('release_id', '=', id).where('name', '=', name).executeTakeFirst();
  if (!f) throw new PrivacyError('not_found', `release ${id} has no file "${name}"`, 404);
  await audit(db, actor, 'release.download', { file: name, sha256: f.sha256 }, { target: `release:${id}`, now });
  return { name: f.name, mediaType: f.media_type, rows: Number(f.rows), size: Number(f.size), sha256: f.sha256, content: f.content };
}
