/** Types shared by the app's middleware and routes. */
export const roles = ['admin', 'marketer', 'privacy'] as const;
export type Role = (typeof roles)[number];

/** Who is calling: a staff member with a browser session, or an API token with scopes. */
export interface AuthUser {
  id: number;
  email: string;
  role: Role;
  via: 'session' | 'token';
  /** for API tokens: what the token may do, e.g. 'stats:read' */
  scopes: readonly string[];
}

/** The Hono environment of the app: context variables are typed here, never cast out of c.get(). */
export type AppEnv = {
  Variables: {
    user: AuthUser | null;
  };
};
