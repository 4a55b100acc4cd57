import type { Kysely } from 'kysely';
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

/** Where a progress bar goes (stderr). */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

const BAR = 24;

/** A one-line progress bar, redrawn in place on a terminal and printed once per step elsewhere. */
export function progressBar(stream: ProgressStream) {
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
