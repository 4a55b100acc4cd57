import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../server/auth/index.ts';
import type { Runtime } from '../../server/runtime.ts';
import { upsertSite } from '../../server/store/sites.ts';
import { createTestApp, fakeClock, pageview, sendEvent } from '../helpers/app.ts';

/** Per-site access: a user or token granted one site reads nothing of another, on any route. */
const ORIGIN = 'http://localhost';
const password = 'correct horse battery staple';
let rt: Runtime & { clock: ReturnType<typeof fakeClock> };
type Caller = (path: string, init?: { method?: string; body?: unknown }) => Response | Promise<Response>;
const callers: Record<string, Caller> = {};

async function login(email: string): Promise<Caller> {
  const res = await rt.app.request(`${ORIGIN}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify({ email, password }) });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return (path, init = {}) =>
    rt.app.request(`${ORIGIN}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { cookie, origin: ORIGIN, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
}

beforeAll(async () => {
  rt = await createTestApp({ clock: fakeClock(Date.now()) });
  await upsertSite(rt.store.db, { id: 'group-b.example', hosts: ['group-b.example'] }, rt.clock());
  await sendEvent(rt.app, pageview());
  await addUser(rt.store.db, { email: 'admin@example.com', role: 'admin', password }, rt.clock());
  await addUser(rt.store.db, { email: 'b-marketer@example.com', role: 'marketer', password, sites: ['group-b.example'] }, rt.clock());
  await addUser(rt.store.db, { email: 'b-privacy@example.com', role: 'privacy', password, sites: ['group-b.example'] }, rt.clock());
  callers.admin = await login('admin@example.com');
  callers.marketer = await login('b-marketer@example.com');
  callers.privacy = await login('b-privacy@example.com');
});
afterAll(() => rt.close());

describe('per-site access', () => {
  it('lists only the granted sites and opens their statistics', async () => {
    const sites = (await (await callers.marketer!('/api/sites')).json()) as { sites: { id: string }[] };
    expect(sites.sites.map((s) => s.id)).toEqual(['group-b.example']);
    expect((await callers.marketer!('/api/stats/group-b.example/summary')).status).toBe(200);
    const all = (await (await callers.admin!('/api/sites')).json()) as { sites: { id: string }[] };
    expect(all.sites.map((s) => s.id).sort()).toEqual(['example.com', 'group-b.example']);
  });

  it('every route that names another site answers like an unknown site; the privacy office needs all sites', async () => {
    const routes = rt.app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/'));
    const checked: string[] = [];
    for (const route of routes) {
      const named = route.path.includes(':site');
      const office = route.path.startsWith('/api/privacy/') || route.path.startsWith('/api/consent/');
      if (!named && !office) continue;
      const path = route.path.replace(':site', 'example.com').replace(/:[a-z]+(\{[^}]*\})?/g, '1').replace('*', 'x');
      for (const who of ['marketer', 'privacy'] as const) {
        const res = await callers[who]!(path, { method: route.method, body: route.method === 'GET' ? undefined : {} });
        expect([403, 404], `${who} ${route.method} ${path}`).toContain(res.status);
        checked.push(`${route.method} ${route.path}`);
      }
    }
    expect(checked.length).toBeGreaterThan(40);
  });

  it('a token is limited to its owner’s sites, and may be limited further', async () => {
    const minted = await callers.admin!('/api/tokens', { body: { name: 'B only', scopes: ['stats:read'], sites: ['group-b.example'] } });
    expect(minted.status).toBe(201);
    const { token } = (await minted.json()) as { token: string };
    const bearer = (path: string) => rt.app.request(`${ORIGIN}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await bearer('/api/stats/group-b.example/summary')).status).toBe(200);
    expect((await bearer('/api/stats/example.com/summary')).status).toBe(404);
    const sites = (await (await bearer('/api/sites')).json()) as { sites: { id: string }[] };
    expect(sites.sites.map((s) => s.id)).toEqual(['group-b.example']);
  });
});
