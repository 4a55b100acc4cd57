import { serve } from '@hono/node-server';
import { ensureAdmin } from './auth/index.ts';
import type { ServerConfig } from './config.ts';
import { createLogger } from './log.ts';
import { createRuntime, type Runtime } from './runtime.ts';
import type { DbConfig } from './store/db.ts';
import { redactUrl } from './store/postgres.ts';

/**
 * Serves ashiato until SIGTERM/SIGINT, then drains: stop accepting connections, commit every queued event
 * (their requests still get their 202), close the database, exit.
 */
export async function startServer(config: ServerConfig, onReady?: (rt: Runtime, url: string) => void): Promise<void> {
  const log = createLogger(config.logLevel);
  const runtime = await createRuntime({
    db: config.db,
    policyPath: config.policyPath,
    geoPath: config.geoPath,
    trustedProxies: config.trustedProxies,
    serveDemo: config.serveDemo,
    secureCookies: config.secureCookies,
    log,
  });
  // an installation that had events before DuckDB (or was stopped with some unshipped) moves them in first
  const shipStart = Date.now();
  await runtime.deps.events.sync();
  if (Date.now() - shipStart > 1_000) log('info', 'events shipped into the event store', { ms: Date.now() - shipStart });
  const server = serve({ fetch: runtime.app.fetch, hostname: config.host, port: config.port }, (info) => {
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${info.port}`;
    log('info', 'ashiato listening', { url, database: describeDb(config.db, config.dataDir), policy: runtime.deps.policy.revision });
    // a fresh data directory gets one admin, its one-time password printed to the console once
    ensureAdmin(runtime.store.db, log, { loginUrl: `${url}/` }).catch((err: unknown) => log('error', 'could not create the first admin', { error: (err as Error).message }));
    onReady?.(runtime, url);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('info', 'shutting down', { signal, pending: runtime.deps.writer.pending });
    server.close();
    await runtime.close();
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    log('info', 'stopped', {});
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** Where the data is, for the start-up log: never the database password. */
function describeDb(db: DbConfig, dataDir: string): string {
  if (db.kind === 'sqlite') return dataDir;
  return 'url' in db ? redactUrl(db.url) : 'postgres';
}
