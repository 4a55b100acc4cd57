import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../server/auth/passwords.ts';
import { authApp, call, login, makeUser, PASSWORD, sessionCookie, tryLogin, type AuthApp } from './helpers.ts';

let t: AuthApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const MIN = 60 * 1000;

describe('POST /api/auth/login', () => {
  it('signs in: the user, a CSRF token, and an httpOnly SameSite=Strict cookie on Path=/', async () => {
    t = await authApp();
    const alice = await makeUser(t, 'alice@example.com', 'marketer');
    const res = await tryLogin(t, 'alice@example.com', PASSWORD);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { user: Record<string, unknown>; csrfToken: string };
    expect(body.user).toMatchObject({ id: alice.id, email: 'alice@example.com', role: 'marketer', mustChangePassword: false, via: 'session', scopes: ['stats:read'] });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = sessionCookie(res)!;
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie.attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', 'Max-Age=604800']));
    expect(cookie.attributes).not.toContain('Secure'); // plain http, no flag
    const row = await t.db.selectFrom('users').select('last_login_at').where('id', '=', alice.id).executeTakeFirstOrThrow();
    expect(row.last_login_at).toBe(t.clock());
  });

  it('marks the cookie Secure over https, and over http when the config says TLS ends at a proxy', async () => {
    t = await authApp();
    await makeUser(t, 'alice@example.com', 'marketer');
    const https = await tryLogin(t, 'alice@example.com', PASSWORD, { url: 'https://stats.example.com/api/auth/login', origin: 'https://stats.example.com' });
    expect(https.status).toBe(200);
    expect(sessionCookie(https)!.attributes).toContain('Secure');
    await t.close();

    t = await authApp({ secureCookies: true });
    await makeUser(t, 'alice@example.com', 'marketer');
    const proxied = await tryLogin(t, 'alice@example.com', PASSWORD, { origin: 'https://localhost' });
    expect(proxied.status).toBe(200);
    expect(sessionCookie(proxied)!.attributes).toContain('Secure');
  });

  it('accepts the email in any case', async () => {
    t = await authApp();
    await makeUser(t, 'Alice@Example.com', 'marketer');
    expect((await tryLogin(t, '  ALICE@example.COM ', PASSWORD)).status).toBe(200);
  });

  it('gives one generic answer for a wrong password, an unknown email and a disabled account', async () => {
    t = await authApp();
    const bob = await makeUser(t, 'bob@example.com', 'privacy');
    await makeUser(t, 'carol@example.com', 'privacy');
    await t.db.updateTable('users').set({ disabled_at: t.clock() }).where('email', '=', 'carol@example.com').execute();
    const answers = await Promise.all([
      tryLogin(t, 'bob@example.com', 'wrong-password-123'),
      tryLogin(t, 'nobody@example.com', 'wrong-password-123'),
      tryLogin(t, 'carol@example.com', PASSWORD),
    ]);
    const bodies = await Promise.all(answers.map((r) => r.text()));
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0]!)).toEqual({ error: 'invalid_credentials', message: expect.any(String) });
    for (const r of answers) expect(sessionCookie(r)).toBeNull();
    expect(bob.id).toBeGreaterThan(0);
  });

  it('spends a full scrypt verification on an unknown email', async () => {
    t = await authApp();
    await makeUser(t, 'bob@example.com', 'privacy');
    await tryLogin(t, 'warm-up@example.com', 'x'); // the dummy hash is made once
    const started = performance.now();
    expect((await tryLogin(t, 'nobody@example.com', 'wrong-password-123')).status).toBe(401);
    // scrypt at N=2^15 takes tens of milliseconds; a lookup that found nobody takes one or two
    expect(performance.now() - started).toBeGreaterThan(20);
  });

  it('refuses a body that is not JSON or lacks fields with 400, not 500', async () => {
    t = await authApp();
    const res = await t.app.request('/api/auth/login', { method: 'POST', headers: { origin: 'http://localhost', 'content-type': 'application/json' }, body: '{nope' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'bad_request' });
    const missing = await call(t, 'POST', '/api/auth/login', { body: { email: 'a@b.c' } });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'invalid_body' });
  });
});

