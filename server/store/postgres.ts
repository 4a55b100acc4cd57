import pg from 'pg';
import type { PostgresPool } from 'kysely';

/** int8 (count(), bigint columns) and numeric (sum() of a bigint, avg()) arrive as strings from pg. */
export const PG_INT8 = 20;
export const PG_NUMERIC = 1700;

/**
 * Millisecond timestamps and counts fit a double exactly, so int8 and numeric become plain numbers: the
 * same values SQLite returns, and query code never has to convert. Scoped to our pools, not pg's globals.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === PG_INT8 || oid === PG_NUMERIC) return (text: string) => Number(text);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export interface PostgresOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** connections per process (default 10); N processes open up to N × this many */
  poolSize?: number;
  /** a schema to work in instead of public (tests give each database its own) */
  schema?: string;
}

export function createPostgresPool(options: PostgresOptions): PostgresPool & pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    types,
    // a schema name is an identifier: only plain ones are accepted (never text from a request)
    options: options.schema ? `-c search_path=${plainIdentifier(options.schema)}` : undefined,
  });
  // an idle client losing its server (restart, failover) must not crash the process; the next query reconnects
  pool.on('error', () => {});
  return pool;
}

export function plainIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`"${name}" is not a plain lower-case identifier`);
  return name;
}

/** A DATABASE_URL with the password replaced, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable url)';
  }
}
