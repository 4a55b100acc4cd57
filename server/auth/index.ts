/** The auth module's public surface: what app.ts, the CLI, the jobs and the stats API use. */
export type { AuthDeps } from './deps.ts';
export { authRoutes } from './routes.ts';
export { authenticate, csrf, requireRole, requireScope, requireUser, sessionOf } from './middleware.ts';
export { roleScopes, scopes, type Scope } from './scopes.ts';
export { addUser, ensureAdmin, findUserByEmail, resetPassword, type AddedUser, type NewUser, type PublicUser } from './users.ts';
export { checkSharedLink, createSharedLink, resolveSharedLink, type SharedLinkCheck } from './shared-links.ts';
export { createLoginLimiter, defaultLoginLimits, limiterKeys, sharedLinkLimiterKeys, type LimiterKeys, type LoginLimits } from './login-limiter.ts';
export { pruneAuth } from './prune.ts';
export { userAddCommand, userListCommand, userResetCommand } from './cli.ts';
export { AuthError } from './errors.ts';
export type { Me } from './session-routes.ts';
export { grantedSites, mayReadSite, requireSiteAccess, siteNotFound } from './site-access.ts';