describe('sign-in rate limits', () => {
  it('after 5 failures for an email answers 429 with Retry-After, even to the right password', async () => {
    t = await authApp();
    await makeUser(t, 'alice@example.com', 'marketer');
    for (let i = 0; i < 5; i++) {
      expect((await tryLogin(t, 'alice@example.com', `wrong-password-${i}`)).status).toBe(401);
      t.clock.advance(MIN);
    }
    const blocked = await tryLogin(t, 'ALICE@example.com', PASSWORD, { headers: { 'x-test-peer': '198.51.100.23' } });
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toMatchObject({ error: 'too_many_attempts' });
    // the first failure leaves the 15-minute window in 10 minutes
    expect(Number(blocked.headers.get('retry-after'))).toBe(10 * 60);
    t.clock.advance(10 * MIN);
    expect((await tryLogin(t, 'alice@example.com', PASSWORD)).status).toBe(200);
  });

  it('limits a network (the truncated address) to 20 failures across accounts', { timeout: 90_000 }, async () => {
    t = await authApp();
    await makeUser(t, 'alice@example.com', 'marketer');
    for (let i = 0; i < 20; i++) {
      const res = await tryLogin(t, `guess${i}@example.com`, 'wrong-password-123', { headers: { 'x-test-peer': `203.0.113.${i + 1}` } });
      expect(res.status).toBe(401);
    }
    // another host of the same /24
    expect((await tryLogin(t, 'alice@example.com', PASSWORD, { headers: { 'x-test-peer': '203.0.113.200' } })).status).toBe(429);
    // another network is not affected
    expect((await tryLogin(t, 'alice@example.com', PASSWORD, { headers: { 'x-test-peer': '198.51.100.23' } })).status).toBe(200);
    const keys = await t.db.selectFrom('login_attempts').select('key').distinct().execute();
    expect(keys.map((k) => k.key)).toContain('net:203.0.113.0');
    expect(JSON.stringify(keys)).not.toMatch(/guess|example\.com|203\.0\.113\.[1-9]/);
  });

  it('holds under parallel requests: 50 wrong passwords at once for one account get 5 × 401, the rest 429', { timeout: 90_000 }, async () => {
    t = await authApp();
    await makeUser(t, 'alice@example.com', 'marketer');
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => tryLogin(t!, 'alice@example.com', `wrong-password-${i}`, { headers: { 'x-test-peer': `198.51.100.${i + 1}` } })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBe(5);
    expect(statuses.filter((s) => s === 429).length).toBe(45);
  });

  it('holds under parallel requests: 40 at once from one /24 across accounts get 20 × 401, the rest 429', { timeout: 90_000 }, async () => {
    t = await authApp();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => tryLogin(t!, `guess${i}@example.com`, 'wrong-password-123', { headers: { 'x-test-peer': `203.0.113.${i + 1}` } })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBe(20);
    expect(statuses.filter((s) => s === 429).length).toBe(20);
  });

  it('a successful sign-in forgets the account’s failures', async () => {
    t = await authApp();
    await makeUser(t, 'alice@example.com', 'marketer');
    for (let i = 0; i < 4; i++) await tryLogin(t, 'alice@example.com', 'wrong-password-123');
    expect((await tryLogin(t, 'alice@example.com', PASSWORD)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await tryLogin(t, 'alice@example.com', 'wrong-password-123')).status).toBe(401);
    expect((await tryLogin(t, 'alice@example.com', PASSWORD)).status).toBe(200);
  });
});

describe('rehash on sign-in', () => {
  it('replaces a hash made with older parameters, and leaves a current one alone', async () => {
    t = await authApp();
    const alice = await makeUser(t, 'alice@example.com', 'marketer');
    const old = await hashPassword(PASSWORD, { N: 2 ** 12, r: 8, p: 1 });
    await t.db.updateTable('users').set({ password_hash: old }).where('id', '=', alice.id).execute();
    await login(t, 'alice@example.com');
    const stored = async () => (await t!.db.selectFrom('users').select('password_hash').where('id', '=', alice.id).executeTakeFirstOrThrow()).password_hash;
    const upgraded = await stored();
    expect(upgraded).toMatch(/^scrypt\$32768\$8\$1\$/);
    await login(t, 'alice@example.com');
    expect(await stored()).toBe(upgraded);
    expect(t.logLines.some((l) => l.includes('"rehashed":true'))).toBe(true);
  });
});

describe('logout and me', () => {
  it('GET /api/auth/me answers the user and the CSRF token; 401 without a session', async () => {
    t = await authApp();
    await makeUser(t, 'alice@example.com', 'admin');
    expect((await call(t, 'GET', '/api/auth/me')).status).toBe(401);
    const session = await login(t, 'alice@example.com');
    const res = await call(t, 'GET', '/api/auth/me', { session });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { email: 'alice@example.com', role: 'admin', via: 'session' }, csrfToken: session.csrf });
  });

  it('logout deletes the session row and clears the cookie', async () => {
    t = await authApp();
    await makeUser(t, 'alice@example.com', 'admin');
    const session = await login(t, 'alice@example.com');
    expect(await t.db.selectFrom('staff_sessions').selectAll().execute()).toHaveLength(1);
    const res = await call(t, 'POST', '/api/auth/logout', { session });
    expect(res.status).toBe(200);
    expect(sessionCookie(res)).toMatchObject({ value: '', attributes: expect.arrayContaining(['Max-Age=0', 'HttpOnly']) });
    expect(await t.db.selectFrom('staff_sessions').selectAll().execute()).toHaveLength(0);
    expect((await call(t, 'GET', '/api/auth/me', { session })).status).toBe(401);
  });

  it('a new sign-in from a browser that has a session replaces it (no session fixation)', async () => {
    t = await authApp();
    await makeUser(t, 'alice@example.com', 'admin');
    const first = await login(t, 'alice@example.com');
    const second = await login(t, 'alice@example.com', PASSWORD, { session: first });
    expect(second.token).not.toBe(first.token);
    expect((await call(t, 'GET', '/api/auth/me', { session: first })).status).toBe(401);
    expect((await call(t, 'GET', '/api/auth/me', { session: second })).status).toBe(200);
  });
});
