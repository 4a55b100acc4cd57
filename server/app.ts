import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { LoadedPolicy } from '../policy/load.ts';
import { anonymizeRoutes, publishedDatasets } from './anonymize/index.ts';
import { authenticate, authRoutes, requireScope, requireSiteAccess, type AuthDeps } from './auth/index.ts';
import { consentRoutes } from './consent/routes.ts';
import { dashboardRoutes } from './dashboard/routes.ts';
import { sitesRoutes } from './dashboard/sites-routes.ts';
import { consentStaffRoutes } from './consent/staff-routes.ts';
import type { AppEnv } from './env.ts';
import { statsRoutes } from './stats/routes.ts';
import { sharedStatsRoutes } from './stats/shared-routes.ts';
import { noticeRoutes } from './notice/routes.ts';
import { createClientIpResolver } from './http/client-ip.ts';
import type { Geo } from './http/geo.ts';
import { createPipeline } from './ingest/pipeline.ts';
import { ingestRoutes } from './ingest/routes.ts';
import type { SaltStore } from './ingest/salts.ts';
import type { SessionTracker } from './ingest/sessions.ts';
import type { SiteDirectory } from './store/sites.ts';
import { createUaSummarizer } from './http/ua.ts';
import type { Writer } from './ingest/writer.ts';
import { rateLimitedLogger, type Logger } from './log.ts';
import { audit, privacyRoutes, type SuppressionList } from './privacy/index.ts';
import type { Store } from './store/db.ts';
import { storageProbe } from './store/probe.ts';
import { relinkVisit } from './store/relink-visit.ts';
import { createReadiness } from './http/readiness.ts';
import { defaultSecureHeaders } from './http/page-headers.ts';
import { createInFlight, type InFlight } from './http/in-flight.ts';
import { isStorageError, logStorageError, storageUnavailable } from './http/storage-errors.ts';
import { trackerRoutes } from './tracker/routes.ts';

/** Everything the app needs, passed in: no module-level databases, readers or clocks. */
export interface AppDeps {
  store: Store;
  policy: LoadedPolicy;
  geo: Geo;
  writer: Writer;
  salts: SaltStore;
  sessions: SessionTracker;
  /** cookie ids whose use was stopped: ingest drops their events (server/privacy/suppressions.ts) */
  suppressions: SuppressionList;
  sites: SiteDirectory;
  clock: () => number;
  log: Logger;
  trustedProxies: readonly string[];
  /** defaults to the socket's remote address */
  peerAddress?: (c: Context) => string | undefined;
  /** serve the sample corporate site under /demo/ */
  serveDemo?: boolean;
  /** the public URL is https though this process sees http (TLS ends at a proxy): Secure cookies, https origin */
  secureCookies?: boolean;
  /** throws when storage cannot take a write (for /readyz); defaults to a query to the database */
  storageProbe?: () => Promise<void>;
  /** counts requests being handled, for a shutdown that answers them all (server/main.ts) */
  inFlight?: InFlight;
}

/** Visitor endpoints: no staff session is looked up for them. */
const visitorApi = new Set(['/api/event', '/api/consent', '/api/config']);
const isVisitorApi = (path: string) => visitorApi.has(path) || path === '/api/my-data' || path.startsWith('/api/my-data/');

