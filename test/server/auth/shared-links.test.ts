import { afterEach, describe, expect, it } from 'vitest';
import { checkSharedLink, createLoginLimiter, resolveSharedLink, sharedLinkLimiterKeys } from '../../../server/auth/index.ts';
import { DAY } from '../../helpers/app.ts';
import { authApp, call, login, makeUser, type AuthApp, type Session } from './helpers.ts';

let t: AuthApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function marketer() {
  t = await authApp();
  await makeUser(t, 'marketer@example.com', 'marketer');
  return login(t, 'marketer@example.com');
}

async function share(session: Session, site: string, body: Record<string, unknown> = {}) {
  const res = await call(t!, 'POST', `/api/sites/${site}/shared-links`, { session, body });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; token: string; siteId: string; passwordProtected: boolean; expiresAt: number | null };
}

describe('shared statistics links', () => {
  it('a link opens its own site and nothing else', async () => {
    const session = await marketer();
    const a = await share(session, 'example.com', { label: 'Board' });
    const b = await share(session, 'other.example');
    expect(a).toMatchObject({ siteId: 'example.com', passwordProtected: false, expiresAt: null });
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await resolveSharedLink(t!.db, a.token, undefined, t!.clock())).toBe('example.com');
    expect(await resolveSharedLink(t!.db, b.token, undefined, t!.clock())).toBe('other.example');
    expect(await resolveSharedLink(t!.db, a.id, undefined, t!.clock())).toBeNull(); // the listed id is not a key
    expect(await resolveSharedLink(t!.db, 'A'.repeat(43), undefined, t!.clock())).toBeNull();
    expect(await resolveSharedLink(t!.db, '', undefined, t!.clock())).toBeNull();
  });

  it('a password-protected link needs its password', async () => {
    const session = await marketer();
    const link = await share(session, 'example.com', { password: 'quarterly-figures-2026' });
    expect(link.passwordProtected).toBe(true);
    expect(await checkSharedLink(t!.db, link.token, undefined, t!.clock())).toEqual({ ok: false, reason: 'password_required' });
    expect(await checkSharedLink(t!.db, link.token, 'quarterly-figures-2025', t!.clock())).toEqual({ ok: false, reason: 'wrong_password' });
    expect(await resolveSharedLink(t!.db, link.token, 'quarterly-figures-2025', t!.clock())).toBeNull();
    expect(await resolveSharedLink(t!.db, link.token, 'quarterly-figures-2026', t!.clock())).toBe('example.com');
    const weak = await call(t!, 'POST', '/api/sites/example.com/shared-links', { session, body: { password: 'password123' } });
    expect(weak.status).toBe(400);
  });

  it('the sign-in limiter can slow down guessing at a link password', async () => {
    const session = await marketer();
    const link = await share(session, 'example.com', { password: 'quarterly-figures-2026' });
    const limiter = createLoginLimiter(t!.db);
    const keys = sharedLinkLimiterKeys(link.token, '192.0.2.44');
    for (let i = 0; i < 5; i++) {
      const { attempt } = await limiter.reserve(keys, t!.clock());
      expect(attempt).toBeDefined();
      if ((await checkSharedLink(t!.db, link.token, `guess-number-${i}`, t!.clock())).ok) await attempt!.succeeded();
    }
    expect((await limiter.reserve(keys, t!.clock())).wait).toBe(15 * 60);
    const rows = JSON.stringify(await t!.db.selectFrom('login_attempts').selectAll().execute());
    expect(rows).not.toContain(link.token);
    expect(rows).not.toContain('192.0.2.44');
  });

  it('revoked and expired links open nothing; a link is revoked only through its own site', async () => {
    const session = await marketer();
    const link = await share(session, 'example.com');
    const soon = await share(session, 'example.com', { expiresInDays: 1 });
    expect((await call(t!, 'DELETE', `/api/sites/other.example/shared-links/${link.id}`, { session })).status).toBe(404);
    expect(await resolveSharedLink(t!.db, link.token, undefined, t!.clock())).toBe('example.com');
    expect((await call(t!, 'DELETE', `/api/sites/example.com/shared-links/${link.id}`, { session })).status).toBe(200);
    expect(await resolveSharedLink(t!.db, link.token, undefined, t!.clock())).toBeNull();

    expect(await resolveSharedLink(t!.db, soon.token, undefined, t!.clock())).toBe('example.com');
    t!.clock.advance(DAY);
    expect(await checkSharedLink(t!.db, soon.token, undefined, t!.clock())).toEqual({ ok: false, reason: 'not_found' });
  });

  it('admins and marketers manage links; privacy staff, tokens and unknown sites are refused', async () => {
    const session = await marketer();
    await makeUser(t!, 'privacy@example.com', 'privacy');
    await makeUser(t!, 'admin@example.com', 'admin');
    const po = await login(t!, 'privacy@example.com');
    const admin = await login(t!, 'admin@example.com');
    expect((await call(t!, 'POST', '/api/sites/example.com/shared-links', { session: po, body: {} })).status).toBe(403);
    expect((await call(t!, 'POST', '/api/sites/nope.example/shared-links', { session, body: {} })).status).toBe(404);
    await share(admin, 'example.com', { label: 'Admin link' });
    await share(session, 'example.com', { label: 'Marketing link' });
    const list = await call(t!, 'GET', '/api/sites/example.com/shared-links', { session });
    const { links } = (await list.json()) as { links: { label: string; siteId: string }[] };
    expect(links.map((l) => l.label)).toEqual(['Admin link', 'Marketing link']);
    expect(JSON.stringify(links)).not.toMatch(/token|scrypt/);
    expect((await call(t!, 'GET', '/api/sites/example.com/shared-links', { session: po })).status).toBe(403);

    const minted = await call(t!, 'POST', '/api/tokens', { session: admin, body: { name: 'x', scopes: ['stats:read'] } });
    const { token } = (await minted.json()) as { token: string };
    expect((await call(t!, 'POST', '/api/sites/example.com/shared-links', { bearer: token, body: {} })).status).toBe(403);
  });
});
