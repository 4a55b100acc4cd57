import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { verifyReceiptChain } from './verify.ts';

/** `ashiato consent verify`: prints the result and returns the exit code (0 intact, 1 broken). */
export async function consentVerifyCommand(
  db: Kysely<Database>,
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
): Promise<number> {
  const report = await verifyReceiptChain(db);
  if (report.ok) {
    const redacted = report.redacted ? `, ${report.redacted} of them redacted on request` : '';
    out(`consent receipts: OK, ${report.count} verified${redacted} (from anchor seq ${report.anchorSeq})`);
    out(`chain head: ${report.head}`);
    return 0;
  }
  err(`consent receipts: FAILED at seq ${report.firstBadSeq}: ${describe[report.reason]}`);
  return 1;
}

const describe = {
  altered: 'the receipt was edited (its hashes no longer match its fields or its successor)',
  missing: 'the receipt was deleted',
  reordered: 'receipts were moved out of their order',
} as const;
