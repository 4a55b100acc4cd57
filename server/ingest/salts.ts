import { createHmac, randomBytes } from 'node:crypto';
import { scrubDeleted } from '../store/sql.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { addDays, localDay, startOfDay } from '../time.ts';

const HOUR = 60 * 60 * 1000;
const MINUTE = 60 * 1000;
/**
 * The next salt is written this long before it takes effect. Every process reloads the salts each minute,
 * so all of them switch at the same instant and a visitor hashes alike whichever process gets the event.
 */
export const SALT_LEAD_MS = 5 * MINUTE;

/** The site a hash is for: salts turn at its local midnight. */
export interface SaltSite {
  id: string;
  timezone: string;
}

export interface VisitorHashes {
  /** under the salt of the local day `at` falls in */
  current: string;
  /** under the previous day's salt, only shortly after the turn: a visit begun before midnight continues under it */
  previous: string | undefined;
}

/**
 * Daily random salts for cookieless visitor hashes, one series per site. A salt is random (never derived
 * from the date), takes effect at the site's local midnight (`created_at`), is replaced at the next one, and
 * is deleted once the policy's salt retention (48 h by default) has passed since it took effect: after that,
 * nobody — including us — can recompute which hash belonged to which IP and user agent.
 */
export interface SaltStore {
  /** loads the salts, writing today's for every site that has none */
  load(now: number): Promise<void>;
  /** re-reads the salts another process may have written (every process, every minute) */
  refresh(): Promise<{ salts: number }>;
  /** writes each site's next salt minutes before its local midnight; deletes expired ones */
  rotate(now: number): Promise<{ created: number; deleted: number }>;
  /**
   * Keyed hashes of (site, ip, ua), in the same 22-char form as cookie ids. `previous` is filled when `at` is
   * less than `withinMs` after the turn. A promise only when the site has no salt for that day yet (a site
   * added a moment ago): it is written then, and every process agrees on it through the unique index.
   */
  visitorHashes(site: SaltSite, ip: string, ua: string, at: number, withinMs: number): VisitorHashes | Promise<VisitorHashes>;
}

interface Salt {
  secret: Buffer;
  from: number;
}

interface SiteSalts {
  /** newest first */
  salts: Salt[];
  /** the salt for [from, until) found last, so most events skip the calendar arithmetic */
  hot?: { salt: Salt; previous: Salt | undefined; until: number };
}

const hashWith = (salt: Salt, site: string, ip: string, ua: string) =>
  createHmac('sha256', salt.secret).update(`${site}\0${ip}\0${ua}`).digest().subarray(0, 16).toString('base64url');

const nextMidnight = (at: number, tz: string) => startOfDay(addDays(localDay(at, tz), 1), tz);

export function createSaltStore(db: Kysely<Database>, retentionHours: number): SaltStore {
  let known = new Map<string, SiteSalts>();
  const writing = new Map<string, Promise<void>>();

  async function refresh() {
    const rows = await db.selectFrom('salts').select(['site_id', 'secret', 'created_at']).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    const next = new Map<string, SiteSalts>();
    for (const r of rows) {
      let s = next.get(r.site_id);
      if (!s) next.set(r.site_id, (s = { salts: [] }));
      s.salts.push({ secret: Buffer.from(r.secret, 'hex'), from: Number(r.created_at) });
    }
    known = next;
    return { salts: rows.length };
  }

  /** Writes the salt taking effect at `from` unless another process already did. */
  async function write(site: string, from: number): Promise<boolean> {
    const res = await db
      .insertInto('salts')
      .values({ site_id: site, secret: randomBytes(32).toString('hex'), created_at: from })
      .onConflict((oc) => oc.columns(['site_id', 'created_at']).doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async function rotate(now: number) {
    const sites = await db.selectFrom('sites').select(['id', 'timezone']).execute();
    await refresh();
    // only salts not known yet are written: a minute's run costs one read when every site has its salts
    const has = (site: string, from: number) => known.get(site)?.salts.some((x) => x.from === from) ?? false;
    let created = 0;
    for (const site of sites) {
      const today = startOfDay(localDay(now, site.timezone), site.timezone);
      if (!has(site.id, today) && (await write(site.id, today))) created++;
      const next = nextMidnight(now, site.timezone);
      if (next - now <= SALT_LEAD_MS && !has(site.id, next) && (await write(site.id, next))) created++;
    }
    // deleted once the retention has passed since they took effect; the salt in effect always stays
    const cutoff = now - Math.max(retentionHours, 25) * HOUR;
    const res = await db.deleteFrom('salts').where('created_at', '<=', cutoff).executeTakeFirst();
    // a deleted salt must not stay readable in the WAL: with it, old hashes could be recomputed
    if (Number(res.numDeletedRows) > 0) await scrubDeleted(db);
    await refresh();
    return { created, deleted: Number(res.numDeletedRows) };
  }

  /** The salt in effect at `at` and the one before it, or undefined when the day's salt is not known here. */
  function lookup(site: SaltSite, at: number): SiteSalts['hot'] {
    const s = known.get(site.id);
    if (!s) return undefined;
    if (s.hot && s.hot.salt.from <= at && at < s.hot.until) return s.hot;
    const dayStart = startOfDay(localDay(at, site.timezone), site.timezone);
    const i = s.salts.findIndex((x) => x.from <= at);
    const salt = s.salts[i];
    if (!salt || salt.from < dayStart) return undefined;
    const previous = s.salts[i + 1];
    const hot = { salt, previous, until: Math.min(nextMidnight(at, site.timezone), s.salts[i - 1]?.from ?? Infinity) };
    s.hot = hot;
    return hot;
  }

  function hashes(hot: NonNullable<SiteSalts['hot']>, site: SaltSite, ip: string, ua: string, at: number, withinMs: number): VisitorHashes {
    const previous = hot.previous && at - hot.salt.from < withinMs ? hashWith(hot.previous, site.id, ip, ua) : undefined;
    return { current: hashWith(hot.salt, site.id, ip, ua), previous };
  }

  return {
    async load(now) {
      await rotate(now);
    },
    refresh,
    rotate,
    visitorHashes(site, ip, ua, at, withinMs) {
      const hot = lookup(site, at);
      if (hot) return hashes(hot, site, ip, ua, at, withinMs);
      const from = startOfDay(localDay(at, site.timezone), site.timezone);
      const key = `${site.id}\0${from}`;
      let pending = writing.get(key);
      if (!pending) {
        pending = write(site.id, from)
          .then(() => refresh())
          .then(() => undefined)
          .finally(() => writing.delete(key));
        writing.set(key, pending);
      }
      return pending.then(() => {
        const found = lookup(site, at);
        if (!found) throw new Error(`no salt for site ${site.id}`);
        return hashes(found, site, ip, ua, at, withinMs);
      });
    },
  };
}
