import { afterEach, describe, expect, it } from 'vitest';
import { DAY } from '../../helpers/app.ts';
import { authApp, call, login, makeUser, PASSWORD, tryLogin, type AuthApp, type Session } from './helpers.ts';

let t: AuthApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function staff() {
  t = await authApp();
  await makeUser(t, 'admin@example.com', 'admin');
  await makeUser(t, 'marketer@example.com', 'marketer');
  await makeUser(t, 'privacy@example.com', 'privacy');
  return {
    admin: await login(t, 'admin@example.com'),
    marketer: await login(t, 'marketer@example.com'),
    privacy: await login(t, 'privacy@example.com'),
  };
}

async function mint(session: Session, scopes: string[], extra: Record<string, unknown> = {}) {
  const res = await call(t!, 'POST', '/api/tokens', { session, body: { name: 'BI export', scopes, ...extra } });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: number; token: string; scopes: string[]; expiresAt: number | null };
}

describe('role boundaries', () => {
  it('only admins manage users: 401 signed out, 403 for marketer and privacy', async () => {
    const s = await staff();
    expect((await call(t!, 'GET', '/api/users')).status).toBe(401);
    for (const who of [s.marketer, s.privacy]) {
      const res = await call(t!, 'GET', '/api/users', { session: who });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: 'forbidden', message: expect.any(String) });
      expect((await call(t!, 'POST', '/api/users', { session: who, body: { email: 'x@example.com', role: 'admin' } })).status).toBe(403);
      expect((await call(t!, 'PATCH', '/api/users/1', { session: who, body: { role: 'marketer' } })).status).toBe(403);
      expect((await call(t!, 'GET', '/api/tokens', { session: who })).status).toBe(403);
    }
    const list = await call(t!, 'GET', '/api/users', { session: s.admin });
    expect(list.status).toBe(200);
    const { users } = (await list.json()) as { users: Record<string, unknown>[] };
    expect(users.map((u) => u.role)).toEqual(['admin', 'marketer', 'privacy']);
    expect(JSON.stringify(users)).not.toContain('scrypt');
  });

  it('session users get their role’s scopes: marketers read statistics, privacy staff the privacy office', async () => {
    const s = await staff();
    const status = async (session: Session, method: string, path: string) => (await call(t!, method, path, { session })).status;
    expect(await status(s.marketer, 'GET', '/api/probe/stats')).toBe(200);
    expect(await status(s.marketer, 'GET', '/api/probe/privacy')).toBe(403);
    expect(await status(s.privacy, 'GET', '/api/probe/stats')).toBe(403);
    expect(await status(s.privacy, 'GET', '/api/probe/privacy')).toBe(200);
    expect(await status(s.privacy, 'POST', '/api/probe/privacy')).toBe(200);
    expect(await status(s.admin, 'GET', '/api/probe/stats')).toBe(200);
    expect(await status(s.admin, 'POST', '/api/probe/privacy')).toBe(200);
    const denied = await call(t!, 'GET', '/api/probe/privacy', { session: s.marketer });
    expect(await denied.json()).toMatchObject({ error: 'insufficient_scope' });
  });

  it('the last active admin can be neither demoted nor disabled', async () => {
    const s = await staff();
    const res = await call(t!, 'PATCH', '/api/users/1', { session: s.admin, body: { role: 'marketer' } });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: 'last_admin' });
    expect((await call(t!, 'PATCH', '/api/users/1', { session: s.admin, body: { disabled: true } })).status).toBe(409);
    expect((await call(t!, 'PATCH', '/api/users/2', { session: s.admin, body: { role: 'admin' } })).status).toBe(200);
    expect((await call(t!, 'PATCH', '/api/users/1', { session: s.admin, body: { role: 'privacy' } })).status).toBe(200);
    // the role is read at every request: the demoted admin is a privacy officer at once
    expect((await call(t!, 'GET', '/api/users', { session: s.admin })).status).toBe(403);
  });

  it('admins add users with a one-time password and can reset one', async () => {
    const s = await staff();
    const res = await call(t!, 'POST', '/api/users', { session: s.admin, body: { email: 'New.Person@Example.com', role: 'privacy', displayName: 'New Person' } });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { user: { id: number; email: string; mustChangePassword: boolean }; password: string };
    expect(created.user).toMatchObject({ email: 'new.person@example.com', mustChangePassword: true });
    expect(created.password).toMatch(/^[a-zA-Z2-9]{5}(-[a-zA-Z2-9]{5}){4}$/);
    expect((await tryLogin(t!, 'new.person@example.com', created.password)).status).toBe(200);

    const dup = await call(t!, 'POST', '/api/users', { session: s.admin, body: { email: 'NEW.PERSON@example.com', role: 'marketer' } });
    expect(dup.status).toBe(409);
    expect((await call(t!, 'POST', '/api/users', { session: s.admin, body: { email: 'not an email', role: 'marketer' } })).status).toBe(400);
    expect((await call(t!, 'POST', '/api/users', { session: s.admin, body: { email: 'x@example.com', role: 'root' } })).status).toBe(400);
    expect((await call(t!, 'PATCH', '/api/users/999', { session: s.admin, body: { disabled: true } })).status).toBe(404);

    const reset = await call(t!, 'PATCH', '/api/users/2', { session: s.admin, body: { resetPassword: true } });
    const { password } = (await reset.json()) as { password: string };
    expect((await call(t!, 'GET', '/api/auth/me', { session: s.marketer })).status).toBe(401); // sessions ended
    expect((await tryLogin(t!, 'marketer@example.com', PASSWORD)).status).toBe(401);
    expect((await tryLogin(t!, 'marketer@example.com', password)).status).toBe(200);
  });
});

