import { CompiledQuery, type Kysely } from 'kysely';
import type { Statement } from './bulk-insert.ts';

/** Runs statements in one transaction; resolves only after the commit. */
export type Committer = {
  commit(statements: readonly Statement[]): Promise<void>;
  close(): Promise<void>;
  /** how many commits may run at once (the writer's concurrency): 1 on SQLite's single writer */
  parallel: number;
};

/** Through Kysely: a pooled connection per commit on PostgreSQL (`parallel` > 1), or in-memory SQLite. */
export function kyselyCommitter(db: Kysely<any>, parallel = 1): Committer {
  return {
    parallel,
    async commit(statements) {
      if (statements.length === 0) return;
      await db.transaction().execute(async (trx) => {
        for (const s of statements) await trx.executeQuery(CompiledQuery.raw(s.sql, [...s.parameters]));
      });
    },
    async close() {},
  };
}
