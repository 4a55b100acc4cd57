import type { Role } from '../env.ts';

/** What an API token may be allowed to do. */
export const scopes = ['stats:read', 'privacy:read', 'privacy:write'] as const;
export type Scope = (typeof scopes)[number];

/**
 * What each role may do, as scopes. A signed-in user has their role's scopes; a token has the scopes it was
 * given, limited at every request by its owner's current role (a demoted owner's tokens lose power at once).
 */
export const roleScopes: Record<Role, readonly Scope[]> = {
  admin: ['stats:read', 'privacy:read', 'privacy:write'],
  marketer: ['stats:read'],
  privacy: ['privacy:read', 'privacy:write'],
};

export function isScope(value: string): value is Scope {
  return (scopes as readonly string[]).includes(value);
}

/** The scopes a token keeps under its owner's role. */
export function effectiveScopes(role: Role, granted: readonly string[]): Scope[] {
  return roleScopes[role].filter((s) => granted.includes(s));
}
