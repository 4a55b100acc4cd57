import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { LoadedPolicy } from '../../policy/load.ts';
import { cliActor } from '../privacy/audit.ts';
import { progressBar } from '../privacy/cli.ts';
import { PrivacyError } from '../privacy/http.ts';
import type { Database } from '../store/schema.ts';
import { zonedMidnight } from './generalize.ts';
import { createRelease, createReleaseBody } from './releases.ts';

type Print = (line: string) => void;

export interface ExportAnonymizedOptions {
  site?: string;
  level?: string;
  /** YYYY-MM-DD (midnight in the site's time zone) or an ISO instant, inclusive */
  from?: string;
  /** the same, exclusive */
  to?: string;
  /** comma-separated dataset columns */
  columns?: string;
  /** directory the files are written to (default: the current one) */
  dir?: string;
  now?: number;
  print?: Print;
  printError?: Print;
  progress?: { write(chunk: string): unknown; isTTY?: boolean };
}

const usage = 'usage: ashiato export anonymized --site SITE --level pageview|session --from YYYY-MM-DD --to YYYY-MM-DD (exclusive, days of the site\'s time zone) [--columns a,b] [--out DIR]';

/**
 * `ashiato export anonymized`: builds a dataset exactly as the dashboard does (its items are on the public
 * register when this returns), writes its CSV, JSON Lines and manifest to --out (`dir`), and prints the risk report.
 * Progress goes to stderr. Exit 0 on success, 1 on a refusal or bad flags, with the reason.
 */
export async function exportAnonymizedCommand(db: Kysely<Database>, policy: LoadedPolicy, options: ExportAnonymizedOptions): Promise<number> {
  const out = options.print ?? console.log;
  const err = options.printError ?? console.error;
  // a bare date means that day in the site's own time zone, as the dashboard's dates do
  const site = options.site ? await db.selectFrom('sites').select('timezone').where('id', '=', options.site).executeTakeFirst() : undefined;
  const day = (value: string | undefined) => (value && site && /^\d{4}-\d{2}-\d{2}$/.test(value) ? zonedMidnight(value, site.timezone) : value);
  const parsed = createReleaseBody.safeParse({
    site: options.site,
    level: options.level,
    from: day(options.from),
    to: day(options.to),
    columns: options.columns?.split(',').map((c) => c.trim()).filter(Boolean),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    err(`${issue.path.join('.') || 'flags'}: ${issue.code === 'invalid_type' ? 'is required' : issue.message}\n${usage}`);
    return 1;
  }
  try {
    const { release, files } = await createRelease(db, policy, parsed.data, cliActor(), options.now ?? Date.now(), {
      onProgress: progressBar(options.progress ?? process.stderr),
    });
    const dir = options.dir ?? '.';
    mkdirSync(dir, { recursive: true });
    for (const f of files) writeFileSync(join(dir, f.name), f.content);
    const { risk } = release;
    out(`release ${release.id}: ${release.records.toLocaleString('en')} records from ${risk.recordsBuilt.toLocaleString('en')}, ${risk.visitors.toLocaleString('en')} visitors`);
    out(`k required ${release.kRequired}, achieved ${release.kAchieved}; ${risk.classes.count} classes, median size ${risk.classes.median}`);
    out(`suppressed: ${risk.suppressed.kAnonymity} for k, ${risk.suppressed.linkage} for k over linked pairs, ${risk.suppressed.sequenceCap} past the sequence cap (${(risk.suppressed.share * 100).toFixed(2)} %)`);
    if (risk.linkedVisitorsBelowK) out(`linkage: ${risk.linkedVisitorsBelowK} visitors' sets of classes are shared by fewer than k (leave out --columns key to remove the link)`);
    for (const f of release.files) out(`  ${join(dir, f.name)}  ${f.rows} rows  sha256 ${f.sha256}`);
    out(`items published on /privacy/anonymized; publish the method of provision before providing it to anyone`);
    return 0;
  } catch (e) {
    if (e instanceof PrivacyError) {
      err(`refused (${e.code}): ${e.message}`);
      return 1;
    }
    throw e;
  }
}