function socketPeer(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

export function createApp(deps: AppDeps) {
  // one client-address resolver and one user-agent cache, shared by everything that reads requests
  const clientIp = createClientIpResolver(deps.trustedProxies);
  const summarizeUa = createUaSummarizer();
  const peerAddress = deps.peerAddress ?? socketPeer;
  const pipeline = createPipeline({
    policy: deps.policy,
    sites: deps.sites,
    geo: deps.geo,
    clientIp,
    summarizeUa,
    salts: deps.salts,
    sessions: deps.sessions,
    isSuppressed: deps.suppressions.has,
  });

  const auth: AuthDeps = {
    db: deps.store.db,
    clock: deps.clock,
    log: deps.log,
    secureCookies: deps.secureCookies,
    clientIp: (c) => clientIp(peerAddress(c), c.req.header('x-forwarded-for')),
    secondFactorRoles: deps.policy.policy.staff.secondFactorRoles,
    audit: (actor, action, details) => audit(deps.store.db, actor, action, details, { now: deps.clock() }),
  };
  const staff = authenticate(auth);
  // errors that repeat with every request during an outage are logged once per few seconds, with a count
  const errorLog = rateLimitedLogger(deps.log);
  const ready = createReadiness({ writer: deps.writer, probe: deps.storageProbe ?? storageProbe(deps.store.db) });

  const pageHeaders = defaultSecureHeaders({ crossOriginResourcePolicy: 'cross-origin', referrerPolicy: 'strict-origin-when-cross-origin' });
  const inFlight = deps.inFlight ?? createInFlight();
  const app = new Hono<AppEnv>()
    .use(inFlight.middleware)
    // The event endpoint answers scripts, never renders: it sets its own nosniff and skips the rest, a
    // dozen headers on every one of millions of responses.
    .use((c, next) => (c.req.path === '/api/event' ? next() : pageHeaders(c, next)))
    // c.var.user for staff APIs; the guards on each resource check role or scope, and CSRF
    .use('/api/*', (c, next) => (isVisitorApi(c.req.path) ? next() : staff(c, next)))
    // alive: the process answers. Ready: it can store what it is sent (a load balancer's check).
    .get('/healthz', (c) => c.json({ ok: true, pending: deps.writer.pending, inFlight: inFlight.count }))
    .get('/readyz', async (c) => {
      const state = await ready();
      return state.ready ? c.json({ ready: true as const, pending: deps.writer.pending }, 200) : c.json({ ...state, pending: deps.writer.pending }, 503);
    })
    .route('/', trackerRoutes({ demo: deps.serveDemo ?? false }))
    .route('/', noticeRoutes({ policy: deps.policy, publishedDatasets: () => publishedDatasets(deps.store.db) }))
    .route(
      '/',
      ingestRoutes({
        pipeline,
        writer: deps.writer,
        relinkVisit: (visit) => relinkVisit(deps.store.db, visit),
        clock: deps.clock,
        log: errorLog,
        cookieLifetimeDays: deps.policy.policy.cookie.lifetimeDays,
        peerAddress,
      }),
    )
    .route(
      '/',
      consentRoutes({ db: deps.store.db, policy: deps.policy, geo: deps.geo, clientIp, summarizeUa, sites: deps.sites, clock: deps.clock, log: deps.log, peerAddress }),
    )
    .route('/', consentStaffRoutes({ db: deps.store.db, log: deps.log, guard: requireScope('privacy:read') }))
    .route(
      '/',
      privacyRoutes({
        db: deps.store.db,
        policy: deps.policy,
        clock: deps.clock,
        log: deps.log,
        suppressions: deps.suppressions,
        sessions: deps.sessions,
        geo: deps.geo,
        clientIp: auth.clientIp!,
        summarizeUa,
        secureCookies: deps.secureCookies,
      }),
    )
    .route('/', anonymizeRoutes({ db: deps.store.db, policy: deps.policy, clock: deps.clock }))
    .use('/api/stats/*', requireScope('stats:read'))
    .use('/api/stats/:site/*', requireSiteAccess())
    .route('/api/stats', statsRoutes({ db: deps.store.db, dialect: deps.store.dialect, sites: deps.sites, clock: deps.clock }))
    .route(
      '/',
      sharedStatsRoutes({
        db: deps.store.db,
        dialect: deps.store.dialect,
        sites: deps.sites,
        clock: deps.clock,
        statistics: deps.policy.policy.statistics,
        clientAddress: (c) => clientIp(peerAddress(c), c.req.header('x-forwarded-for')),
      }),
    )
    .route('/', authRoutes(auth))
    .route('/', sitesRoutes({ db: deps.store.db, clock: deps.clock, secureCookies: deps.secureCookies }))
    .route('/', dashboardRoutes());

  app.notFound((c) => c.json({ error: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => {
    // a body that is not JSON at all (hono's validator throws 400 before any schema runs): the caller's fault
    if (err instanceof HTTPException && err.status < 500) return c.json({ error: 'invalid_json', message: err.message }, err.status);
    if (isStorageError(err)) {
      logStorageError(errorLog, c, err);
      return storageUnavailable(c);
    }
    errorLog('error', 'unhandled error', { route: c.req.routePath, error: err.message }); // the pattern, not the path: paths can carry shared-link tokens
    return c.json({ error: 'internal', message: 'something went wrong on our side' }, 500);
  });
  return app;
}

export type AppType = ReturnType<typeof createApp>;
