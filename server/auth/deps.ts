import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import type { Role } from '../env.ts';
import type { Logger } from '../log.ts';
import type { Database } from '../store/schema.ts';
import type { LoginLimits } from './login-limiter.ts';

/** Everything the auth routes and middleware need, passed in. */
export interface AuthDeps {
  db: Kysely<Database>;
  clock: () => number;
  log: Logger;
  /**
   * The public URL is https even if this process sees http (TLS ends at a proxy): cookies get `Secure`
   * and `https://<host>` counts as the request's own origin. Requests that arrive over https always do.
   */
  secureCookies?: boolean;
  /** the client's address (trusted-proxy aware) for per-network sign-in limits; only its truncation is stored */
  clientIp?: (c: Context) => string | null | undefined;
  loginLimits?: LoginLimits;
  /** roles that must sign in with a second factor (the policy's staff.secondFactorRoles); none when absent */
  secondFactorRoles?: readonly Role[];
  /** appends to the staff audit log (server/privacy/audit.ts `audit`); app.ts passes it */
  audit?: (actor: { id: number; label: string }, action: string, details?: Record<string, string | number | boolean | null>) => Promise<unknown>;
}

/** A staff action: one log line and one entry in the hash-chained audit log (when the app wires one). */
export async function recordStaffAction(
  deps: AuthDeps,
  actor: { id: number; email: string },
  action: string,
  message: string,
  details: Record<string, string | number | boolean | null>,
): Promise<void> {
  deps.log('info', message, details);
  await deps.audit?.({ id: actor.id, label: actor.email }, action, details);
}
