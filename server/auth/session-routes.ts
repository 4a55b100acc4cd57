import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv, AuthUser, Role } from '../env.ts';
import { createUaSummarizer } from '../http/ua.ts';
import type { AuthDeps } from './deps.ts';
import { fromOwnOrigin } from '../http/same-origin.ts';
import { jsonBody } from '../http/validate.ts';
import { clearSessionCookie, errors, isHttps, setSessionCookie } from './http.ts';
import { createLoginLimiter, defaultLoginLimits, limiterKeys } from './login-limiter.ts';
import { requireUser, sessionOf } from './middleware.ts';
import { burnVerification, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { roleScopes } from './scopes.ts';
import { checkSecondFactor } from './second-factor.ts';
import { createSession, endSession } from './sessions.ts';
import { findUser, findUserByEmail, normalizeEmail, setPassword, type UserRow } from './users.ts';

/** Who is signed in, as `GET /api/auth/me` and the login answer show it. */
export interface Me {
  user: {
    id: number;
    email: string;
    displayName: string | null;
    role: Role;
    mustChangePassword: boolean;
    /** enabled: the user signs in with a code; required: their role must (the policy's staff.secondFactorRoles) */
    secondFactor: { enabled: boolean; required: boolean };
    via: AuthUser['via'];
    scopes: readonly string[];
  };
  /** send as X-CSRF-Token with every POST, PUT, PATCH, DELETE; null for API tokens, which need none */
  csrfToken: string | null;
}

function me(row: UserRow, via: AuthUser['via'], scopes: readonly string[], csrfToken: string | null, secondFactorRoles: readonly Role[] = []): Me {
  const secondFactor = { enabled: row.totp_enabled_at !== null, required: secondFactorRoles.includes(row.role) };
  const user = { id: Number(row.id), email: row.email, displayName: row.display_name, role: row.role, mustChangePassword: row.must_change_password === 1, secondFactor, via, scopes };
  return { user, csrfToken };
}

const loginBody = z.object({ email: z.string().max(320), password: z.string().max(4096), code: z.string().max(32).optional() });
const passwordBody = z.object({ currentPassword: z.string().max(4096), newPassword: z.string().max(4096) });

/** login, logout, me, change own password */
export function sessionRoutes(deps: AuthDeps) {
  const limiter = createLoginLimiter(deps.db, deps.loginLimits ?? defaultLoginLimits);
  const summarizeUa = createUaSummarizer(200);
  const secure = deps.secureCookies ?? false;

  function uaSummary(c: Context): string | null {
    const ua = summarizeUa(c.req.header('user-agent') ?? '');
    const parts = [ua.browser && `${ua.browser}${ua.browserVersion ? ` ${ua.browserVersion}` : ''}`, ua.os].filter(Boolean);
    return parts.length ? parts.join(' / ') : null;
  }

  async function startSession(c: Context, user: UserRow, now: number) {
    const { token, session } = await createSession(deps.db, Number(user.id), now, uaSummary(c));
    setSessionCookie(c, token, isHttps(c, secure));
    return session;
  }

  return new Hono<AppEnv>()
    .post('/api/auth/login', jsonBody(loginBody), async function login(c) {
      // Login CSRF (signing a victim into the attacker's account) is stopped by the origin check alone.
      if (!fromOwnOrigin(c, { secure })) return c.json(errors.originMismatch, 403);
      const body = c.req.valid('json');
      const email = normalizeEmail(body.email);
      const keys = limiterKeys(email, deps.clientIp?.(c));
      const now = deps.clock();
      const { wait, attempt } = await limiter.reserve(keys, now);
      if (!attempt) {
        c.header('Retry-After', String(wait));
        return c.json(errors.tooManyAttempts, 429);
      }
      const user = await findUserByEmail(deps.db, email);
      // an unknown address costs the same scrypt as a known one: timing does not tell which exist
      const verified = user ? await verifyPassword(user.password_hash, body.password) : (await burnVerification(body.password), null);
      if (!user || !verified?.ok || user.disabled_at !== null) {
        deps.log('info', 'sign-in failed', { userId: user ? Number(user.id) : null });
        // only for a known account: what someone typed as an address is never kept
        if (user) await deps.audit?.({ id: Number(user.id), label: user.email }, 'auth.login_failed', { disabled: user.disabled_at !== null });
        return c.json(errors.invalidCredentials, 401);
      }
      if (user.totp_enabled_at !== null) {
        if (!body.code) {
          await attempt.release(); // a right password, not yet a sign-in: neither a failure nor a success
          return c.json(errors.secondFactorRequired, 401);
        }
        if (!(await checkSecondFactor(deps.db, { id: Number(user.id), totp_secret: user.totp_secret, totp_last_step: user.totp_last_step }, body.code, now))) {
          deps.log('info', 'sign-in failed', { userId: Number(user.id), secondFactor: true });
          await deps.audit?.({ id: Number(user.id), label: user.email }, 'auth.login_failed', { secondFactor: true });
          return c.json(errors.invalidSecondFactor, 401);
        }
      }
      await attempt.succeeded();
      const old = sessionOf(c);
      if (old) await endSession(deps.db, old.id); // a fresh token on every sign-in: no session fixation
      const rehash = verified.needsRehash ? await hashPassword(body.password) : undefined;
      await deps.db
        .updateTable('users')
        .set(rehash ? { last_login_at: now, password_hash: rehash } : { last_login_at: now })
        .where('id', '=', user.id)
        .execute();
      const session = await startSession(c, user, now);
      deps.log('info', 'signed in', { userId: Number(user.id), rehashed: rehash !== undefined });
      await deps.audit?.({ id: Number(user.id), label: user.email }, 'auth.login', {});
      return c.json<Me, 200>(me(user, 'session', roleScopes[user.role], session.csrfToken, deps.secondFactorRoles), 200);
    })
    .post('/api/auth/logout', async function logout(c) {
      // csrf() has already checked the token when the cookie named a live session
      const session = sessionOf(c);
      if (session) await endSession(deps.db, session.id);
      const who = c.get('user');
      if (session && who) await deps.audit?.({ id: who.id, label: who.email }, 'auth.logout', {});
      clearSessionCookie(c, isHttps(c, secure));
      return c.json({ ok: true as const }, 200);
    })
    .get('/api/auth/me', requireUser(), async function getMe(c) {
      const caller = c.get('user')!;
      const row = await findUser(deps.db, caller.id);
      if (!row) return c.json(errors.unauthenticated, 401);
      return c.json<Me, 200>(me(row, caller.via, caller.scopes, sessionOf(c)?.csrfToken ?? null, deps.secondFactorRoles), 200);
    })
    .post('/api/auth/password', requireUser(), jsonBody(passwordBody), async function changePassword(c) {
      const caller = c.get('user')!;
      if (caller.via !== 'session') return c.json(errors.sessionOnly, 403);
      const row = await findUser(deps.db, caller.id);
      if (!row) return c.json(errors.unauthenticated, 401);
      const body = c.req.valid('json');
      const keys = limiterKeys(row.email, deps.clientIp?.(c));
      const now = deps.clock();
      const { wait, attempt } = await limiter.reserve(keys, now);
      if (!attempt) {
        c.header('Retry-After', String(wait));
        return c.json(errors.tooManyAttempts, 429);
      }
      if (!(await verifyPassword(row.password_hash, body.currentPassword)).ok) {
        return c.json({ error: 'wrong_password', message: 'the current password is wrong' }, 403);
      }
      await attempt.succeeded();
      const weak = passwordProblem(body.newPassword, row.email);
      if (weak) return c.json({ error: 'weak_password', message: weak }, 400);
      if (body.newPassword.normalize('NFKC') === body.currentPassword.normalize('NFKC')) {
        return c.json({ error: 'same_password', message: 'the new password must differ from the current one' }, 400);
      }
      await setPassword(deps.db, row, body.newPassword); // ends every session of the user, this one too
      const session = await startSession(c, row, now);
      deps.log('info', 'password changed', { userId: Number(row.id) });
      await deps.audit?.({ id: Number(row.id), label: row.email }, 'auth.password_change', {});
      return c.json<Me, 200>(me({ ...row, must_change_password: 0 }, 'session', caller.scopes, session.csrfToken, deps.secondFactorRoles), 200);
    });
}
