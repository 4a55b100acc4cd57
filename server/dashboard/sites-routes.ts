/**
 * GET /api/sites: the sites whose statistics the caller may read, for the dashboard's site switcher.
 * Mount with `app.route('/', sitesRoutes({ db, clock }))`. It brings its own authenticate() (a no-op when the
 * app already ran it) so it also works mounted alone, and requireScope('stats:read') like the stats API.
 */
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { authenticate, mayReadSite, requireScope } from '../auth/index.ts';
import type { AppEnv } from '../env.ts';
import type { SiteInfo } from '../store/sites.ts';
import type { Database } from '../store/schema.ts';

export interface SitesRoutesDeps {
  db: Kysely<Database>;
  clock: () => number;
  secureCookies?: boolean;
}

function hostsOf(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((h): h is string => typeof h === 'string') : [];
  } catch {
    return [];
  }
}

export function sitesRoutes(deps: SitesRoutesDeps) {
  return new Hono<AppEnv>().get('/api/sites', authenticate(deps), requireScope('stats:read'), async function listSites(c) {
    const rows = await deps.db.selectFrom('sites').select(['id', 'domains', 'timezone']).orderBy('id').execute();
    const sites: SiteInfo[] = rows.filter((r) => mayReadSite(c.get('user'), r.id)).map((r) => ({ id: r.id, hosts: hostsOf(r.domains), timezone: r.timezone }));
    c.header('Cache-Control', 'no-store');
    return c.json({ sites }, 200);
  });
}

export type SitesApp = ReturnType<typeof sitesRoutes>;
