import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createSharedLink } from '../../../server/auth/index.ts';
import type { Runtime } from '../../../server/runtime.ts';
import { createTestApp, fakeClock, pageview, sendEvent } from '../../helpers/app.ts';

/**
 * Every route of the app, with names, parameters and bodies drawn by fast-check — the members every object
 * inherits (`constructor`, `__proto__`, …) among them — as every kind of caller: never a 5xx.
 */
const ORIGIN = 'http://localhost';
const password = 'correct horse battery staple';
// the routes that would end the callers' own sessions or lock them out, or only serve files
const skipped = new Set(['POST /api/auth/login', 'POST /api/auth/logout', 'POST /api/auth/password']);
const inherited = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'prototype', '__defineGetter__'];

let rt: Runtime & { clock: ReturnType<typeof fakeClock> };
type Caller = (path: string, init?: RequestInit) => Response | Promise<Response>;
const callers: Caller[] = [];
let routes: { method: string; path: string }[] = [];
/** parameters that must name something real most of the time, so that a request gets past the lookup */
const known: Record<string, string> = { site: 'example.com', token: '' };

async function login(email: string): Promise<Caller> {
  const res = await rt.app.request(`${ORIGIN}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify({ email, password }) });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return (path, init = {}) => rt.app.request(`${ORIGIN}${path}`, { ...init, headers: { cookie, origin: ORIGIN, 'x-csrf-token': csrfToken, ...(init.headers ?? {}) } });
}

beforeAll(async () => {
  rt = await createTestApp({ clock: fakeClock(Date.now()) });
  for (let i = 0; i < 5; i++) await sendEvent(rt.app, pageview({ u: `https://example.com/p${i}`, p: { plan: 'pro' } }), { peer: `198.51.100.${i + 1}` });
  for (const role of ['admin', 'marketer', 'privacy'] as const) await addUser(rt.store.db, { email: `${role}@example.com`, role, password }, rt.clock());
  for (const role of ['admin', 'marketer', 'privacy'] as const) callers.push(await login(`${role}@example.com`));
  callers.push((path, init = {}) => rt.app.request(`${ORIGIN}${path}`, { ...init, headers: { origin: ORIGIN, ...(init.headers ?? {}) } }));
  const { user } = await addUser(rt.store.db, { email: 'owner@example.com', role: 'marketer', password }, rt.clock());
  const link = await createSharedLink(rt.store.db, { siteId: 'example.com', createdBy: user.id }, rt.clock());
  known.token = link.token;
  const seen = new Set<string>();
  routes = rt.app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/') && !skipped.has(`${r.method} ${r.path}`) && !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
});
afterAll(() => rt.close());

const name = fc.oneof(
  { arbitrary: fc.constantFrom(...inherited), weight: 3 },
  { arbitrary: fc.constantFrom('example.com', 'page', 'country', 'timeseries', 'prop:plan', 'prop:constructor', '1', '0', '-1', '1e309', 'NaN', '..', '%', ''), weight: 2 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
);
const queryKeys = ['period', 'date', 'from', 'to', 'interval', 'limit', 'report', 'site', 'status', 'type', 'cursor', 'page', 'q'];
const query = fc.dictionary(
  fc.oneof(fc.constantFrom(...queryKeys), name.map((n) => `f.${n}`), name.map((n) => `fn.${n}`), name),
  name,
  { maxKeys: 4 },
);
const jsonBody = fc.oneof(
  fc.dictionary(fc.oneof(fc.constantFrom(...inherited), fc.string({ maxLength: 12 })), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }),
  fc.jsonValue({ maxDepth: 3 }),
);

describe('no request makes the server fail', () => {
  it('every route, any name, query and body, any caller: never a 5xx', { timeout: 240_000 }, async () => {
    expect(routes.length).toBeGreaterThan(50);
    for (const route of routes) await fuzz(route);
  });

  async function fuzz(route: { method: string; path: string }) {
    await fc.assert(
      fc.asyncProperty(fc.nat(callers.length - 1), fc.array(name, { minLength: 3, maxLength: 3 }), query, fc.option(jsonBody), fc.boolean(), async (who, names, q, body, plain) => {
        let i = 0;
        const path = route.path.replace(/:([a-z]+)(\{[^}]*\})?|\*/g, (_, param?: string) => {
          const drawn = names[i++ % names.length]!;
          return encodeURIComponent(param && Object.hasOwn(known, param) && drawn.length % 4 !== 0 ? known[param]! : drawn);
        });
        const search = new URLSearchParams(q).toString();
        const init: RequestInit = { method: route.method };
        if (route.method !== 'GET' && body !== null) {
          init.body = JSON.stringify(body);
          init.headers = { 'content-type': plain ? 'text/plain' : 'application/json' };
        }
        const res = await callers[who]!(`${path}${search ? `?${search}` : ''}`, init);
        const text = await res.text();
        expect(res.status, `${route.method} ${path}?${search} ${init.body ?? ''} → ${text.slice(0, 300)}`).toBeLessThan(500);
      }),
      { numRuns: 16, seed: Number(process.env.FUZZ_SEED ?? 20261204) },
    );
  }

  it('names that every object inherits, on the stats and shared-statistics APIs: a 4xx, never a 5xx', async () => {
    const marketer = callers[1]!;
    const token = known.token!;
    for (const n of inherited) {
      for (const path of [`/api/stats/example.com/breakdown/${n}`, `/api/stats/example.com/summary?f.${n}=x`, `/api/stats/example.com/export.csv?report=${n}`, `/api/stats/example.com/timeseries?interval=${n}`, `/api/shared/${token}/breakdown/${n}`, `/api/shared/${token}/export.csv?report=${n}`]) {
        const res = await marketer(path);
        expect(res.status, path).toBeGreaterThanOrEqual(400);
        expect(res.status, path).toBeLessThan(500);
      }
    }
  });
});
