import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.ts';
import { jsonBody } from '../http/validate.ts';
import type { AuthDeps } from './deps.ts';
import { errors } from './http.ts';
import { createLoginLimiter, defaultLoginLimits, limiterKeys } from './login-limiter.ts';
import { requireUser } from './middleware.ts';
import { verifyPassword } from './passwords.ts';
import { acceptedStep, checkSecondFactor, clearSecondFactor, issueRecoveryCodes, newTotpSecret, otpauthQrSvg, otpauthUrl } from './second-factor.ts';
import { findUser } from './users.ts';

const enableBody = z.object({ code: z.string().max(32) });
const disableBody = z.object({ password: z.string().max(4096), code: z.string().max(32) });

/**
 * Enrolment in a second factor, from the signed-in session (open also while a role's rule still demands
 * it): `setup` draws a secret (pending), `qr.svg` shows it to an authenticator app, `enable` confirms it with
 * a first code and hands out recovery codes once. Codes are rate-limited like passwords, per account.
 */
export function secondFactorRoutes(deps: AuthDeps) {
  const limiter = createLoginLimiter(deps.db, deps.loginLimits ?? defaultLoginLimits);
  // API tokens never enrol: a second factor belongs to the person signing in
  const sessionUser = async (c: Context<AppEnv>) => {
    const caller = c.get('user')!;
    return caller.via === 'session' ? findUser(deps.db, caller.id) : undefined;
  };

  return new Hono<AppEnv>()
    .post('/api/auth/2fa/setup', requireUser(), async function setupSecondFactor(c) {
      const user = await sessionUser(c);
      if (!user) return c.json(errors.sessionOnly, 403);
      if (user.totp_enabled_at !== null) return c.json({ error: 'already_enabled', message: 'a second factor is already set up; turn it off first' }, 409);
      const secret = newTotpSecret();
      await deps.db.updateTable('users').set({ totp_secret: secret, totp_last_step: null }).where('id', '=', user.id).execute();
      return c.json({ secret, otpauthUrl: otpauthUrl(secret, user.email), qr: '/api/auth/2fa/qr.svg' }, 200);
    })
    .get('/api/auth/2fa/qr.svg', requireUser(), async function secondFactorQr(c) {
      const user = await sessionUser(c);
      if (!user?.totp_secret || user.totp_enabled_at !== null) return c.json({ error: 'not_found', message: 'no second factor is being set up' }, 404);
      c.header('Content-Type', 'image/svg+xml');
      c.header('Cache-Control', 'no-store');
      return c.body(otpauthQrSvg(user.totp_secret, user.email));
    })
    .post('/api/auth/2fa/enable', requireUser(), jsonBody(enableBody), async function enableSecondFactor(c) {
      const user = await sessionUser(c);
      if (!user) return c.json(errors.sessionOnly, 403);
      if (!user.totp_secret || user.totp_enabled_at !== null) return c.json({ error: 'not_pending', message: 'start with POST /api/auth/2fa/setup' }, 409);
      const now = deps.clock();
      const { wait, attempt } = await limiter.reserve(limiterKeys(user.email, deps.clientIp?.(c)), now);
      if (!attempt) {
        c.header('Retry-After', String(wait));
        return c.json(errors.tooManyAttempts, 429);
      }
      const step = acceptedStep(user.totp_secret, c.req.valid('json').code.trim(), null, now);
      if (step === null) return c.json(errors.invalidSecondFactor, 400);
      await attempt.succeeded();
      await deps.db.updateTable('users').set({ totp_enabled_at: now, totp_last_step: step }).where('id', '=', user.id).execute();
      const recoveryCodes = await issueRecoveryCodes(deps.db, Number(user.id));
      deps.log('info', 'second factor enabled', { userId: Number(user.id) });
      await deps.audit?.({ id: Number(user.id), label: user.email }, 'auth.2fa_enable', {});
      return c.json({ enabled: true as const, recoveryCodes }, 200);
    })
    .post('/api/auth/2fa/disable', requireUser(), jsonBody(disableBody), async function disableSecondFactor(c) {
      const user = await sessionUser(c);
      if (!user) return c.json(errors.sessionOnly, 403);
      if (user.totp_enabled_at === null) return c.json({ error: 'not_enabled', message: 'no second factor is set up' }, 409);
      if ((deps.secondFactorRoles ?? []).includes(user.role)) {
        return c.json({ error: 'required_by_policy', message: 'your role must sign in with a second factor; an admin can reset it' }, 409);
      }
      const now = deps.clock();
      const { wait, attempt } = await limiter.reserve(limiterKeys(user.email, deps.clientIp?.(c)), now);
      if (!attempt) {
        c.header('Retry-After', String(wait));
        return c.json(errors.tooManyAttempts, 429);
      }
      const body = c.req.valid('json');
      const ok = (await verifyPassword(user.password_hash, body.password)).ok && (await checkSecondFactor(deps.db, { id: Number(user.id), totp_secret: user.totp_secret, totp_last_step: user.totp_last_step }, body.code, now));
      if (!ok) return c.json(errors.invalidCredentials, 403);
      await attempt.succeeded();
      await clearSecondFactor(deps.db, Number(user.id));
      await deps.audit?.({ id: Number(user.id), label: user.email }, 'auth.2fa_disable', {});
      return c.json({ enabled: false as const }, 200);
    });
}
