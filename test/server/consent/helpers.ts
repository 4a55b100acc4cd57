import { createHash } from 'node:crypto';
import { Hono, type MiddlewareHandler } from 'hono';
import { loadPolicy, type LoadedPolicy } from '../../../policy/load.ts';
import { consentRoutes } from '../../../server/consent/routes.ts';
import { consentStaffRoutes } from '../../../server/consent/staff-routes.ts';
import type { ConsentPayload } from '../../../server/consent/wire.ts';
import type { AppEnv } from '../../../server/env.ts';
import { createClientIpResolver } from '../../../server/http/client-ip.ts';
import { fixedGeo, type Geo } from '../../../server/http/geo.ts';
import { createUaSummarizer } from '../../../server/http/ua.ts';
import { createLogger } from '../../../server/log.ts';
import { createDb, type Store } from '../../../server/store/db.ts';
import { testDbConfig } from '../../helpers/test-db.ts';
import { createSiteDirectory, upsertSite } from '../../../server/store/sites.ts';
import { desktopChromeUa, fakeClock, testCountries } from '../../helpers/app.ts';

export const JP = '203.0.113.77';
export const DE = '198.51.100.23';
export const US = '192.0.2.44';
export const JP6 = '2001:db8:abcd:12:3456:789a:bcde:f012';
/** an address the test geo table does not know */
export const NOWHERE = '100.64.1.2';

export const bannerText = '当サイトではアクセス解析のためにCookieを使用します。 / We use cookies for site analytics.';
export const bannerHash = createHash('sha256').update(bannerText).digest('hex');

export interface ConsentTestApp {
  app: Hono<AppEnv>;
  store: Store;
  policy: LoadedPolicy;
  clock: ReturnType<typeof fakeClock>;
  logs: string[];
  close(): Promise<void>;
}

/** Stands in for the auth engineer's requireRole: privacy staff say so with a header. */
export const testGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.header('x-test-role') !== 'privacy') return c.json({ error: 'forbidden', message: 'privacy staff only' }, 403);
  await next();
};

/** The consent routes on a private in-memory database (createDb runs every migration, the consent one too). */
export async function createConsentApp(opts: { policy?: LoadedPolicy; geo?: Geo } = {}): Promise<ConsentTestApp> {
  const store = await createDb(testDbConfig());
  const clock = fakeClock();
  await upsertSite(store.db, { id: 'example.com', hosts: ['example.com'] }, clock());
  const policy = opts.policy ?? loadPolicy();
  const logs: string[] = [];
  const log = createLogger('debug', (l) => logs.push(l));
  const app = new Hono<AppEnv>()
    .route(
      '/',
      consentRoutes({
        db: store.db,
        policy,
        geo: opts.geo ?? fixedGeo(testCountries),
        clientIp: createClientIpResolver([]),
        summarizeUa: createUaSummarizer(),
        sites: createSiteDirectory(store.db),
        clock,
        log,
        peerAddress: (c) => c.req.header('x-test-peer'),
      }),
    )
    .route('/', consentStaffRoutes({ db: store.db, log, guard: testGuard }));
  app.onError((err, c) => c.json({ error: 'internal', message: err.message }, 500));
  return { app, store, policy, clock, logs, close: () => store.close() };
}

export function choice(t: { policy: LoadedPolicy }, extra: Partial<Record<keyof ConsentPayload, unknown>> = {}) {
  return {
    s: 'example.com',
    a: 'custom',
    acc: ['analytics'],
    rej: ['external_analytics'],
    rev: t.policy.revision,
    th: bannerHash,
    l: 'ja',
    u: 'https://example.com/products/list?email=taro@example.jp&page=2#top',
    ...extra,
  };
}

export interface PostOptions {
  peer?: string | null;
  ua?: string;
  origin?: string | null;
  headers?: Record<string, string>;
}

/** POSTs a choice the way the banner does (text/plain JSON). */
export function postConsent(app: Hono<AppEnv>, body: unknown, opts: PostOptions = {}) {
  const headers: Record<string, string> = {
    'content-type': 'text/plain;charset=UTF-8',
    'user-agent': opts.ua ?? desktopChromeUa,
    ...opts.headers,
  };
  if (opts.peer !== null) headers['x-test-peer'] = opts.peer ?? JP;
  if (opts.origin !== null) headers.origin = opts.origin ?? 'https://example.com';
  return app.request('/api/consent', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

export const receipts = (t: { store: Store }) => t.store.db.selectFrom('consent_receipts').selectAll().orderBy('seq').execute();

export async function receiptCount(t: { store: Store }): Promise<number> {
  const row = await t.store.db.selectFrom('consent_receipts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Appends n receipts through the API, one after another, advancing the clock a minute each time. */
export async function appendMany(t: ConsentTestApp, n: number, extra: Partial<Record<keyof ConsentPayload, unknown>> = {}) {
  for (let i = 0; i < n; i++) {
    const res = await postConsent(t.app, choice(t, extra));
    if (res.status !== 201) throw new Error(`append ${i}: ${res.status} ${await res.text()}`);
    t.clock.advance(60_000);
  }
}
