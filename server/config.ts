import { join, resolve } from 'node:path';
import type { LogLevel } from './log.ts';
import type { DbConfig } from './store/db.ts';

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  dbFile: string;
  /** SQLite at dbFile, or PostgreSQL when DATABASE_URL is a postgres:// URL */
  db: DbConfig;
  /** `start --workers N`: N processes share the port (PostgreSQL only) */
  workers: number;
  policyPath: string | undefined;
  geoPath: string | undefined;
  trustedProxies: string[];
  logLevel: LogLevel;
  serveDemo: boolean;
  /** TLS ends at a proxy: staff cookies are Secure and the public origin is https */
  secureCookies: boolean;
}

export interface ConfigFlags {
  port?: string;
  host?: string;
  data?: string;
  policy?: string;
  demo?: boolean;
  workers?: string;
}

/** Flags win over environment variables, which win over defaults. Every setting is listed in the README. */
export function resolveConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const portText = flags.port ?? env.PORT ?? '8787';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port "${portText}" is not a TCP port number`);
  const dataDir = resolve(flags.data ?? env.ASHIATO_DATA ?? './data');
  const level = (env.LOG_LEVEL ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new Error(`LOG_LEVEL "${level}" must be debug, info, warn or error`);
  const dbFile = join(dataDir, 'ashiato.sqlite');
  const db = databaseConfig(dbFile, env);
  const workersText = flags.workers ?? env.ASHIATO_WORKERS ?? '1';
  const workers = Number(workersText);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new Error(`workers "${workersText}" must be a whole number from 1 to 64`);
  if (workers > 1 && db.kind === 'sqlite') throw new Error('several workers need a shared database: set DATABASE_URL=postgres://… (SQLite has one writer)');
  return {
    port,
    host: flags.host ?? env.HOST ?? '127.0.0.1',
    dataDir,
    dbFile,
    db,
    workers,
    policyPath: flags.policy ?? env.ASHIATO_POLICY ?? undefined,
    geoPath: env.ASHIATO_GEO_DB || undefined,
    trustedProxies: (env.ASHIATO_TRUSTED_PROXIES ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    logLevel: level,
    serveDemo: flags.demo ?? env.ASHIATO_DEMO === '1',
    secureCookies: env.ASHIATO_SECURE_COOKIES === '1',
  };
}

/** DATABASE_URL=postgres://user:password@host:port/db switches to PostgreSQL; unset means the SQLite file. */
function databaseConfig(dbFile: string, env: NodeJS.ProcessEnv): DbConfig {
  const url = env.DATABASE_URL?.trim();
  if (!url) return { kind: 'sqlite', file: dbFile };
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('DATABASE_URL must start with postgres:// or postgresql:// (leave it unset for SQLite)');
  const poolText = env.ASHIATO_PG_POOL ?? '10';
  const poolSize = Number(poolText);
  if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 1000) throw new Error(`ASHIATO_PG_POOL "${poolText}" must be a whole number from 1 to 1000`);
  return { kind: 'postgres', url, poolSize };
}
