import type { MiddlewareHandler } from 'hono';
import type { AppEnv, AuthUser, Role } from '../env.ts';

/**
 * Per-site access, for group companies whose marketers each look after one site: users and API tokens are
 * granted sites (null: all; admins always all). A site the caller may not read answers exactly like a site
 * that does not exist, so the list of sites does not leak either.
 */
export function parseSites(json: string | null): string[] | null {
  if (json === null) return null;
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

/** What a caller may read: a token never more than its owner. */
export function grantedSites(role: Role, userSites: string | null, tokenSites?: string | null): readonly string[] | null {
  if (role === 'admin' && tokenSites == null) return null;
  const own = role === 'admin' ? null : parseSites(userSites);
  const token = tokenSites == null ? null : parseSites(tokenSites);
  if (own === null) return token;
  if (token === null) return own;
  return own.filter((s) => token.includes(s));
}

export function mayReadSite(user: Pick<AuthUser, 'sites'> | null | undefined, site: string): boolean {
  return !!user && (user.sites === null || user.sites.includes(site));
}

export const siteNotFound = { error: 'not_found', message: 'no such site' } as const;

/** For routes under `/…/:site/…`: 404 unless the caller may read that site. */
export function requireSiteAccess(): MiddlewareHandler<AppEnv> {
  return async function requireSiteAccess(c, next) {
    if (!mayReadSite(c.get('user'), c.req.param('site') ?? '')) return c.json(siteNotFound, 404);
    return next();
  };
}
