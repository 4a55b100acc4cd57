import { randomFillSync } from 'node:crypto';

// One call into the CSPRNG per 256 ids instead of one per id: ids are minted on the ingest hot path.
const pool = Buffer.alloc(16 * 256);
let offset = pool.length;

function take(n: number): Buffer {
  if (offset + n > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + n);
  offset += n;
  return bytes;
}

/** 16 random bytes, base64url (22 chars): cookie ids, never derived from the visitor or the time. */
export function randomId(): string {
  return take(16).toString('base64url');
}

/**
 * Session ids: a 48-bit millisecond timestamp then 80 random bits, base64url (22 chars). Ids that grow
 * with time keep the session indexes append-only; the time they reveal is stored beside them anyway.
 */
export function timeOrderedId(now: number): string {
  const bytes = Buffer.allocUnsafe(16);
  bytes.writeUIntBE(Math.max(0, Math.floor(now)), 0, 6);
  take(10).copy(bytes, 6);
  return bytes.toString('base64url');
}
