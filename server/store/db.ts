import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest } from './migrations/index.ts';
import type { Database } from './schema.ts';
import { withStatementCache } from './statement-cache.ts';
import { kyselyCommitter, type Committer } from './committer.ts';
import { sqliteThreadCommitter } from './sqlite-thread-committer.ts';
import { dialects, type DialectSql } from './sql.ts';

export type DbConfig = { kind: 'sqlite'; file: string };

export interface Store {
  db: Kysely<Database>;
  dialect: DialectSql;
  /** runs the ingest writer's group commits: a writer thread for an SQLite file, else the shared connection */
  committer: Committer;
  close(): Promise<void>;
}

/** Opens the database and brings its schema up to date. `file: ':memory:'` gives a private in-memory database. */
export async function createDb(config: DbConfig): Promise<Store> {
  if (config.file !== ':memory:') mkdirSync(dirname(config.file), { recursive: true });
  const sqlite = new SqliteDatabase(config.file);
  // WAL lets readers work during writes; synchronous=FULL makes each group commit survive power loss,
  // which is affordable because one fsync covers a whole batch of events.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  const dialect = dialects.sqlite;
  await migrateToLatest(db, dialect);
  // migrations ran first, on this connection, so the writer thread opens a database that is up to date
  const committer = config.file === ':memory:' ? kyselyCommitter(db) : sqliteThreadCommitter(config.file);
  return {
    db,
    dialect,
    committer,
    async close() {
      await committer.close();
      await db.destroy();
    },
  };
}
