import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { truncateIp } from '../http/ip.ts';
import { sha256 } from './secrets.ts';
import { lockKey } from '../store/sql.ts';

/**
 * Failed sign-ins are counted in the database (`login_attempts`), not in memory: a restart does not wipe the
 * count, and N processes behind a load balancer share one limit instead of granting N times the guesses.
 * Each attempt is written before its password is checked and given back when it was right, so the cost is one
 * small insert per attempt and a delete per success.
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

/** `net:` for staff sign-in, `linknet:` for shared links: guessing at a link must not lock staff out of their network. */
function networkKey(prefix: 'net' | 'linknet', clientIp: string | null | undefined): string | null {
  const net = clientIp ? truncateIp(clientIp) : null;
  return net ? `${prefix}:${net}` : null;
}

/** Keys for a sign-in (or a password change) with this email address. */
export function limiterKeys(email: string, clientIp: string | null | undefined): LimiterKeys {
  return { account: `email:${sha256(email)}`, network: networkKey('net', clientIp) };
}

/** Keys for a password-protected shared link (for the stats API's password form). */
export function sharedLinkLimiterKeys(token: string, clientIp: string | null | undefined): LimiterKeys {
  return { account: `link:${sha256(token)}`, network: networkKey('linknet', clientIp) };
}

/** A reserved attempt: a wrong password keeps the reservation as a failure, a right one gives it back. */
export interface Attempt {
  succeeded(): Promise<void>;
  /** neither a success nor a failure (a right password still waiting for its second factor): only this reservation goes */
  release(): Promise<void>;
}

export type Reservation = { wait: number; attempt?: undefined } | { wait: 0; attempt: Attempt };

export function createLoginLimiter(db: Kysely<Database>, limits: LoginLimits = defaultLoginLimits) {
  const keyLimits = (keys: LimiterKeys) =>
    [[keys.account, limits.perAccount], [keys.network, limits.perNetwork]].filter((k): k is [string, number] => k[0] !== null);

  /** Seconds until the attempts recorded under these keys leave room for one more; 0 when there is room now. */
  async function secondsBlocked(q: Kysely<Database>, checked: [string, number][], now: number): Promise<number> {
    let wait = 0;
    for (const [key, max] of checked) {
      const at = (await q.selectFrom('login_attempts').select('at').where('key', '=', key).where('at', '>', now - limits.windowMs).orderBy('at').execute()).map((r) => Number(r.at));
      if (at.length >= max) wait = Math.max(wait, at[at.length - max]! + limits.windowMs - now);
    }
    return wait > 0 ? Math.max(1, Math.ceil(wait / 1000)) : 0;
  }

  return {
    /** Seconds until another attempt may be made (0: now), without recording anything. */
    async wait(keys: LimiterKeys, now: number): Promise<number> {
      return secondsBlocked(db, keyLimits(keys), now);
    },
    /**
     * Counts and records the attempt in one step, before the slow password hash: N requests arriving at
     * once cannot all pass a check that only the finished ones would have updated. The row stays as the
     * failure unless `succeeded()` is called. On PostgreSQL several processes share the table, so the
     * keys are locked for the transaction; SQLite has one connection, which the transaction holds.
     */
    async reserve(keys: LimiterKeys, now: number): Promise<Reservation> {
      const checked = keyLimits(keys);
      return db.transaction().execute(async (trx) => {
        for (const [key] of checked) await lockKey(trx, key);
        const wait = await secondsBlocked(trx, checked, now);
        if (wait > 0) return { wait };
        const ids: number[] = [];
        for (const [key] of checked) {
          const row = await trx.insertInto('login_attempts').values({ key, at: now }).returning('id').executeTakeFirstOrThrow();
          ids.push(Number(row.id));
        }
        const attempt: Attempt = {
          async release() {
            await db.deleteFrom('login_attempts').where('id', 'in', ids).execute();
          },
          // A success forgets the account's failures, not the network's (only its own reservation): otherwise
          // one known password would reset the count while guessing at other accounts.
          async succeeded() {
            await db.transaction().execute(async (t) => {
              await t.deleteFrom('login_attempts').where('id', 'in', ids).execute();
              await t.deleteFrom('login_attempts').where('key', '=', keys.account).execute();
            });
          },
        };
        return { wait: 0 as const, attempt };
      });
    },
  };
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