describe('API tokens', () => {
  it('are shown once, listed without secrets, and limited to their scopes', async () => {
    const s = await staff();
    const minted = await mint(s.admin, ['stats:read']);
    expect(minted.token).toMatch(/^ashiato_[A-Za-z0-9_-]{43}$/);
    expect(minted.expiresAt).toBe(t!.clock() + 90 * DAY);
    const list = await (await call(t!, 'GET', '/api/tokens', { session: s.admin })).text();
    expect(list).toContain('BI export');
    expect(list).not.toContain(minted.token.slice(8));

    const stats = await call(t!, 'GET', '/api/probe/stats', { bearer: minted.token });
    expect(stats.status).toBe(200);
    expect(await stats.json()).toMatchObject({ user: { via: 'token', role: 'admin', scopes: ['stats:read'] } });
    const privacy = await call(t!, 'GET', '/api/probe/privacy', { bearer: minted.token });
    expect(privacy.status).toBe(403);
    expect(await privacy.json()).toMatchObject({ error: 'insufficient_scope' });
  });

  it('never pass a role check, even an admin’s token: tokens cannot manage users or mint tokens', async () => {
    const s = await staff();
    const { token } = await mint(s.admin, ['stats:read', 'privacy:read', 'privacy:write']);
    for (const [method, path] of [['GET', '/api/users'], ['POST', '/api/tokens'], ['GET', '/api/probe/admin']] as const) {
      const res = await call(t!, method, path, { bearer: token, body: method === 'POST' ? { name: 'x', scopes: ['stats:read'] } : undefined });
      expect(res.status, path).toBe(403);
      expect(await res.json()).toMatchObject({ error: 'session_required' });
    }
  });

  it('revoked, expired, unknown and malformed tokens get 401', async () => {
    const s = await staff();
    const revoked = await mint(s.admin, ['stats:read']);
    const shortLived = await mint(s.admin, ['stats:read'], { expiresInDays: 1 });
    const forever = await mint(s.admin, ['stats:read'], { expiresInDays: null });
    expect(forever.expiresAt).toBeNull();

    expect((await call(t!, 'DELETE', `/api/tokens/${revoked.id}`, { session: s.admin })).status).toBe(200);
    expect((await call(t!, 'DELETE', `/api/tokens/${revoked.id}`, { session: s.admin })).status).toBe(404);
    expect((await call(t!, 'GET', '/api/probe/stats', { bearer: revoked.token })).status).toBe(401);

    expect((await call(t!, 'GET', '/api/probe/stats', { bearer: shortLived.token })).status).toBe(200);
    t!.clock.advance(DAY);
    expect((await call(t!, 'GET', '/api/probe/stats', { bearer: shortLived.token })).status).toBe(401);
    expect((await call(t!, 'GET', '/api/probe/stats', { bearer: forever.token })).status).toBe(200);

    for (const bad of [`ashiato_${'A'.repeat(43)}`, 'ashiato_short', forever.token.slice(8)]) {
      expect((await call(t!, 'GET', '/api/probe/stats', { bearer: bad })).status, bad).toBe(401);
    }
  });

  it('follow their owner: a disabled owner’s tokens stop, a demoted owner’s lose the scopes the new role lacks', async () => {
    const s = await staff();
    await call(t!, 'PATCH', '/api/users/2', { session: s.admin, body: { role: 'admin' } }); // a second admin
    const second = await login(t!, 'marketer@example.com');
    const { token } = await mint(second, ['stats:read', 'privacy:read']);
    expect((await call(t!, 'GET', '/api/probe/privacy', { bearer: token })).status).toBe(200);

    await call(t!, 'PATCH', '/api/users/2', { session: s.admin, body: { role: 'marketer' } });
    expect((await call(t!, 'GET', '/api/probe/privacy', { bearer: token })).status).toBe(403);
    expect((await call(t!, 'GET', '/api/probe/stats', { bearer: token })).status).toBe(200);

    await call(t!, 'PATCH', '/api/users/2', { session: s.admin, body: { disabled: true } });
    expect((await call(t!, 'GET', '/api/probe/stats', { bearer: token })).status).toBe(401);
  });

  it('are revoked when the owner is disabled (re-enabling brings none back) and when the owner’s password is reset', async () => {
    const s = await staff();
    await call(t!, 'PATCH', '/api/users/2', { session: s.admin, body: { role: 'admin' } }); // a second admin
    const first = await mint(await login(t!, 'marketer@example.com'), ['stats:read']);
    await call(t!, 'PATCH', '/api/users/2', { session: s.admin, body: { disabled: true } });
    await call(t!, 'PATCH', '/api/users/2', { session: s.admin, body: { disabled: false } });
    expect((await call(t!, 'GET', '/api/probe/stats', { bearer: first.token })).status).toBe(401);

    const second = await mint(await login(t!, 'marketer@example.com'), ['stats:read']);
    expect((await call(t!, 'GET', '/api/probe/stats', { bearer: second.token })).status).toBe(200);
    expect((await call(t!, 'PATCH', '/api/users/2', { session: s.admin, body: { resetPassword: true } })).status).toBe(200);
    expect((await call(t!, 'GET', '/api/probe/stats', { bearer: second.token })).status).toBe(401);
    const listed = (await (await call(t!, 'GET', '/api/tokens', { session: s.admin })).json()) as { tokens: { id: number; revokedAt: number | null }[] };
    expect(listed.tokens.filter((k) => k.id === first.id || k.id === second.id).map((k) => k.revokedAt !== null)).toEqual([true, true]);
  });

  it('records when a token was last used', async () => {
    const s = await staff();
    const { id, token } = await mint(s.admin, ['stats:read']);
    t!.clock.advance(5 * 60_000);
    await call(t!, 'GET', '/api/probe/stats', { bearer: token });
    const row = await t!.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.last_used_at).toBe(t!.clock());
  });

  it('an Authorization header that is not an ashiato token leaves the cookie in charge (a proxy’s auth)', async () => {
    const s = await staff();
    expect((await call(t!, 'GET', '/api/probe/stats', { session: s.marketer, headers: { authorization: 'Basic dXNlcjpwYXNz' } })).status).toBe(200);
    expect((await call(t!, 'GET', '/api/probe/stats', { session: s.marketer, headers: { authorization: 'Bearer eyJhbGciOi.jwt.sig' } })).status).toBe(200);
  });

  it('scopes must be known ones', async () => {
    const s = await staff();
    const res = await call(t!, 'POST', '/api/tokens', { session: s.admin, body: { name: 'x', scopes: ['users:write'] } });
    expect(res.status).toBe(400);
    expect((await call(t!, 'POST', '/api/tokens', { session: s.admin, body: { name: 'x', scopes: [] } })).status).toBe(400);
  });
});
