import { afterEach, describe, expect, it } from 'vitest';
import { addUser, AuthError, ensureAdmin, userAddCommand, userListCommand, userResetCommand } from '../../../server/auth/index.ts';
import { verifyPassword } from '../../../server/auth/passwords.ts';
import { authApp, call, login, makeUser, tryLogin, type AuthApp } from './helpers.ts';

let t: AuthApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('ensureAdmin', () => {
  it('on an empty database creates one admin, prints the one-time password once, and logs no password', async () => {
    t = await authApp();
    const printed: string[] = [];
    const first = await ensureAdmin(t.db, t.deps.log, { loginUrl: 'http://127.0.0.1:8787/', print: (l) => printed.push(l), now: t.clock() });
    expect(first).toMatchObject({ email: 'admin@localhost' });
    const output = printed.join('\n');
    expect(output).toContain(first!.password);
    expect(output).toContain('http://127.0.0.1:8787/');
    expect(t.logLines.join('\n')).not.toContain(first!.password);
    expect(t.logLines.join('\n')).toContain('created the first admin account');

    const again = await ensureAdmin(t.db, t.deps.log, { print: (l) => printed.push(l) });
    expect(again).toBeNull();
    expect(printed.join('\n')).toBe(output);
    expect(await t.db.selectFrom('users').selectAll().execute()).toHaveLength(1);

    const session = await login(t, 'admin@localhost', first!.password);
    expect(await (await call(t, 'GET', '/api/auth/me', { session })).json()).toMatchObject({ user: { role: 'admin', mustChangePassword: true } });
  });

  it('does nothing when any user exists', async () => {
    t = await authApp();
    await makeUser(t, 'someone@example.com', 'marketer');
    const printed: string[] = [];
    expect(await ensureAdmin(t.db, t.deps.log, { print: (l) => printed.push(l) })).toBeNull();
    expect(printed).toEqual([]);
  });

  it('two processes starting at once create one admin', async () => {
    t = await authApp();
    const results = await Promise.all([1, 2].map(() => ensureAdmin(t!.db, t!.deps.log, { print: () => {} })));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await t.db.selectFrom('users').selectAll().execute()).toHaveLength(1);
  });
});

describe('addUser (the CLI’s `ashiato user add`)', () => {
  it('generates a password when none is given, and then requires a change', async () => {
    t = await authApp();
    const added = await addUser(t.db, { email: 'Hanako@Example.jp', role: 'privacy' });
    expect(added.user).toMatchObject({ email: 'hanako@example.jp', role: 'privacy', mustChangePassword: true });
    const row = await t.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    expect((await verifyPassword(row.password_hash, added.generatedPassword!)).ok).toBe(true);
  });

  it('takes a given password as the user’s own', async () => {
    t = await authApp();
    const added = await addUser(t.db, { email: 'taro@example.jp', role: 'marketer', password: 'walnut-ferry-castle-9' });
    expect(added.generatedPassword).toBeNull();
    expect(added.user.mustChangePassword).toBe(false);
  });

  it('refuses weak passwords, bad emails, unknown roles and duplicates', async () => {
    t = await authApp();
    await addUser(t.db, { email: 'taro@example.jp', role: 'marketer' });
    const refusal = (spec: Parameters<typeof addUser>[1]) => addUser(t!.db, spec).then(() => null, (e: unknown) => (e instanceof AuthError ? e.code : e));
    expect(await refusal({ email: 'jiro@example.jp', role: 'marketer', password: 'password' })).toBe('weak_password');
    expect(await refusal({ email: 'jiro', role: 'marketer' })).toBe('invalid_email');
    // @ts-expect-error an unknown role, as the CLI could pass it
    expect(await refusal({ email: 'jiro@example.jp', role: 'root' })).toBe('invalid_role');
    expect(await refusal({ email: 'TARO@example.jp', role: 'admin' })).toBe('email_taken');
  });
});

describe('the `ashiato user` commands', () => {
  it('add prints a one-time password once; reset replaces it; list shows state', async () => {
    t = await authApp();
    const out: string[] = [];
    const err: string[] = [];
    expect(await userAddCommand(t.db, 'Ops@Example.com', 'admin', (l) => out.push(l), (l) => err.push(l))).toBe(0);
    const first = /one-time password: (\S+)/.exec(out.join('\n'))![1]!;
    expect((await tryLogin(t, 'ops@example.com', first)).status).toBe(200);

    expect(await userAddCommand(t.db, 'ops@example.com', 'admin', (l) => out.push(l), (l) => err.push(l))).toBe(1);
    expect(await userAddCommand(t.db, 'x@example.com', 'root', (l) => out.push(l), (l) => err.push(l))).toBe(1);
    expect(err.join('\n')).toMatch(/exists[\s\S]*usage/);

    out.length = 0;
    expect(await userResetCommand(t.db, 'OPS@example.com', (l) => out.push(l))).toBe(0);
    const second = /: (\S+)$/m.exec(out[0]!)![1]!;
    expect((await tryLogin(t, 'ops@example.com', first)).status).toBe(401);
    expect((await tryLogin(t, 'ops@example.com', second)).status).toBe(200);
    expect(await userResetCommand(t.db, 'nobody@example.com', () => {}, () => {})).toBe(1);

    out.length = 0;
    await userListCommand(t.db, (l) => out.push(l));
    expect(out).toEqual(['ops@example.com\tadmin\tmust change password']);
  });
});
