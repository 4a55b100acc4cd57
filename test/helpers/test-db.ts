import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type PostgresPool } from 'kysely';
import { createDb, type DbConfig, type Store } from '../../server/store/db.ts';
import { createPostgresPool } from '../../server/store/postgres.ts';
import type { DialectName } from '../../server/store/sql.ts';
import { pglitePool } from './pglite-pool.ts';

/**
 * Which database this test run uses. vitest.config.ts runs the store, ingest and stats tests once per
 * dialect (ASHIATO_TEST_DIALECT=sqlite|postgres); the Postgres leg uses the server at ASHIATO_TEST_PG_URL
 * when set (CI), else PGlite in process.
 */
export const testDialect: DialectName = process.env.ASHIATO_TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';
export const testPgUrl = process.env.ASHIATO_TEST_PG_URL || undefined;

/** A fresh, empty database for one test: in-memory SQLite, or a PostgreSQL schema of its own. */
export function testDbConfig(): DbConfig {
  if (testDialect === 'sqlite') return { kind: 'sqlite', file: ':memory:' };
  return postgresConfig(newTestSchema());
}

/** PostgreSQL only: `n` connections to one fresh database, as `n` processes would open it. */
export function sharedTestDbConfigs(n: number): DbConfig[] {
  const schema = newTestSchema();
  return Array.from({ length: n }, () => postgresConfig(schema));
}

export const newTestSchema = () => `t_${randomBytes(6).toString('hex')}`;

function postgresConfig(schema: string): DbConfig {
  return { kind: 'postgres', pool: testPgUrl ? serverPool(testPgUrl, schema) : pglitePool(schema) };
}

export function createTestDb(): Promise<Store> {
  return createDb(testDbConfig());
}

/**
 * A pool confined to its own schema on the real server. Schemas are dropped by pg-global-setup.ts after the
 * run, not here: a DROP SCHEMA during another test's catalog introspection (Kysely's migrator) fails it.
 */
function serverPool(url: string, schema: string): PostgresPool {
  const pool = createPostgresPool({ url, schema, poolSize: 4 });
  let made: Promise<unknown> | undefined;
  return {
    async connect() {
      made ??= pool.query(`create schema if not exists ${schema}`);
      await made;
      return pool.connect();
    },
    end: () => pool.end(),
  };
}

/** The tables of this test's own database (on PostgreSQL, other tests' schemas hold the same tables). */
export async function tableNames(db: Kysely<any>): Promise<string[]> {
  return (await ownTables(db)).map((t) => t.name);
}

/** A table's column names in this test's own database. */
export async function columnNames(db: Kysely<any>, table: string): Promise<string[]> {
  return (await ownTables(db)).find((t) => t.name === table)?.columns.map((c) => c.name) ?? [];
}

async function ownTables(db: Kysely<any>) {
  const schema = testDialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s : undefined;
  return (await db.introspection.getTables()).filter((t) => t.schema === schema);
}
