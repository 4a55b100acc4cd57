import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv, AuthUser, Role } from '../env.ts';
import { lookupApiToken, TOKEN_PREFIX } from './api-tokens.ts';
import type { AuthDeps } from './deps.ts';
import type { ApiError } from './errors.ts';
import { fromOwnOrigin } from '../http/same-origin.ts';
import { errors } from './http.ts';
import { roleScopes, type Scope } from './scopes.ts';
import { safeEqual } from './secrets.ts';
import { grantedSites } from './site-access.ts';
import { lookupSession, SESSION_COOKIE, type StaffSession } from './sessions.ts';

export interface SessionInfo extends StaffSession {
  mustChangePassword: boolean;
  /** the user's role signs in with a second factor and they have none yet: only enrolment is open */
  needsSecondFactor: boolean;
  /** from AuthDeps: `https://<host>` also counts as our origin */
  secureCookies: boolean;
}

// The cookie session behind c.var.user, for the CSRF checks, the must-change-password rule and the auth
// routes. Kept beside the context rather than in AppEnv: nothing outside server/auth needs it, and it
// carries the CSRF token.
const sessionByContext = new WeakMap<Context, SessionInfo>();

/** The browser session of this request, when it was authenticated by the session cookie. */
export function sessionOf(c: Context): SessionInfo | undefined {
  return sessionByContext.get(c);
}

/**
 * Sets `c.var.user` (an AuthUser, or null) from `Authorization: Bearer ashiato_…` or else the
 * `ashiato_staff` cookie. Other Authorization schemes (a proxy's Basic auth) are left alone. Runs once per
 * request even when mounted both app-wide and by a sub-app.
 */
export function authenticate(deps: Pick<AuthDeps, 'db' | 'clock' | 'secureCookies' | 'secondFactorRoles'>): MiddlewareHandler<AppEnv> {
  return async function authenticate(c, next) {
    if (c.get('user') !== undefined) return next();
    const bearer = /^Bearer[ ]+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (bearer?.startsWith(TOKEN_PREFIX)) {
      const found = await lookupApiToken(deps.db, bearer, deps.clock());
      c.set('user', found ? { id: Number(found.user.id), email: found.user.email, role: found.user.role, via: 'token', scopes: found.scopes, sites: found.sites } : null);
      return next();
    }
    const token = getCookie(c, SESSION_COOKIE);
    const found = token ? await lookupSession(deps.db, token, deps.clock()) : null;
    if (!found) {
      c.set('user', null);
      return next();
    }
    const { session, user } = found;
    const needsSecondFactor = (deps.secondFactorRoles ?? []).includes(user.role) && user.totp_enabled_at === null;
    sessionByContext.set(c, { ...session, mustChangePassword: user.must_change_password === 1, needsSecondFactor, secureCookies: deps.secureCookies ?? false });
    const authUser: AuthUser = { id: Number(user.id), email: user.email, role: user.role, via: 'session', scopes: roleScopes[user.role], sites: grantedSites(user.role, user.sites) };
    c.set('user', authUser);
    return next();
  };
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Why a state-changing request riding on the session cookie is not trusted, or null when it is. */
function csrfProblem(c: Context, secureCookies: boolean): ApiError | null {
  if (safeMethods.has(c.req.method)) return null;
  const session = sessionByContext.get(c);
  if (!session || c.get('user')?.via !== 'session') return null;
  if (!fromOwnOrigin(c, { secure: secureCookies || session.secureCookies })) return errors.originMismatch;
  const sent = c.req.header('x-csrf-token');
  if (!sent || !safeEqual(sent, session.csrfToken)) return errors.csrf;
  return null;
}

/**
 * Anyone signed in or holding a valid token, even with a password still to change (me, logout, password).
 * Like requireRole and requireScope, it also applies the csrf() check: a route that acts on the session's
 * authority cannot forget it, and routes for visitors (which a staff cookie may ride along to) need none.
 */
export function requireUser(): MiddlewareHandler<AppEnv> {
  return async function requireUser(c, next) {
    if (!c.get('user')) return c.json(errors.unauthenticated, 401);
    const forged = csrfProblem(c, false);
    if (forged) return c.json(forged, 403);
    return next();
  };
}

/**
 * A signed-in staff member with one of the roles: 401 when nobody is signed in, 403 otherwise. API tokens
 * never pass (they reach only endpoints guarded by requireScope), nor does a user who must first replace
 * a one-time password.
 */
export function requireRole(...allowed: Role[]): MiddlewareHandler<AppEnv> {
  return async function requireRole(c, next) {
    const user = c.get('user');
    if (!user) return c.json(errors.unauthenticated, 401);
    if (user.via !== 'session') return c.json(errors.sessionOnly, 403);
    const forged = csrfProblem(c, false);
    if (forged) return c.json(forged, 403);
    if (sessionByContext.get(c)?.mustChangePassword) return c.json(errors.mustChangePassword, 403);
    if (sessionByContext.get(c)?.needsSecondFactor) return c.json(errors.secondFactorEnrolment, 403);
    if (!allowed.includes(user.role)) return c.json(errors.forbidden, 403);
    return next();
  };
}

/**
 * A caller allowed the scope: a token granted it (and whose owner's role still allows it), or a signed-in
 * user whose role allows it (marketer, admin → stats:read; privacy, admin → privacy:read, privacy:write).
 */
export function requireScope(scope: Scope): MiddlewareHandler<AppEnv> {
  return async function requireScope(c, next) {
    const user = c.get('user');
    if (!user) return c.json(errors.unauthenticated, 401);
    const forged = csrfProblem(c, false);
    if (forged) return c.json(forged, 403);
    if (sessionByContext.get(c)?.mustChangePassword) return c.json(errors.mustChangePassword, 403);
    if (sessionByContext.get(c)?.needsSecondFactor) return c.json(errors.secondFactorEnrolment, 403);
    if (!user.scopes.includes(scope)) return c.json({ error: 'insufficient_scope', message: `this needs the ${scope} scope` }, 403);
    // requests, receipts and provisions come from the visitors of every site: the office is not split by site
    if (scope.startsWith('privacy:') && user.sites !== null) return c.json(errors.allSitesRequired, 403);
    return next();
  };
}

export interface CsrfOptions {
  /** see AuthDeps.secureCookies: `https://<host>` is then also our own origin */
  secureCookies?: boolean;
  /** paths that check their own origin and carry no session token yet */
  exempt?: readonly string[];
}

/**
 * For requests authenticated by the session cookie that change state (POST, PUT, PATCH, DELETE): the
 * Origin must be our own and `X-CSRF-Token` must equal the session's token (from login and /api/auth/me).
 * Bearer-token requests need neither: a browser never attaches those on its own.
 */
export function csrf(options: CsrfOptions = {}): MiddlewareHandler<AppEnv> {
  const exempt = new Set(options.exempt ?? ['/api/auth/login']);
  return async function csrf(c, next) {
    if (exempt.has(c.req.path)) return next();
    const forged = csrfProblem(c, options.secureCookies ?? false);
    if (forged) return c.json(forged, 403);
    return next();
  };
}
