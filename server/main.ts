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
  const server = serve({ fetch: runtime.app.fetch, hostname: config.host, port: config.port }, (info) => {
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${info.port}`;
    log('info', 'ashiato listening', { url, database: describeDb(config.db, config.dataDir), policy: runtime.deps.policy.revision });
    // a fresh data directory gets one admin, its one-time password printed to the console once
    ensureAdmin(runtime.store.db, log, { loginUrl: `${url}/` }).catch((err: unknown) => log('error', 'could not create the first admin', { error: (err as Error).message }));
    onReady?.(runtime, url);
  });

  server.on('error', (err: NodeJS.ErrnoException) => {
    // the usual start-up mistakes get one line that says what to do, not a stack trace
    console.error(`ashiato: ${listenProblem(err, config.host, config.port)}`);
    void runtime.close().finally(() => process.exit(1));
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('info', 'shutting down', { signal, pending: runtime.deps.writer.pending, inFlight: runtime.inFlight.count });
    // No new connections; idle keep-alive ones close now, busy ones once their answer is sent (it says
    // Connection: close). Every request already received is answered, and its event committed, before the
    // writer drains and the database closes.
    runtime.inFlight.drain();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const http = server as unknown as { closeIdleConnections(): void; closeAllConnections(): void };
    http.closeIdleConnections();
    const sweep = setInterval(() => http.closeIdleConnections(), 50);
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
    await Promise.race([Promise.all([runtime.inFlight.idle(), closed]), deadline]);
    clearInterval(sweep);
    http.closeAllConnections();
    await runtime.close();
    log('info', 'stopped', {});
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** How long a shutdown waits for requests in flight before it closes what is left. */
const SHUTDOWN_GRACE_MS = 10_000;

/** One line for a listen error: what happened and what to do. */
export function listenProblem(err: NodeJS.ErrnoException, host: string, port: number): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use by another program: stop it, or start ashiato with --port N (or PORT=N)`;
    case 'EADDRNOTAVAIL':
      return `address ${host} is not an address of this machine: use 127.0.0.1, 0.0.0.0 or one of its own (--host or HOST)`;
    case 'EACCES':
      return `port ${port} needs privileges this user does not have: use a port above 1023 behind a proxy`;
    default:
      return `cannot listen on ${host}:${port}: ${err.message}`;
  }
}

/** Where the data is, for the start-up log: never the database password. */
function describeDb(db: DbConfig, dataDir: string): string {
  if (db.kind === 'sqlite') return dataDir;
  return 'url' in db ? redactUrl(db.url) : 'postgres';
}
