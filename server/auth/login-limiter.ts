import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { truncateIp } from '../http/ip.ts';
import { sha256 } from './secrets.ts';

/**
 * Failed sign-ins are counted in the database (`login_attempts`), not in memory: a restart does not wipe the
 * count, and N processes behind a load balancer share one limit instead of granting N times the guesses.
 * Only failures are written, so the cost is one small insert per wrong password.
 *
 * Two keys per attempt: the account (SHA-256 of the email address, since people type passwords into the
 * email field) and the client's network (the address truncated like at ingest: /24, /48; the full address
 * is never stored). A network may fail more often than one account, because an office NAT is many people.
 */
export interface LoginLimits {
  windowMs: number;
  perAccount: number;
  perNetwork: number;
}

export const defaultLoginLimits: LoginLimits = { windowMs: 15 * 60 * 1000, perAccount: 5, perNetwork: 20 };

export interface LimiterKeys {
  account: string;
  network: string | null;
}

function networkKey(clientIp: string | null | undefined): string | null {
  const net = clientIp ? truncateIp(clientIp) : null;
  return net ? `net:${net}` : null;
}

/** Keys for a sign-in (or a password change) with this email address. */
export function limiterKeys(email: string, clientIp: string | null | undefined): LimiterKeys {
  return { account: `email:${sha256(email)}`, network: networkKey(clientIp) };
}

/** Keys for a password-protected shared link (for the stats API's password form). */
export function sharedLinkLimiterKeys(token: string, clientIp: string | null | undefined): LimiterKeys {
  return { account: `link:${sha256(token)}`, network: networkKey(clientIp) };
}

export function createLoginLimiter(db: Kysely<Database>, limits: LoginLimits = defaultLoginLimits) {
  async function failures(key: string, now: number) {
    const rows = await db
      .selectFrom('login_attempts')
      .select('at')
      .where('key', '=', key)
      .where('at', '>', now - limits.windowMs)
      .orderBy('at')
      .execute();
    return rows.map((r) => Number(r.at));
  }

  return {
    /** seconds until the next attempt may be made, or 0 when it may be made now */
    async retryAfter(keys: LimiterKeys, now: number): Promise<number> {
      let wait = 0;
      for (const [key, max] of [[keys.account, limits.perAccount], [keys.network, limits.perNetwork]] as const) {
        if (!key) continue;
        const at = await failures(key, now);
        // blocked until enough failures have left the window to leave room for one more
        if (at.length >= max) wait = Math.max(wait, at[at.length - max]! + limits.windowMs - now);
      }
      return wait > 0 ? Math.ceil(wait / 1000) : 0;
    },

    async fail(keys: LimiterKeys, now: number): Promise<void> {
      const rows = [{ key: keys.account, at: now }];
      if (keys.network) rows.push({ key: keys.network, at: now });
      await db.insertInto('login_attempts').values(rows).execute();
    },

    /**
     * A success forgets the account's failures, not the network's: otherwise one known password would reset
     * the count while guessing at other accounts.
     */
    async succeed(keys: Pick<LimiterKeys, 'account'>): Promise<void> {
      await db.deleteFrom('login_attempts').where('key', '=', keys.account).execute();
    },
  };
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
