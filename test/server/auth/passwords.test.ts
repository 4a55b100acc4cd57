import { describe, expect, it } from 'vitest';
import { commonPasswords, currentParams, hashPassword, passwordProblem, verifyPassword } from '../../../server/auth/passwords.ts';

describe('password hashing', () => {
  it('stores scrypt$N$r$p$salt$hash with a 16-byte random salt', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.split('$')[4]!, 'base64url')).toHaveLength(16);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
  });

  it('verifies the right password only; a malformed hash never matches', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(await verifyPassword(hash, 'correct horse battery')).toEqual({ ok: true, needsRehash: false });
    expect((await verifyPassword(hash, 'correct horse batterz')).ok).toBe(false);
    expect((await verifyPassword('scrypt$x$8$1$abc$def', 'correct horse battery')).ok).toBe(false);
    expect((await verifyPassword('plain:correct horse battery', 'correct horse battery')).ok).toBe(false);
    // a stored N of 2^30 would ask for 128 GiB: refused, not attempted
    expect((await verifyPassword(hash.replace('$32768$', `$${2 ** 30}$`), 'correct horse battery')).ok).toBe(false);
  });

  it('asks for a rehash when a hash was made with other parameters', async () => {
    const old = await hashPassword('correct horse battery', { N: 2 ** 10, r: 8, p: 1 });
    expect(await verifyPassword(old, 'correct horse battery')).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPassword(old, 'wrong horse battery')).toEqual({ ok: false, needsRehash: false });
    expect(currentParams).toEqual({ N: 2 ** 15, r: 8, p: 1 });
  });

  it('treats the same password typed as full-width or half-width characters alike (NFKC)', async () => {
    const hash = await hashPassword('パスワード2026-ｃｏｒｒｅｃｔ');
    expect((await verifyPassword(hash, 'パスワード2026-correct')).ok).toBe(true);
  });
});

describe('password rules', () => {
  it('needs at least 12 characters, counted as characters not bytes', () => {
    expect(passwordProblem('short-pass1')).toMatch(/at least 12/);
    expect(passwordProblem('long-enough1')).toBeNull();
    expect(passwordProblem('日本語のパスワードです')).toMatch(/at least 12/); // 11 characters, 33 bytes
    expect(passwordProblem('日本語のパスワードですよ')).toBeNull();
    expect(passwordProblem('x'.repeat(1025))).toMatch(/at most/);
  });

  it('refuses the 20 commonest passwords, also repeated or followed by digits', () => {
    expect(commonPasswords).toHaveLength(20);
    for (const p of ['passwordpassword', 'Password2026!', '123456789012', 'qwerty123456', 'iloveyou1234', 'sunshinesunshine', 'QWERTYQWERTY']) {
      expect(passwordProblem(p), p).toMatch(/common/);
    }
    for (const p of commonPasswords) expect(passwordProblem(p)).not.toBeNull();
  });

  it('refuses one repeated character and the account email', () => {
    expect(passwordProblem('aaaaaaaaaaaaaa')).toMatch(/repeated/);
    expect(passwordProblem('hanako@example.jp', 'Hanako@Example.jp')).toMatch(/email/);
    expect(passwordProblem('walnut-ferry-castle-9')).toBeNull();
  });
});
