import { Migrator, type Kysely, type Migration } from 'kysely';
import type { DialectSql } from '../sql.ts';
import * as initial from './2026-11-22-initial.ts';
import * as auth from './2026-11-23-auth.ts';
import * as consent from './2026-11-23-consent.ts';
import * as stats from './2026-11-23-stats.ts';
import * as privacy from './2026-11-24-privacy.ts';
import * as statsSeen from './2026-11-25-stats-seen.ts';
import * as releases from './2026-11-26-releases.ts';
import * as scaleOut from './2026-11-27-scale-out.ts';
import * as siteSalts from './2026-12-04-site-salts.ts';
import * as secondFactor from './2026-12-04-second-factor.ts';
import * as siteAccess from './2026-12-04-site-access.ts';

type Step = { up(db: Kysely<any>, d: DialectSql): Promise<void> };

/** Listed explicitly, oldest first, with ISO-date names: no directory scanning, no surprises in a bundle. */
const steps: Record<string, Step> = {
  '2026-11-22-initial': initial,
  '2026-11-23-auth': auth,
  '2026-11-23-consent': consent,
  '2026-11-23-stats': stats,
  '2026-11-24-privacy': privacy,
  '2026-11-25-stats-seen': statsSeen,
  '2026-11-26-releases': releases,
  '2026-11-27-scale-out': scaleOut,
  '2026-12-04-site-salts': siteSalts,
  '2026-12-04-second-factor': secondFactor,
  '2026-12-04-site-access': siteAccess,
};

/**
 * `schema` names where Kysely keeps its migration tables when the database has several schemas (PostgreSQL):
 * its existence check looks at every schema, so another schema's table would otherwise count as ours.
 */
export async function migrateToLatest(db: Kysely<any>, dialect: DialectSql, schema?: string): Promise<string[]> {
  const migrations: Record<string, Migration> = {};
  for (const [name, step] of Object.entries(steps)) migrations[name] = { up: (trx) => step.up(trx, dialect) };
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema: schema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
