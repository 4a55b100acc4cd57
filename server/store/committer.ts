import { CompiledQuery, type Kysely } from 'kysely';
import type { Statement } from './bulk-insert.ts';

/** Runs statements in one transaction; resolves only after the commit. */
export type Committer = {
  commit(statements: readonly Statement[]): Promise<void>;
  close(): Promise<void>;
};

/** Through Kysely on the shared connection: PostgreSQL (async I/O) and in-memory SQLite. */
export function kyselyCommitter(db: Kysely<any>): Committer {
  return {
    async commit(statements) {
      if (statements.length === 0) return;
      await db.transaction().execute(async (trx) => {
        for (const s of statements) await trx.executeQuery(CompiledQuery.raw(s.sql, [...s.parameters]));
      });
    },
    async close() {},
  };
}
