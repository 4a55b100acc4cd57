import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Context } from 'hono';
import { loadPolicy, type LoadedPolicy } from '../policy/load.ts';
import { createApp } from './app.ts';
import { openGeo, type Geo } from './ingest/geo.ts';
import { createSaltStore } from './ingest/salts.ts';
import { openSessionLookup } from './ingest/session-lookup.ts';
import { createSessionTracker, SESSION_IDLE_MS } from './ingest/sessions.ts';
import { createSiteDirectory } from './ingest/sites.ts';
import { createWriter, type WriterOptions } from './ingest/writer.ts';
import { startJobs } from './jobs/tasks.ts';
import { silentLogger, type Logger } from './log.ts';
import { auditPolicyRevision, loadSuppressions } from './privacy/index.ts';
import { createDb, type DbConfig, type Store } from './store/db.ts';
import { eventBatchStatements } from './store/event-batch.ts';
import { openEventStore, startShipping, type EventEngine } from './stats/open-event-store.ts';

export interface RuntimeOptions {
  db: DbConfig;
  policy?: LoadedPolicy;
  policyPath?: string;
  geo?: Geo;
  geoPath?: string;
  trustedProxies?: readonly string[];
  clock?: () => number;
  log?: Logger;
  writer?: WriterOptions;
  peerAddress?: (c: Context) => string | undefined;
  /** background jobs (salt rotation, pruning); tests that drive time themselves turn them off */
  jobs?: boolean;
  serveDemo?: boolean;
  secureCookies?: boolean;
  /** where reports read events: DuckDB (default for an SQLite ledger) or the ledger's own row tables */
  eventEngine?: EventEngine;
}

export interface Runtime {
  app: ReturnType<typeof createApp>;
  store: Store;
  deps: Parameters<typeof createApp>[0];
  /** commits what is queued, stops the jobs and closes the database */
  close(): Promise<void>;
}

/** Wires the real parts together: used by the CLI, the benchmarks and the tests alike. */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const clock = options.clock ?? Date.now;
  const log = options.log ?? silentLogger;
  const policy = options.policy ?? loadPolicy(options.policyPath);
  const store = await createDb(options.db);
  const salts = createSaltStore(store.db, policy.policy.retention.salts_hours);
  await salts.load(clock());
  // on a database other processes share, a visit begun on one of them continues here
  const sessions = createSessionTracker({ lookup: store.shared ? openSessionLookup(store.db, SESSION_IDLE_MS) : undefined });
  const suppressions = await loadSuppressions(store.db);
  await auditPolicyRevision(store.db, policy, clock());
  const batchStatements = eventBatchStatements(store.db, store.dialect);
  // Visits still open when the process stopped continue after a restart instead of counting twice.
  const siteIds = (await store.db.selectFrom('sites').select('id').execute()).map((s) => s.id);
  for (const siteId of siteIds) {
    const open = await store.db
      .selectFrom('sessions')
      .select(['id', 'site_id', 'visitor_id', 'last_seen_at'])
      .where('site_id', '=', siteId)
      .where('started_at', '>', clock() - 24 * 60 * 60 * 1000)
      .where('last_seen_at', '>', clock() - SESSION_IDLE_MS)
      .execute();
    sessions.warm(open);
  }

  const events = await openEventStore(options.db, store, options.eventEngine);
  const deps = {
    store,
    events,
    policy,
    geo: options.geo ?? openGeo(options.geoPath),
    writer: createWriter((rows) => store.committer.commit(batchStatements(rows)), { concurrency: store.committer.parallel, ...options.writer }),
    salts,
    sessions,
    suppressions,
    sites: createSiteDirectory(store.db),
    clock,
    log,
    trustedProxies: options.trustedProxies ?? [],
    peerAddress: options.peerAddress,
    serveDemo: options.serveDemo,
    secureCookies: options.secureCookies,
  };
  const app = createApp(deps);
  const holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const jobs = { now: clock, db: store.db, dialect: store.dialect, policy, salts, sessions, suppressions, sites: deps.sites, log, holder, rollups: store.rollups, events };
  const stopJobs = options.jobs === false ? () => {} : startJobs(jobs);
  const stopShipping = options.jobs === false ? () => {} : startShipping(events, 2_000, (err) => log('error', 'shipping events to the event store failed', { error: String(err) }));

  return {
    app,
    store,
    deps,
    async close() {
      stopJobs();
      stopShipping();
      await deps.writer.drain();
      await events.close();
      await store.close();
    },
  };
}
