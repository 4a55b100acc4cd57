import type { Kysely } from 'kysely';
import type { LoadedPolicy } from '../../policy/load.ts';
import { progressBar, type ProgressStream } from '../privacy/cli.ts';
import type { Database } from '../store/schema.ts';
import { runRetention, type RetentionReport } from './retention.ts';

type Print = (line: string) => void;

export interface RetentionCommandOptions {
  dryRun?: boolean;
  now?: number;
  out?: Print;
  /** where the progress bar goes (stderr) */
  progress?: ProgressStream;
}

export function retentionTable(report: RetentionReport): string[] {
  const rows = report.steps.map((s) => [s.name, s.action, s.cutoff === null ? '' : new Date(s.cutoff).toISOString().slice(0, 16).replace('T', ' '), s.count.toLocaleString('en')]);
  const head = ['data class', report.dryRun ? 'would' : 'action', 'older than (UTC)', 'rows'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((cell, i) => (i === r.length - 1 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)];
}

/** `ashiato retention run [--dry-run]`: progress on stderr, a summary table on stdout. */
export async function retentionRunCommand(db: Kysely<Database>, policy: LoadedPolicy, options: RetentionCommandOptions = {}): Promise<number> {
  const out = options.out ?? console.log;
  const now = options.now ?? Date.now();
  const report = await runRetention(
    { db, policy, now: () => now },
    { dryRun: options.dryRun, onProgress: progressBar(options.progress ?? process.stderr) },
  );
  for (const line of retentionTable(report)) out(line);
  const total = report.steps.reduce((sum, s) => sum + s.count, 0);
  out(report.dryRun ? `dry run: ${total.toLocaleString('en')} rows would be affected; nothing was changed` : `${total.toLocaleString('en')} rows affected`);
  return 0;
}
