import { afterEach, describe, expect, it } from 'vitest';
import { addUser, pruneAuth } from '../../../server/auth/index.ts';
import { HOUR, DAY, desktopChromeUa } from '../../helpers/app.ts';
import { authApp, call, login, makeUser, PASSWORD, sessionCookie, tryLogin, type AuthApp } from './helpers.ts';

let t: AuthApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const me = (session: { token: string; csrf: string }) => call(t!, 'GET', '/api/auth/me', { session });

describe('session lifetime', () => {
  it('ends after 8 hours without a request, and each request pushes that back', async () => {
    t = await authApp();
    await makeUser(t, 'alice@example.com', 'marketer');
    const session = await login(t, 'alice@example.com');
    t.clock.advance(8 * HOUR - 60_000);
    expect((await me(session)).status).toBe(200);
    t.clock.advance(8 * HOUR - 60_000);
    expect((await me(session)).status).toBe(200);
    t.clock.advance(8 * HOUR);
    expect((await me(session)).status).toBe(401);
    expect(await t.db.selectFrom('staff_sessions').selectAll().execute()).toHaveLength(0);
  });

  it('ends 7 days after sign-in however busy it is', async () => {
    t = await authApp();
    await makeUser(t, 'alice@example.com', 'marketer');
    const session = await login(t, 'alice@example.com');
    for (let elapsed = 0; elapsed < 7 * DAY - 4 * HOUR; elapsed += 4 * HOUR) {
      t.clock.advance(4 * HOUR);
      expect((await me(session)).status).toBe(200);
    }
    t.clock.advance(4 * HOUR);
    expect((await me(session)).status).toBe(401);
  });

  it('keeps a summary of the browser, never the raw user agent', async () => {
    t = await authApp();
    await makeUser(t, 'alice@example.com', 'marketer');
    await login(t, 'alice@example.com', PASSWORD, { headers: { 'user-agent': desktopChromeUa } });
    const row = await t.db.selectFrom('staff_sessions').selectAll().executeTakeFirstOrThrow();
    expect(row.ua_summary).toBe('Chrome 131 / Windows');
    expect(row.expires_at - row.created_at).toBe(7 * DAY);
  });
});

describe('pruneAuth (a background job)', () => {
  it('deletes ended sessions and sign-in failures past the window, and keeps the rest', async () => {
    t = await authApp();
    await makeUser(t, 'alice@example.com', 'marketer');
    const idle = await login(t, 'alice@example.com');
    await tryLogin(t, 'nobody@example.com', 'wrong-password-123');
    t.clock.advance(8 * HOUR);
    const live = await login(t, 'alice@example.com');
    expect(await pruneAuth(t.db, t.clock())).toEqual({ sessions: 1, attempts: 2 });
    expect((await me(live)).status).toBe(200);
    expect((await me(idle)).status).toBe(401);
  });
});

describe('password change', () => {
  it('ends every session of the user and hands the changing browser a fresh one', async () => {
    t = await authApp();
    await makeUser(t, 'alice@example.com', 'admin');
    const laptop = await login(t, 'alice@example.com');
    const phone = await login(t, 'alice@example.com');
    const res = await call(t, 'POST', '/api/auth/password', { session: laptop, body: { currentPassword: PASSWORD, newPassword: 'new-walnut-ferry-castle' } });
    expect(res.status).toBe(200);
    const fresh = { token: sessionCookie(res)!.value, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
    expect((await me(laptop)).status).toBe(401);
    expect((await me(phone)).status).toBe(401);
    expect((await me(fresh)).status).toBe(200);
    expect((await tryLogin(t, 'alice@example.com', PASSWORD)).status).toBe(401);
    expect((await tryLogin(t, 'alice@example.com', 'new-walnut-ferry-castle')).status).toBe(200);
  });

  it('checks the current password and the rules for the new one', async () => {
    t = await authApp();
    await makeUser(t, 'alice@example.com', 'admin');
    const session = await login(t, 'alice@example.com');
    const change = (currentPassword: string, newPassword: string) => call(t!, 'POST', '/api/auth/password', { session, body: { currentPassword, newPassword } });
    expect(await (await change('not-my-password', 'new-walnut-ferry-castle')).json()).toMatchObject({ error: 'wrong_password' });
    expect((await change(PASSWORD, 'short-one')).status).toBe(400);
    expect(await (await change(PASSWORD, 'Password2026!')).json()).toMatchObject({ error: 'weak_password' });
    expect(await (await change(PASSWORD, PASSWORD)).json()).toMatchObject({ error: 'same_password' });
    expect((await me(session)).status).toBe(200); // nothing changed
  });

  it('a one-time password must be replaced before anything else works', async () => {
    t = await authApp();
    const { generatedPassword } = await addUser(t.db, { email: 'new@example.com', role: 'admin' }, t.clock());
    const session = await login(t, 'new@example.com', generatedPassword!);
    expect(await (await me(session)).json()).toMatchObject({ user: { mustChangePassword: true } });
    const blocked = await call(t, 'GET', '/api/users', { session });
    expect(blocked.status).toBe(403);
    expect(await blocked.json()).toMatchObject({ error: 'password_change_required' });
    expect((await call(t, 'GET', '/api/probe/stats', { session })).status).toBe(403);

    const res = await call(t, 'POST', '/api/auth/password', { session, body: { currentPassword: generatedPassword, newPassword: 'my-own-walnut-ferry' } });
    expect(res.status).toBe(200);
    const fresh = { token: sessionCookie(res)!.value, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
    expect(await (await me(fresh)).json()).toMatchObject({ user: { mustChangePassword: false } });
    expect((await call(t, 'GET', '/api/users', { session: fresh })).status).toBe(200);
  });
});

describe('disabling a user', () => {
  it('ends their sessions and refuses their sign-in with the generic answer', async () => {
    t = await authApp();
    await makeUser(t, 'admin@example.com', 'admin');
    const mallory = await makeUser(t, 'mallory@example.com', 'marketer');
    const admin = await login(t, 'admin@example.com');
    const theirs = await login(t, 'mallory@example.com');
    const res = await call(t, 'PATCH', `/api/users/${mallory.id}`, { session: admin, body: { disabled: true } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { disabledAt: t.clock() } });
    expect((await me(theirs)).status).toBe(401);
    expect(await (await tryLogin(t, 'mallory@example.com', PASSWORD)).json()).toMatchObject({ error: 'invalid_credentials' });

    await call(t, 'PATCH', `/api/users/${mallory.id}`, { session: admin, body: { disabled: false } });
    expect((await tryLogin(t, 'mallory@example.com', PASSWORD)).status).toBe(200);
  });
});
