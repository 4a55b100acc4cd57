import type { Kysely } from 'kysely';
import type { LoadedPolicy } from '../../policy/load.ts';
import { runRetention, type RetentionReport } from '../jobs/retention.ts';
import type { Database } from '../store/schema.ts';
import { verifyAuditLog } from './audit.ts';

type Print = (line: string) => void;

const describe = {
  altered: 'the entry was edited (its hash no longer matches its fields or its successor)',
  missing: 'the entry was deleted',
  reordered: 'entries were moved out of their order',
} as const;

/** `ashiato audit verify`: prints the result and returns the exit code (0 intact, 1 broken). */
export async function auditVerifyCommand(db: Kysely<Database>, out: Print = console.log, err: Print = console.error): Promise<number> {
  const report = await verifyAuditLog(db);
  if (report.ok) {
    out(`audit log: OK, ${report.count} entries verified (from anchor seq ${report.anchorSeq})`);
    out(`chain head: ${report.head}`);
    return 0;
  }
  err(`audit log: FAILED at seq ${report.firstBadSeq}: ${describe[report.reason]}`);
  return 1;
}

export interface RetentionCommandOptions {
  dryRun?: boolean;
  now?: number;
  out?: Print;
  /** where the progress bar goes (stderr) */
  progress?: { write(chunk: string): unknown; isTTY?: boolean };
}

const BAR = 24;

/** A one-line progress bar, redrawn in place on a terminal and printed once per step elsewhere. */
export function progressBar(stream: NonNullable<RetentionCommandOptions['progress']>) {
  let current = '';
  return ({ step, done, total }: { step: string; done: number; total: number }) => {
    const ratio = total ? Math.min(1, done / total) : 1;
    const filled = Math.round(ratio * BAR);
    const line = `${step.padEnd(22)} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%  ${done.toLocaleString('en')}/${total.toLocaleString('en')}`;
    if (stream.isTTY) {
      stream.write(`\r${line}`);
      if (ratio >= 1 && step !== current) stream.write('\n');
    } else if (ratio >= 1 && step !== current) {
      stream.write(`${line}\n`);
    }
    if (ratio >= 1) current = step;
  };
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
