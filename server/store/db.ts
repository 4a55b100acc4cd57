import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type PostgresPool } from 'kysely';
import { migrateToLatest } from './migrations/index.ts';
import type { Database } from './schema.ts';
import { withStatementCache } from './statement-cache.ts';
import { kyselyCommitter, type Committer } from './committer.ts';
import { sqliteThreadCommitter } from './sqlite-thread-committer.ts';
import { createPostgresPool, type PostgresOptions } from './postgres.ts';
import { dialects, type DialectSql } from './sql.ts';
import { inProcessRollups, sqliteRollupThread, type RollupRunner } from '../jobs/rollup-thread.ts';

export type DbConfig =
  | { kind: 'sqlite'; file: string }
  | ({ kind: 'postgres' } & PostgresOptions)
  /** a pool made elsewhere (tests hand in PGlite); `end()` is called on close */
  | { kind: 'postgres'; pool: PostgresPool };

export interface Store {
  db: Kysely<Database>;
  dialect: DialectSql;
  /** runs the ingest writer's group commits: a writer thread for an SQLite file, else the shared connection */
  committer: Committer;
  /** other processes may write to the same database (PostgreSQL): per-process caches must look it up */
  shared: boolean;
  /** runs the rollup job: a thread of its own for an SQLite file, else this thread */
  rollups: RollupRunner;
  close(): Promise<void>;
}

/** Opens the database and brings its schema up to date. `file: ':memory:'` gives a private in-memory database. */
export async function createDb(config: DbConfig): Promise<Store> {
  if (config.kind === 'sqlite') return openSqlite(config.file);
  return 'pool' in config ? openPostgres(config.pool) : openPostgres(createPostgresPool(config), config.schema);
}

async function openSqlite(file: string): Promise<Store> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  // WAL lets readers work during writes; synchronous=FULL makes each group commit survive power loss,
  // which is affordable because one fsync covers a whole batch of events.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  // a deleted row's bytes are overwritten, not left in free pages: deletion requests must really delete
  sqlite.pragma('secure_delete = ON');
  // 64 MiB of page cache instead of 2: the rollup's lookups and inserts touch indexes far larger than that
  sqlite.pragma('cache_size = -65536');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  const dialect = dialects.sqlite;
  await migrateToLatest(db, dialect);
  // migrations ran first, on this connection, so the writer thread opens a database that is up to date
  const committer = file === ':memory:' ? kyselyCommitter(db) : sqliteThreadCommitter(file);
  const rollups = file === ':memory:' ? inProcessRollups(db, dialect) : sqliteRollupThread(file);
  return {
    db,
    dialect,
    committer,
    shared: false,
    rollups,
    async close() {
      await rollups.close();
      await committer.close();
      await db.destroy();
    },
  };
}

const PG_PARALLEL_COMMITS = 3;

/**
 * PostgreSQL through a pool: each group commit is one transaction on a pooled connection, so the event loop
 * never blocks on I/O. Several processes may open the same database; migrations take Kysely's lock.
 */
async function openPostgres(pool: PostgresPool, schema?: string): Promise<Store> {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const dialect = dialects.postgres;
  try {
    if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    const current = rows[0]?.schema;
    if (!current) throw new Error('no schema to work in: the search_path names no schema that exists');
    await migrateToLatest(db, dialect, current);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  // a few group commits in flight at once, each on its own pooled connection (the pool keeps the rest free)
  const committer = kyselyCommitter(db, PG_PARALLEL_COMMITS);
  return {
    db,
    dialect,
    committer,
    shared: true,
    rollups: inProcessRollups(db, dialect),
    async close() {
      await committer.close();
      await db.destroy();
    },
  };
}
