/** Types shared by the app's middleware and routes. */
export const roles = ['admin', 'marketer', 'privacy'] as const;
export type Role = (typeof roles)[number];

/** Who is calling: a staff member with a browser session, or an API token with scopes. */
export interface AuthUser {
  id: number;
  email: string;
  role: Role;
  via: 'session' | 'token';
  /** what the caller may do, e.g. 'stats:read': a token's scopes, or a session user's role's scopes */
  scopes: readonly string[];
  /** the sites whose data the caller may read; null: every site (server/auth/site-access.ts) */
  sites: readonly string[] | null;
}

/** The Hono environment of the app: context variables are typed here, never cast out of c.get(). */
export type AppEnv = {
  Variables: {
    user: AuthUser | null;
  };
};
