import { join, resolve } from 'node:path';
import type { LogLevel } from './log.ts';

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  dbFile: string;
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
}

/** Flags win over environment variables, which win over defaults. Every setting is listed in the README. */
export function resolveConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const portText = flags.port ?? env.PORT ?? '8787';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port "${portText}" is not a TCP port number`);
  const dataDir = resolve(flags.data ?? env.ASHIATO_DATA ?? './data');
  const level = (env.LOG_LEVEL ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new Error(`LOG_LEVEL "${level}" must be debug, info, warn or error`);
  return {
    port,
    host: flags.host ?? env.HOST ?? '127.0.0.1',
    dataDir,
    dbFile: join(dataDir, 'ashiato.sqlite'),
    policyPath: flags.policy ?? env.ASHIATO_POLICY ?? undefined,
    geoPath: env.ASHIATO_GEO_DB || undefined,
    trustedProxies: (env.ASHIATO_TRUSTED_PROXIES ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    logLevel: level,
    serveDemo: flags.demo ?? env.ASHIATO_DEMO === '1',
    secureCookies: env.ASHIATO_SECURE_COOKIES === '1',
  };
}
