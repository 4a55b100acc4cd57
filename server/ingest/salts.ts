import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Daily random salts for cookieless visitor hashes. A salt is random (never derived from the date), it is
 * replaced every 24 h, and deleted once it is older than the policy's salt retention (48 h by default):
 * after that, nobody — including us — can recompute which hash belonged to which IP and user agent.
 */
export interface SaltStore {
  /** loads the current salt, creating one if none is fresh */
  load(now: number): Promise<void>;
  /** creates a new salt when the current one is a day old; deletes expired ones; returns what it did */
  rotate(now: number): Promise<{ created: boolean; deleted: number }>;
  /** keyed hash of (site, ip, ua) under the current salt, in the same 22-char form as cookie ids */
  visitorHash(site: string, ip: string, ua: string): string;
}

export function createSaltStore(db: Kysely<Database>, retentionHours: number): SaltStore {
  let current: Buffer | null = null;

  async function refresh(): Promise<{ created_at: number } | undefined> {
    const row = await db.selectFrom('salts').select(['secret', 'created_at']).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    current = row ? Buffer.from(row.secret, 'hex') : null;
    return row;
  }

  async function rotate(now: number) {
    const newest = await refresh();
    let created = false;
    if (!newest || Number(newest.created_at) <= now - DAY) {
      await db.insertInto('salts').values({ secret: randomBytes(32).toString('hex'), created_at: now }).execute();
      created = true;
      await refresh();
    }
    const keepAfter = now - retentionHours * 60 * 60 * 1000;
    const res = await db
      .deleteFrom('salts')
      .where('created_at', '<=', keepAfter)
      .where('id', 'not in', db.selectFrom('salts').select('id').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1))
      .executeTakeFirst();
    return { created, deleted: Number(res.numDeletedRows) };
  }

  return {
    async load(now) {
      await rotate(now);
    },
    rotate,
    visitorHash(site, ip, ua) {
      if (!current) throw new Error('salt store not loaded');
      return createHmac('sha256', current).update(`${site}\0${ip}\0${ua}`).digest().subarray(0, 16).toString('base64url');
    },
  };
}
