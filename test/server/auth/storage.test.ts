import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { addUser, ensureAdmin } from '../../../server/auth/index.ts';
import { authApp, call, login, makeUser, PASSWORD, sessionCookie, tryLogin, type AuthApp } from './helpers.ts';
import { tableNames } from '../../helpers/test-db.ts';

let t: AuthApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Every row of every table, as text. */
async function dumpDatabase(app: AuthApp): Promise<string> {
  const parts: string[] = [];
  for (const name of await tableNames(app.db)) {
    const { rows } = await sql`select * from ${sql.table(name)}`.execute(app.db);
    parts.push(`${name}: ${JSON.stringify(rows)}`);
  }
  return parts.join('\n');
}

describe('no secret is stored as itself', () => {
  it('passwords, session tokens, CSRF tokens, API tokens and shared-link tokens and passwords appear in no row or log line', async () => {
    t = await authApp();
    const secrets: string[] = [PASSWORD];
    const printed: string[] = [];
    const boot = await ensureAdmin(t.db, t.deps.log, { print: (l) => printed.push(l) });
    secrets.push(boot!.password);
    const { generatedPassword } = await addUser(t.db, { email: 'privacy@example.com', role: 'privacy' });
    secrets.push(generatedPassword!);
    await makeUser(t, 'admin@example.com', 'admin');

    const admin = await login(t, 'admin@example.com');
    secrets.push(admin.token, admin.csrf);
    const po = await login(t, 'privacy@example.com', generatedPassword!);
    secrets.push(po.token, po.csrf);
    const changed = await call(t, 'POST', '/api/auth/password', { session: po, body: { currentPassword: generatedPassword, newPassword: 'privacy-office-walnut-7' } });
    secrets.push('privacy-office-walnut-7', sessionCookie(changed)!.value);

    const minted = (await (await call(t, 'POST', '/api/tokens', { session: admin, body: { name: 'bi', scopes: ['stats:read'] } })).json()) as { token: string };
    secrets.push(minted.token, minted.token.slice('ashiato_'.length));
    await call(t, 'GET', '/api/probe/stats', { bearer: minted.token });
    const link = (await (await call(t, 'POST', '/api/sites/example.com/shared-links', { session: admin, body: { password: 'board-meeting-figures' } })).json()) as { token: string };
    secrets.push(link.token, 'board-meeting-figures');
    const created = (await (await call(t, 'POST', '/api/users', { session: admin, body: { email: 'm@example.com', role: 'marketer' } })).json()) as { password: string };
    secrets.push(created.password);
    // a password typed into the email field of a failed sign-in
    await tryLogin(t, 'my-secret-password-typed-here', 'x', { headers: { 'x-test-peer': '198.51.100.23' } });
    secrets.push('my-secret-password-typed-here');

    const dump = await dumpDatabase(t);
    for (const secret of secrets) {
      expect(dump, `a stored row contains ${secret.slice(0, 6)}…`).not.toContain(secret);
      expect(t.logLines.join('\n'), `a log line contains ${secret.slice(0, 6)}…`).not.toContain(secret);
    }
    // and the full client address is not kept by the limiter
    expect(dump).not.toContain('198.51.100.23');
    expect(dump).toContain('198.51.100.0');
    // every password column holds an scrypt hash
    const hashes = await t.db.selectFrom('users').select('password_hash').execute();
    for (const { password_hash } of hashes) expect(password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    const links = await t.db.selectFrom('shared_links').select('password_hash').execute();
    expect(links[0]!.password_hash).toMatch(/^scrypt\$/);
  });
});
