import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { LoadedPolicy } from '../policy/load.ts';
import { anonymizeRoutes, publishedDatasets } from './anonymize/index.ts';
import { authenticate, authRoutes, requireScope, type AuthDeps } from './auth/index.ts';
import { consentRoutes } from './consent/routes.ts';
import { dashboardRoutes } from './dashboard/routes.ts';
import { sitesRoutes } from './dashboard/sites-routes.ts';
import { consentStaffRoutes } from './consent/staff-routes.ts';
import type { AppEnv } from './env.ts';
import { statsRoutes } from './stats/routes.ts';
import { sharedStatsRoutes } from './stats/shared-routes.ts';
import { noticeRoutes } from './notice/routes.ts';
import { createClientIpResolver } from './ingest/client-ip.ts';
import type { Geo } from './ingest/geo.ts';
import { createPipeline } from './ingest/pipeline.ts';
import { ingestRoutes } from './ingest/routes.ts';
import type { SaltStore } from './ingest/salts.ts';
import type { SessionTracker } from './ingest/sessions.ts';
import type { SiteDirectory } from './ingest/sites.ts';
import { createUaSummarizer } from './ingest/ua.ts';
import type { Writer } from './ingest/writer.ts';
import type { Logger } from './log.ts';
import { audit, privacyRoutes, type SuppressionList } from './privacy/index.ts';
import type { Store } from './store/db.ts';
import type { EventStore } from './store/events/event-store.ts';
import { trackerRoutes } from './tracker/routes.ts';

/** Everything the app needs, passed in: no module-level databases, readers or clocks. */
export interface AppDeps {
  store: Store;
  /** events and visits for the reports (DuckDB by default, the row store on PostgreSQL) */
  events: EventStore;
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
    audit: (actor, action, details) => audit(deps.store.db, actor, action, details, { now: deps.clock() }),
  };
  const staff = authenticate(auth);

  const pageHeaders = secureHeaders({ crossOriginResourcePolicy: 'cross-origin', referrerPolicy: 'strict-origin-when-cross-origin' });
  const app = new Hono<AppEnv>()
    // The event endpoint answers scripts, never renders: it sets its own nosniff and skips the rest, a
    // dozen headers on every one of millions of responses.
    .use((c, next) => (c.req.path === '/api/event' ? next() : pageHeaders(c, next)))
    // c.var.user for staff APIs; the guards on each resource check role or scope, and CSRF
    .use('/api/*', (c, next) => (isVisitorApi(c.req.path) ? next() : staff(c, next)))
    .get('/healthz', (c) => c.json({ ok: true, pending: deps.writer.pending }))
    .route('/', trackerRoutes({ demo: deps.serveDemo ?? false }))
    .route('/', noticeRoutes({ policy: deps.policy, publishedDatasets: () => publishedDatasets(deps.store.db) }))
    .route(
      '/',
      ingestRoutes({
        pipeline,
        writer: deps.writer,
        clock: deps.clock,
        log: deps.log,
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
        events: deps.events,
        geo: deps.geo,
        clientIp: auth.clientIp!,
        summarizeUa,
        secureCookies: deps.secureCookies,
      }),
    )
    .route('/', anonymizeRoutes({ db: deps.store.db, policy: deps.policy, clock: deps.clock }))
    .use('/api/stats/*', requireScope('stats:read'))
    .route('/api/stats', statsRoutes({ events: deps.events, sites: deps.sites, clock: deps.clock }))
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
    deps.log('error', 'unhandled error', { route: c.req.routePath, error: err.message }); // the pattern, not the path: paths can carry shared-link tokens
    return c.json({ error: 'internal', message: 'something went wrong on our side' }, 500);
  });
  return app;
}

export type AppType = ReturnType<typeof createApp>;
