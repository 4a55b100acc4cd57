import { afterEach, describe, expect, it } from 'vitest';
import { acceptedStep, currentCode } from '../../../server/auth/second-factor.ts';
import { authApp, call, login, makeUser, PASSWORD, tryLogin, type AuthApp, type Session } from './helpers.ts';

let t: AuthApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const STEP = 30_000;

/** Enrols `session`'s user: setup, a first code, and the recovery codes handed out once. */
async function enrol(session: Session): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await call(t!, 'POST', '/api/auth/2fa/setup', { session });
  expect(setup.status).toBe(200);
  const { secret, otpauthUrl } = (await setup.json()) as { secret: string; otpauthUrl: string };
  expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/ashiato:.+\?.*secret=/);
  const qr = await call(t!, 'GET', '/api/auth/2fa/qr.svg', { session });
  expect(qr.headers.get('content-type')).toBe('image/svg+xml');
  expect(await qr.text()).toMatch(/^<svg /);
  expect((await call(t!, 'POST', '/api/auth/2fa/enable', { session, body: { code: '000000' } })).status).toBe(400);
  const enabled = await call(t!, 'POST', '/api/auth/2fa/enable', { session, body: { code: currentCode(secret, t!.clock()) } });
  expect(enabled.status).toBe(200);
  const { recoveryCodes } = (await enabled.json()) as { recoveryCodes: string[] };
  expect(recoveryCodes).toHaveLength(10);
  return { secret, recoveryCodes };
}

describe('TOTP second factor for staff', () => {
  it('codes follow RFC 6238 (the standard’s SHA-1 test vector) and each step is accepted once', () => {
    // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s → 94287082 (8 digits); its last 6 digits
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(currentCode(secret, 59_000)).toBe('287082');
    const step = acceptedStep(secret, '287082', null, 59_000);
    expect(step).toBe(1);
    expect(acceptedStep(secret, '287082', step, 59_000)).toBeNull();
  });

  it('a role that must use one can reach nothing but enrolment until it has one; then sign-in asks for the code', async () => {
    t = await authApp({ secondFactorRoles: ['admin', 'privacy'] });
    await makeUser(t, 'admin@example.com', 'admin');
    await makeUser(t, 'marketer@example.com', 'marketer');
    const admin = await login(t, 'admin@example.com');
    const blocked = await call(t, 'GET', '/api/probe/admin', { session: admin });
    expect(blocked.status).toBe(403);
    expect(await blocked.json()).toMatchObject({ error: 'second_factor_enrolment_required' });
    expect(await (await call(t, 'GET', '/api/auth/me', { session: admin })).json()).toMatchObject({ user: { secondFactor: { enabled: false, required: true } } });
    // a marketer is not asked
    expect((await call(t, 'GET', '/api/probe/stats', { session: await login(t, 'marketer@example.com') })).status).toBe(200);

    const { secret, recoveryCodes } = await enrol(admin);
    expect((await call(t, 'GET', '/api/probe/admin', { session: admin })).status).toBe(200);

    t.clock.advance(STEP);
    const noCode = await tryLogin(t, 'admin@example.com', PASSWORD);
    expect(noCode.status).toBe(401);
    expect(await noCode.json()).toMatchObject({ error: 'second_factor_required' });
    const wrong = await call(t, 'POST', '/api/auth/login', { body: { email: 'admin@example.com', password: PASSWORD, code: '123456' } });
    expect(await wrong.json()).toMatchObject({ error: 'invalid_second_factor' });
    const code = currentCode(secret, t.clock());
    expect((await call(t, 'POST', '/api/auth/login', { body: { email: 'admin@example.com', password: PASSWORD, code } })).status).toBe(200);
    // the same code again (a replay) is refused
    expect((await call(t, 'POST', '/api/auth/login', { body: { email: 'admin@example.com', password: PASSWORD, code } })).status).toBe(401);
    // a recovery code works once
    expect((await call(t, 'POST', '/api/auth/login', { body: { email: 'admin@example.com', password: PASSWORD, code: recoveryCodes[0] } })).status).toBe(200);
    expect((await call(t, 'POST', '/api/auth/login', { body: { email: 'admin@example.com', password: PASSWORD, code: recoveryCodes[0] } })).status).toBe(401);
    // nothing of the secret or the codes is stored in the clear
    const codes = JSON.stringify(await t.db.selectFrom('staff_recovery_codes').selectAll().execute());
    for (const c of recoveryCodes) expect(codes).not.toContain(c);
  });

  it('wrong codes are limited like passwords, also when sent at once', async () => {
    t = await authApp({ secondFactorRoles: ['admin'] });
    await makeUser(t, 'admin@example.com', 'admin');
    await enrol(await login(t, 'admin@example.com'));
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => call(t!, 'POST', '/api/auth/login', { body: { email: 'admin@example.com', password: PASSWORD, code: String(100000 + i) } })),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBe(5);
    expect(statuses.filter((s) => s === 429).length).toBe(25);
  });

  it('a required factor cannot be switched off by its user; an admin’s reset makes them enrol again', async () => {
    t = await authApp({ secondFactorRoles: ['privacy'] });
    await makeUser(t, 'admin@example.com', 'admin');
    const privacy = await makeUser(t, 'privacy@example.com', 'privacy');
    const session = await login(t, 'privacy@example.com');
    const { secret } = await enrol(session);
    t.clock.advance(STEP);
    const off = await call(t, 'POST', '/api/auth/2fa/disable', { session, body: { password: PASSWORD, code: currentCode(secret, t.clock()) } });
    expect(off.status).toBe(409);
    const admin = await login(t, 'admin@example.com');
    expect((await call(t, 'PATCH', `/api/users/${privacy.id}`, { session: admin, body: { resetSecondFactor: true } })).status).toBe(200);
    const again = await login(t, 'privacy@example.com');
    expect(await (await call(t, 'GET', '/api/probe/privacy', { session: again })).json()).toMatchObject({ error: 'second_factor_enrolment_required' });
  });

  it('an optional factor can be switched off with the password and a code', async () => {
    t = await authApp();
    await makeUser(t, 'marketer@example.com', 'marketer');
    const session = await login(t, 'marketer@example.com');
    const { secret } = await enrol(session);
    t.clock.advance(STEP);
    expect((await call(t, 'POST', '/api/auth/2fa/disable', { session, body: { password: 'wrong-password-1', code: currentCode(secret, t.clock()) } })).status).toBe(403);
    t.clock.advance(STEP);
    expect((await call(t, 'POST', '/api/auth/2fa/disable', { session, body: { password: PASSWORD, code: currentCode(secret, t.clock()) } })).status).toBe(200);
    expect((await tryLogin(t, 'marketer@example.com', PASSWORD)).status).toBe(200);
  });
});
