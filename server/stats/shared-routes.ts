import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import { checkSharedLink, createLoginLimiter, sharedLinkLimiterKeys } from '../auth/index.ts';
import type { SiteDirectory } from '../ingest/sites.ts';
import type { Database } from '../store/schema.ts';
import type { DialectSql } from '../store/sql.ts';
import { dimensionNames, parseDimension } from './dimensions.ts';
import { parseRange, RangeError400 } from './period.ts';
import { breakdown, summaryReport, timeseries, type StatsContext } from './queries.ts';
import { suppressBreakdown, suppressSummary } from './suppress.ts';

export interface SharedStatsDeps {
  db: Kysely<Database>;
  dialect: DialectSql;
  sites: SiteDirectory;
  clock: () => number;
  /** the policy's minimum cell size */
  minCellSize: number;
  clientAddress(c: Context): string | null;
}

/**
 * Read-only statistics behind a shared link: one site, no filters, no realtime, the policy's minimum cell
 * size applied. `X-Share-Password` opens a protected link; wrong passwords are rate-limited per link and
 * network like sign-ins.
 */
export function sharedStatsRoutes(deps: SharedStatsDeps) {
  const limiter = createLoginLimiter(deps.db);

  async function open(c: Context) {
    const token = c.req.param('token') ?? '';
    const now = deps.clock();
    const keys = sharedLinkLimiterKeys(token, deps.clientAddress(c) ?? 'unknown');
    const wait = await limiter.retryAfter(keys, now);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return c.json({ error: 'too_many_attempts', message: 'too many wrong passwords; try again later' }, 429);
    }
    const check = await checkSharedLink(deps.db, token, c.req.header('x-share-password'), now);
    if (!check.ok) {
      if (check.reason === 'wrong_password') await limiter.fail(keys, now);
      if (check.reason === 'not_found') return c.json({ error: 'not_found', message: 'no such shared link' }, 404);
      return c.json({ error: check.reason, message: 'this shared link needs its password (X-Share-Password)' }, 401);
    }
    const site = await deps.sites.get(check.siteId, now);
    if (!site) return c.json({ error: 'not_found', message: 'no such shared link' }, 404);
    if (Object.keys(c.req.query()).some((k) => k.startsWith('f.') || k.startsWith('fn.'))) {
      return c.json({ error: 'invalid_query', message: 'shared statistics cannot be filtered' }, 400);
    }
    try {
      const range = parseRange(c.req.query(), site.timezone, now);
      const ctx: StatsContext = { db: deps.db, dialect: deps.dialect, site: site.id, tz: site.timezone, filters: [] };
      return { ctx, range, site };
    } catch (err) {
      if (err instanceof RangeError400) return c.json({ error: 'invalid_query', message: err.message }, 400);
      throw err;
    }
  }

  const k = deps.minCellSize;
  return new Hono()
    .get('/api/shared/:token/summary', async (c) => {
      const r = await open(c);
      if (r instanceof Response) return r;
      const report = await summaryReport(r.ctx, r.range);
      return c.json({ site: r.site.id, range: report.range, minCellSize: k, current: suppressSummary(report.current, k), previous: suppressSummary(report.previous, k) });
    })
    .get('/api/shared/:token/timeseries', async (c) => {
      const r = await open(c);
      if (r instanceof Response) return r;
      const interval = r.range.fromDay === r.range.toDay ? 'hour' : 'day';
      return c.json({ interval, minCellSize: k, points: (await timeseries(r.ctx, r.range, interval)).map((p) => suppressSummary(p, k)) });
    })
    .get('/api/shared/:token/breakdown/:dimension', async (c) => {
      const r = await open(c);
      if (r instanceof Response) return r;
      const dim = parseDimension(c.req.param('dimension'));
      if (!dim || dim.level === 'prop') return c.json({ error: 'invalid_query', message: `dimension must be one of ${dimensionNames.filter((d) => !d.startsWith('prop')).join(', ')}` }, 400);
      return c.json({ dimension: dim.name, minCellSize: k, items: suppressBreakdown(await breakdown(r.ctx, r.range, dim, 1000), k, 20) });
    });
}
