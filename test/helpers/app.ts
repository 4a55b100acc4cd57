import { fixedGeo } from '../../server/http/geo.ts';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../server/runtime.ts';
import { upsertSite } from '../../server/store/sites.ts';
import { policyWith } from './policy.ts';
import { testDbConfig } from './test-db.ts';

export { policyWith };

/** A controllable clock for tests of time-based behaviour (salts, sessions, retention). */
export function fakeClock(start = Date.UTC(2026, 10, 22, 3, 0, 0)) {
  let t = start;
  const now = () => t;
  return Object.assign(now, {
    advance(ms: number) {
      t += ms;
    },
    set(ms: number) {
      t = ms;
    },
  });
}

export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;

/** Peer addresses tests can use, and the countries the test geo table gives them. */
export const testCountries: Record<string, string> = {
  '203.0.113.77': 'JP',
  '198.51.100.23': 'DE',
  '192.0.2.44': 'US',
  '2001:db8:abcd:12:3456:789a:bcde:f012': 'JP',
};

export const desktopChromeUa =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export interface TestAppOptions extends Partial<RuntimeOptions> {
  sites?: { id: string; hosts: string[] }[];
}

/**
 * The whole app on a private empty database (in-memory SQLite, or a PostgreSQL schema of its own in the
 * Postgres leg: see test-db.ts). Tests say who is calling with an `x-test-peer` header
 * (app.request() has no socket); nothing else in the app reads that header.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<Runtime & { clock: ReturnType<typeof fakeClock> }> {
  const clock = (options.clock as ReturnType<typeof fakeClock> | undefined) ?? fakeClock();
  const runtime = await createRuntime({
    geo: fixedGeo(testCountries),
    peerAddress: (c) => c.req.header('x-test-peer'),
    jobs: false,
    policy: policyWith(() => {}),
    ...options,
    clock,
    db: options.db ?? testDbConfig(),
  });
  for (const site of options.sites ?? [{ id: 'example.com', hosts: ['example.com', 'www.example.com'] }]) {
    await upsertSite(runtime.store.db, site, clock());
  }
  return { ...runtime, clock };
}

export interface SendOptions {
  peer?: string;
  ua?: string;
  origin?: string | null;
  headers?: Record<string, string>;
}

/** POSTs an event the way the tracker does (text/plain JSON). */
export function sendEvent(app: Runtime['app'], payload: unknown, opts: SendOptions = {}) {
  const headers: Record<string, string> = {
    'content-type': 'text/plain;charset=UTF-8',
    'user-agent': opts.ua ?? desktopChromeUa,
    'x-test-peer': opts.peer ?? '203.0.113.77',
    ...opts.headers,
  };
  if (opts.origin !== null) headers.origin = opts.origin ?? 'https://example.com';
  return app.request('/api/event', {
    method: 'POST',
    headers,
    body: payload instanceof Uint8Array ? new Uint8Array(payload) : typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

export const pageview = (extra: Record<string, unknown> = {}) => ({
  s: 'example.com',
  u: 'https://example.com/products?utm_source=newsletter&email=taro@example.jp&page=2',
  r: 'https://www.google.com/search?q=secret',
  w: 1440,
  l: 'ja-JP',
  ...extra,
});
