import { afterEach, describe, expect, it } from 'vitest';
import { authApp, call, login, makeUser, PASSWORD, tryLogin, type AuthApp } from './helpers.ts';

let t: AuthApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function privacyOfficer(options: Parameters<typeof authApp>[0] = {}) {
  t = await authApp(options);
  await makeUser(t, 'po@example.com', 'privacy');
  return login(t, 'po@example.com', PASSWORD, options.secureCookies ? { origin: 'https://localhost' } : {});
}

describe('CSRF protection of cookie sessions', () => {
  it('a state-changing request needs X-CSRF-Token equal to the session token', async () => {
    const session = await privacyOfficer();
    const missing = await call(t!, 'POST', '/api/probe/privacy', { session, csrf: null });
    expect(missing.status).toBe(403);
    expect(await missing.json()).toEqual({ error: 'csrf_token_invalid', message: expect.any(String) });
    const wrong = await call(t!, 'POST', '/api/probe/privacy', { session, csrf: session.csrf.slice(0, -1) + (session.csrf.endsWith('A') ? 'B' : 'A') });
    expect(wrong.status).toBe(403);
    expect((await call(t!, 'POST', '/api/probe/privacy', { session })).status).toBe(200);
    // reads need none
    expect((await call(t!, 'GET', '/api/probe/privacy', { session, csrf: null })).status).toBe(200);
  });

  it('csrf() on its own checks the same, and visitor-facing routes a staff cookie rides along to need nothing', async () => {
    const session = await privacyOfficer();
    expect((await call(t!, 'POST', '/api/probe/csrf-only', { session, csrf: null })).status).toBe(403);
    expect((await call(t!, 'POST', '/api/probe/csrf-only', { session, origin: 'https://evil.example' })).status).toBe(403);
    expect((await call(t!, 'POST', '/api/probe/csrf-only', { session })).status).toBe(200);
    // e.g. the consent banner on the company's own site posting while a staff member is signed in
    const visitor = await call(t!, 'POST', '/api/probe/visitor', { session, csrf: null, origin: 'https://www.example.com' });
    expect(visitor.status).toBe(200);
  });

  it('the token of another session does not do', async () => {
    const mine = await privacyOfficer();
    const other = await login(t!, 'po@example.com');
    expect((await call(t!, 'POST', '/api/probe/privacy', { session: { token: mine.token, csrf: other.csrf } })).status).toBe(403);
  });

  it('applies to PATCH and DELETE too, and to the auth routes themselves', async () => {
    t = await authApp();
    await makeUser(t, 'admin@example.com', 'admin');
    const marketer = await makeUser(t, 'm@example.com', 'marketer');
    const session = await login(t, 'admin@example.com');
    for (const [method, path, body] of [
      ['PATCH', `/api/users/${marketer.id}`, { displayName: 'M' }],
      ['POST', '/api/users', { email: 'x@example.com', role: 'privacy' }],
      ['POST', '/api/tokens', { name: 'bi', scopes: ['stats:read'] }],
      ['DELETE', '/api/tokens/1', undefined],
      ['POST', '/api/auth/logout', undefined],
    ] as const) {
      const res = await call(t, method, path, { session, csrf: null, body });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect(await t.db.selectFrom('users').select('id').execute()).toHaveLength(2);
    expect(await t.db.selectFrom('staff_sessions').select('id').execute()).toHaveLength(1); // logout refused
  });

  it('refuses another Origin even with the right token', async () => {
    const session = await privacyOfficer();
    for (const origin of ['https://evil.example', 'null', 'http://localhost:8080', 'https://localhost']) {
      const res = await call(t!, 'POST', '/api/probe/privacy', { session, origin });
      expect(res.status, origin).toBe(403);
      expect(await res.json()).toMatchObject({ error: 'origin_mismatch' });
    }
  });

  it('without Origin, a browser’s Sec-Fetch-Site must say same-origin; a non-browser client needs the token only', async () => {
    const session = await privacyOfficer();
    const crossSite = await call(t!, 'POST', '/api/probe/privacy', { session, origin: null, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    expect((await call(t!, 'POST', '/api/probe/privacy', { session, origin: null, headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
    expect((await call(t!, 'POST', '/api/probe/privacy', { session, origin: null })).status).toBe(200);
    expect((await call(t!, 'POST', '/api/probe/privacy', { session, origin: null, csrf: null })).status).toBe(403);
  });

  it('behind a TLS proxy (secureCookies) the https form of the host is our origin', async () => {
    const session = await privacyOfficer({ secureCookies: true });
    expect((await call(t!, 'POST', '/api/probe/privacy', { session, origin: 'https://localhost' })).status).toBe(200);
    expect((await call(t!, 'POST', '/api/probe/privacy', { session, origin: 'https://evil.example' })).status).toBe(403);
  });

  it('sign-in from a foreign origin is refused (login CSRF)', async () => {
    t = await authApp();
    await makeUser(t, 'po@example.com', 'privacy');
    const res = await tryLogin(t, 'po@example.com', PASSWORD, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('API-token requests need neither the CSRF token nor an Origin', async () => {
    t = await authApp();
    await makeUser(t, 'admin@example.com', 'admin');
    const session = await login(t, 'admin@example.com');
    const minted = await call(t, 'POST', '/api/tokens', { session, body: { name: 'dpo script', scopes: ['privacy:write'] } });
    const { token } = (await minted.json()) as { token: string };
    expect((await call(t, 'POST', '/api/probe/privacy', { bearer: token, origin: null })).status).toBe(200);
    expect((await call(t, 'POST', '/api/probe/privacy', { bearer: token, origin: 'https://elsewhere.example' })).status).toBe(200);
  });

  it('the CSRF token is not stored: the row keeps a secret it is derived from with the cookie token', async () => {
    const session = await privacyOfficer();
    const row = await t!.db.selectFrom('staff_sessions').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(session.csrf);
    expect(JSON.stringify(row)).not.toContain(session.token);
    expect(await (await call(t!, 'GET', '/api/auth/me', { session })).json()).toMatchObject({ csrfToken: session.csrf });
  });
});

describe('authRoutes mounted alone', () => {
  it('authenticates and checks CSRF on its own paths', async () => {
    t = await authApp({ bare: true });
    await makeUser(t, 'admin@example.com', 'admin');
    const session = await login(t, 'admin@example.com');
    expect((await call(t, 'GET', '/api/users', { session })).status).toBe(200);
    expect((await call(t, 'POST', '/api/users', { session, csrf: null, body: { email: 'x@example.com', role: 'privacy' } })).status).toBe(403);
    expect((await call(t, 'POST', '/api/users', { session, body: { email: 'x@example.com', role: 'privacy' } })).status).toBe(201);
  });
});
