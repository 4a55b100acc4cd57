import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface SiteSpec {
  id: string;
  hosts: string[];
  timezone?: string;
}

const hostPattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * The hosts a domain's tracker may send from. Subdomains of a listed host are accepted anyway, so
 * `www.example.com` is stored as `example.com` and covers both.
 */
export function hostsForDomain(domain: string, aliases: string[] = []): string[] {
  const d = domain.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/[/:].*$/, '').replace(/^www\./, '');
  return [...new Set([d, ...aliases.map((a) => a.trim().toLowerCase())])];
}

export function validateSite(spec: SiteSpec): string | null {
  if (!/^[a-z0-9][a-z0-9.-]{0,127}$/.test(spec.id)) return `site id "${spec.id}" must be lower-case letters, digits, dots and dashes`;
  const bad = spec.hosts.find((h) => !hostPattern.test(h) && !/^\d{1,3}(\.\d{1,3}){3}$/.test(h));
  if (bad) return `"${bad}" is not a host name`;
  if (spec.timezone) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: spec.timezone });
    } catch {
      return `"${spec.timezone}" is not an IANA time zone`;
    }
  }
  return null;
}

/** Creates a site, or updates its hosts and time zone if it exists. */
export async function upsertSite(db: Kysely<Database>, spec: SiteSpec, now: number): Promise<void> {
  const problem = validateSite(spec);
  if (problem) throw new Error(problem);
  const row = { id: spec.id, domains: JSON.stringify(spec.hosts), timezone: spec.timezone ?? 'Asia/Tokyo', created_at: now };
  await db
    .insertInto('sites')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ domains: row.domains, timezone: row.timezone }))
    .execute();
}

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
