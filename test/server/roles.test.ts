import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../server/auth/index.ts';
import type { Runtime } from '../../server/runtime.ts';
import { createTestApp, fakeClock } from '../helpers/app.ts';

/** Role boundaries across the whole app, through app.request(): who may reach which API. */
let rt: Runtime & { clock: ReturnType<typeof fakeClock> };
const ORIGIN = 'http://localhost';

async function login(email: string, password: string) {
  const res = await rt.app.request(`${ORIGIN}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return (path: string, init: RequestInit = {}) =>
    rt.app.request(`${ORIGIN}${path}`, { ...init, headers: { cookie, origin: ORIGIN, 'x-csrf-token': csrfToken, ...(init.headers ?? {}) } });
}

const password = 'correct horse battery staple';
let as: Record<'admin' | 'marketer' | 'privacy', Awaited<ReturnType<typeof login>>>;

beforeAll(async () => {
  rt = await createTestApp({ clock: fakeClock(Date.now()) });
  for (const role of ['admin', 'marketer', 'privacy'] as const) await addUser(rt.store.db, { email: `${role}@example.com`, role, password }, rt.clock());
  as = {
    admin: await login('admin@example.com', password),
    marketer: await login('marketer@example.com', password),
    privacy: await login('privacy@example.com', password),
  };
});
afterAll(() => rt.close());

describe('role boundaries', () => {
  it('nobody reaches staff APIs without signing in', async () => {
    for (const path of ['/api/stats/example.com/summary', '/api/consent/receipts', '/api/consent/verify', '/api/users']) {
      const res = await rt.app.request(`${ORIGIN}${path}`);
      expect(res.status, path).toBe(401);
    }
  });

  it('a marketer reads statistics, and nothing about individuals', async () => {
    expect((await as.marketer('/api/stats/example.com/summary')).status).toBe(200);
    expect((await as.marketer('/api/stats/example.com/breakdown/page')).status).toBe(200);
    for (const path of ['/api/consent/receipts', '/api/consent/verify', '/api/users', '/api/tokens']) {
      expect((await as.marketer(path)).status, path).toBe(403);
    }
  });

  it('privacy staff read consent receipts and verify the chain', async () => {
    expect((await as.privacy('/api/consent/receipts')).status).toBe(200);
    const verify = await as.privacy('/api/consent/verify');
    expect(verify.status).toBe(200);
    expect(await verify.json()).toMatchObject({ ok: true });
    expect((await as.privacy('/api/users')).status).toBe(403);
  });

  it('an admin manages users', async () => {
    expect((await as.admin('/api/users')).status).toBe(200);
    expect((await as.admin('/api/stats/example.com/summary')).status).toBe(200);
  });

  it('visitor endpoints never ask for a staff session', async () => {
    const res = await rt.app.request(`${ORIGIN}/api/config?s=example.com`, { headers: { 'x-test-peer': '203.0.113.77' } });
    expect(res.status).toBe(200);
  });
});

describe('shared links', () => {
  it('a shared-link token opens no staff API', async () => {
    const { createSharedLink } = await import('../../server/auth/index.ts');
    const admin = await rt.store.db.selectFrom('users').select('id').where('email', '=', 'admin@example.com').executeTakeFirstOrThrow();
    const { token } = await createSharedLink(rt.store.db, { siteId: 'example.com', createdBy: admin.id }, rt.clock());
    for (const path of ['/api/stats/example.com/summary', '/api/consent/receipts', '/api/users', '/api/sites']) {
      const res = await rt.app.request(`${ORIGIN}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, path).toBe(401);
    }
    expect((await rt.app.request(`${ORIGIN}/api/shared/${token}/summary`)).status).toBe(200);
    expect((await rt.app.request(`${ORIGIN}/api/shared/${token}/summary?f.page=/`)).status).toBe(400);
  });
});

describe('the audit log sees staff actions', () => {
  it('sign-ins, user management and shared links are audited; privacy staff can read them', async () => {
    const added = await as.admin('/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'new@example.com', role: 'marketer' }) });
    expect(added.status).toBe(201);
    const share = await as.marketer('/api/sites/example.com/shared-links', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label: 'board' }) });
    expect(share.status).toBe(201);
    const page = await (await as.privacy('/api/privacy/audit?limit=100')).json() as { entries: { action: string; actor: string }[] };
    const seen = page.entries.map((e) => `${e.action} by ${e.actor}`);
    expect(seen).toEqual(expect.arrayContaining(['auth.login by admin@example.com', 'user.add by admin@example.com', 'shared_link.create by marketer@example.com']));
    expect((await as.marketer('/api/privacy/audit')).status).toBe(403);
    const verify = await (await as.privacy('/api/privacy/audit/verify')).json();
    expect(verify).toMatchObject({ ok: true });
  });
});
