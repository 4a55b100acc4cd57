import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';

/**
 * Can storage take a write now? The database answers a query, and — for a database file — a small file
 * can be written and synced beside it: a full or read-only disk fails there even while SQLite still has
 * room in its WAL for a few more pages.
 */
export function storageProbe(db: Kysely<any>, dataDir?: string): () => Promise<void> {
  return async () => {
    await sql`select 1`.execute(db);
    if (!dataDir) return;
    const file = join(dataDir, `.ready-${randomBytes(4).toString('hex')}`);
    const fd = openSync(file, 'w');
    try {
      writeSync(fd, Buffer.alloc(4096));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
      unlinkSync(file);
    }
  };
}
