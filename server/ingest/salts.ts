import { createHmac, randomBytes } from 'node:crypto';
import { scrubDeleted } from '../store/sql.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60 * 1000;
/**
 * The next salt is written this long before it takes effect. Every process reloads the salts each minute,
 * so all of them switch at the same instant and a visitor hashes alike whichever process gets the event.
 */
export const SALT_LEAD_MS = 5 * MINUTE;

/**
 * Daily random salts for cookieless visitor hashes. A salt is random (never derived from the date), it is
 * replaced every 24 h, and deleted once it has been in effect longer than the policy's salt retention (48 h
 * by default): after that, nobody — including us — can recompute which hash belonged to which IP and user
 * agent. `created_at` is the moment a salt takes effect.
 */
export interface SaltStore {
  /** loads the salts, creating the first one if none is fresh */
  load(now: number): Promise<void>;
  /** re-reads the salts another process may have written (every process, every minute) */
  refresh(): Promise<{ salts: number }>;
  /** writes the next salt ahead of time when the current one nears a day; deletes expired ones */
  rotate(now: number): Promise<{ created: boolean; deleted: number }>;
  /** keyed hash of (site, ip, ua) under the salt in effect at `at`, in the same 22-char form as cookie ids */
  visitorHash(site: string, ip: string, ua: string, at: number): string;
}

interface Salt {
  secret: Buffer;
  from: number;
}

export function createSaltStore(db: Kysely<Database>, retentionHours: number): SaltStore {
  /** newest first: the next salt (if already written) and the one in effect */
  let known: Salt[] = [];

  async function refresh() {
    const rows = await db.selectFrom('salts').select(['secret', 'created_at']).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(2).execute();
    known = rows.map((r) => ({ secret: Buffer.from(r.secret, 'hex'), from: Number(r.created_at) }));
    return { salts: known.length };
  }

  async function rotate(now: number) {
    await refresh();
    const newest = known[0];
    let created = false;
    if (!newest || newest.from <= now + SALT_LEAD_MS - DAY) {
      // whole minutes, and the day after the last one: processes racing to write the same salt agree on its
      // time, and the unique index on created_at keeps exactly one of them
      const from = Math.max(Math.floor(now / MINUTE) * MINUTE, newest ? newest.from + DAY : 0);
      const res = await db
        .insertInto('salts')
        .values({ secret: randomBytes(32).toString('hex'), created_at: from })
        .onConflict((oc) => oc.column('created_at').doNothing())
        .executeTakeFirst();
      created = Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
      await refresh();
    }
    const keepAfter = now - retentionHours * 60 * 60 * 1000;
    const inEffect = db.selectFrom('salts').select('id').where('created_at', '<=', now).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1);
    const res = await db.deleteFrom('salts').where('created_at', '<=', keepAfter).where('id', 'not in', inEffect).executeTakeFirst();
    // a deleted salt must not stay readable in the WAL: with it, old hashes could be recomputed
    if (Number(res.numDeletedRows) > 0) await scrubDeleted(db);
    return { created, deleted: Number(res.numDeletedRows) };
  }

  return {
    async load(now) {
      await rotate(now);
    },
    refresh,
    rotate,
    visitorHash(site, ip, ua, at) {
      const salt = known.find((s) => s.from <= at) ?? known[known.length - 1];
      if (!salt) throw new Error('salt store not loaded');
      return createHmac('sha256', salt.secret).update(`${site}\0${ip}\0${ua}`).digest().subarray(0, 16).toString('base64url');
    },
  };
}
