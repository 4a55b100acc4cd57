import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

export interface SiteInfo {
  id: string;
  hosts: readonly string[];
  timezone: string;
}

/**
 * Site lookups on the hot path. Known sites are cached; an unknown id is remembered briefly so a flood of
 * events for a site that does not exist cannot turn into a flood of queries.
 */
export interface SiteDirectory {
  get(id: string, now: number): Promise<SiteInfo | null>;
  invalidate(): void;
}

export function createSiteDirectory(db: Kysely<Database>, negativeTtlMs = 10_000): SiteDirectory {
  const known = new Map<string, SiteInfo>();
  const missing = new Map<string, number>();
  return {
    async get(id, now) {
      const hit = known.get(id);
      if (hit) return hit;
      const missedAt = missing.get(id);
      if (missedAt !== undefined && now - missedAt < negativeTtlMs) return null;
      const row = await db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) {
        if (missing.size > 10_000) missing.clear();
        missing.set(id, now);
        return null;
      }
      const info: SiteInfo = { id: row.id, hosts: parseHosts(row.domains), timezone: row.timezone };
      known.set(id, info);
      return info;
    },
    invalidate() {
      known.clear();
      missing.clear();
    },
  };
}

function parseHosts(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((h): h is string => typeof h === 'string') : [];
}

/** A host is allowed when it is one of the site's hosts or a subdomain of one. */
export function hostAllowed(host: string, hosts: readonly string[]): boolean {
  return hosts.some((h) => host === h || host.endsWith(`.${h}`));
}
