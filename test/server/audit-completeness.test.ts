import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { userInfo, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../server/auth/index.ts';
import type { Runtime } from '../../server/runtime.ts';
import { createDb } from '../../server/store/db.ts';
import { createTestApp, fakeClock, pageview, sendEvent } from '../helpers/app.ts';

/** Every change to who may do what, and every visitor's own action on their data, leaves an audit entry. */
const ORIGIN = 'http://localhost';
const password = 'correct horse battery staple';
let rt: Runtime & { clock: ReturnType<typeof fakeClock> };
type Caller = (path: string, body?: unknown, method?: string) => Promise<Response>;

async function login(email: string, pw = password): Promise<Caller> {
  const res = await rt.app.request(`${ORIGIN}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify({ email, password: pw }) });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return async (path, body, method = body === undefined ? 'GET' : 'POST') =>
    rt.app.request(`${ORIGIN}${path}`, { method, headers: { cookie, origin: ORIGIN, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function entries(privacy: Caller): Promise<{ action: string; actor: string; details: Record<string, unknown> }[]> {
  const page = (await (await privacy('/api/privacy/audit?limit=200')).json()) as { entries: { action: string; actor: string; details: Record<string, unknown> }[] };
  return page.entries;
}

beforeAll(async () => {
  rt = await createTestApp({ clock: fakeClock(Date.now()) });
  for (const role of ['admin', 'privacy'] as const) await addUser(rt.store.db, { email: `${role}@example.com`, role, password }, rt.clock());
});
afterAll(() => rt.close());

describe('audit completeness', () => {
  it('user creation, role change, disabling, password reset and change, tokens', async () => {
    const admin = await login('admin@example.com');
    const added = await admin('/api/users', { email: 'new@example.com', role: 'marketer' });
    const { user } = (await added.json()) as { user: { id: number } };
    expect((await admin(`/api/users/${user.id}`, { role: 'privacy' }, 'PATCH')).status).toBe(200);
    expect((await admin(`/api/users/${user.id}`, { disabled: true }, 'PATCH')).status).toBe(200);
    expect((await admin(`/api/users/${user.id}`, { disabled: false }, 'PATCH')).status).toBe(200);
    const reset = (await (await admin(`/api/users/${user.id}`, { resetPassword: true }, 'PATCH')).json()) as { password: string };
    const newcomer = await login('new@example.com', reset.password);
    expect((await newcomer('/api/auth/password', { currentPassword: reset.password, newPassword: 'a whole new passphrase 2026' })).status).toBe(200);
    const token = (await (await admin('/api/tokens', { name: 'BI', scopes: ['stats:read'] })).json()) as { id: number };
    expect((await admin(`/api/tokens/${token.id}`, undefined, 'DELETE')).status).toBe(200);

    const seen = (await entries(await login('privacy@example.com'))).map((e) => `${e.action} by ${e.actor}`);
    expect(seen).toEqual(
      expect.arrayContaining([
        'user.add by admin@example.com',
        'user.change by admin@example.com',
        'auth.password_change by new@example.com',
        'token.create by admin@example.com',
        'token.revoke by admin@example.com',
      ]),
    );
  });

  it('a visitor’s own deletion, suspension and withdrawal, without the visitor’s ids', async () => {
    const res = await sendEvent(rt.app, pageview({ c: 1 }));
    const { v } = (await res.json()) as { v: string };
    const myData = (path: string) =>
      rt.app.request(`${ORIGIN}/api/my-data${path}`, { method: 'POST', headers: { 'content-type': 'text/plain', origin: ORIGIN, 'x-test-peer': '203.0.113.77' }, body: JSON.stringify({ v }) });
    expect((await myData('/withdraw')).status).toBe(201);
    expect((await myData('/suspend')).status).toBe(200);
    expect((await myData('/delete')).status).toBe(200);
    const visitor = (await entries(await login('privacy@example.com'))).filter((e) => e.actor === 'visitor');
    expect(visitor.map((e) => e.action).sort()).toEqual(['visitor.delete', 'visitor.suspend', 'visitor.withdraw']);
    expect(JSON.stringify(visitor)).not.toContain(v);
  });

  it('commands run on the server, under the operating-system user who ran them', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ashiato-cli-audit-'));
    try {
      const bin = fileURLToPath(new URL('../../bin/ashiato.js', import.meta.url));
      const run = (...args: string[]) => new Promise<number | null>((resolve) => spawn(process.execPath, [bin, ...args, '--data', dir], { stdio: 'ignore' }).on('exit', resolve));
      expect(await run('site', 'add', 'example.org')).toBe(0);
      expect(await run('user', 'add', 'ops@example.org', '--role', 'admin')).toBe(0);
      expect(await run('user', 'reset-password', 'ops@example.org')).toBe(0);
      const store = await createDb({ kind: 'sqlite', file: join(dir, 'ashiato.sqlite') });
      const rows = await store.db.selectFrom('audit_log').select(['actor', 'action']).orderBy('seq').execute();
      await store.close();
      const cli = `cli:${userInfo().username}`;
      expect(rows).toEqual(expect.arrayContaining([{ actor: cli, action: 'site.upsert' }, { actor: cli, action: 'user.add' }, { actor: cli, action: 'user.password_reset' }]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
