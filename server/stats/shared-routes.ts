import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import { checkSharedLink, createLoginLimiter, sharedLinkLimiterKeys } from '../auth/index.ts';
import type { SiteDirectory } from '../store/sites.ts';
import type { Database } from '../store/schema.ts';
import type { DialectSql } from '../store/sql.ts';
import { dimensionNames, parseDimension } from './dimensions.ts';
import { parseRange, RangeError400 } from './period.ts';
import { loadNoise, type NoiseSource } from './noise.ts';
import { publishedBreakdown, publishedSummary, publishedTimeseries, type PublishedInterval, type PublishRules } from './published.ts';
import { publishedBreakdownCsv, publishedSeriesCsv } from './published-csv.ts';
import type { StatsContext } from './queries.ts';
import type { PublishMethod, SharedBreakdown, SharedSummaryReport, SharedTimeseries } from './wire.ts';

export interface SharedStatsDeps {
  db: Kysely<Database>;
  dialect: DialectSql;
  sites: SiteDirectory;
  clock: () => number;
  /** the policy's statistics rules: minimum cell size k, optional differential privacy */
  statistics: { minCellSize: number; differentialPrivacy: { enabled: boolean; epsilon: number } };
  clientAddress(c: Context): string | null;
}

/**
 * Read-only statistics behind a shared link: one site, no filters, no realtime, published statistics only
 * (published.ts: minimum cell size with secondary suppression, or differential privacy). `X-Share-Password` opens a protected link; wrong passwords are rate-limited per link and
 * network like sign-ins.
 */
export function sharedStatsRoutes(deps: SharedStatsDeps) {
  const limiter = createLoginLimiter(deps.db);

  async function open(c: Context) {
    const token = c.req.param('token') ?? '';
    const now = deps.clock();
    const password = c.req.header('x-share-password');
    const keys = sharedLinkLimiterKeys(token, deps.clientAddress(c) ?? 'unknown');
    const tooMany = (wait: number) => {
      c.header('Retry-After', String(wait));
      return c.json({ error: 'too_many_attempts', message: 'too many wrong passwords; try again later' }, 429);
    };
    // Viewers of a link send its password with every request, many at once: only a wrong password is
    // recorded, atomically, and a blocked link refuses right passwords too (no oracle while blocked).
    if (password !== undefined) {
      const wait = await limiter.wait(keys, now);
      if (wait > 0) return tooMany(wait);
    }
    const check = await checkSharedLink(deps.db, token, password, now);
    if (!check.ok && check.reason === 'wrong_password') {
      const { wait, attempt } = await limiter.reserve(keys, now);
      if (!attempt) return tooMany(wait);
    }
    if (!check.ok) {
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

  const k = deps.statistics.minCellSize;
  const dpConfig = deps.statistics.differentialPrivacy;
  let noise: Promise<NoiseSource> | undefined;
  const rules = async (): Promise<PublishRules> =>
    dpConfig.enabled ? { k, now: deps.clock(), dp: { epsilon: dpConfig.epsilon, noise: await (noise ??= loadNoise(deps.db)) } } : { k, now: deps.clock() };
  const method: PublishMethod = dpConfig.enabled ? { method: 'differential-privacy', epsilon: dpConfig.epsilon } : { method: 'minimum-cell-size' };
  const intervalOf = (c: Context): PublishedInterval | null => {
    const i = c.req.query('interval') ?? 'day';
    return i === 'day' || i === 'week' || i === 'month' ? i : null;
  };
  const badInterval = (c: Context) => c.json({ error: 'invalid_query', message: 'interval must be day, week or month' }, 400);
  const dimensionOf = (name: string) => {
    const dim = parseDimension(name);
    return dim && dim.level !== 'prop' ? dim : null;
  };
  const badDimension = (c: Context) =>
    c.json({ error: 'invalid_query', message: `dimension must be one of ${dimensionNames.filter((d) => !d.startsWith('prop')).join(', ')}` }, 400);

  return new Hono()
    .get('/api/shared/:token/summary', async (c) => {
      const r = await open(c);
      if (r instanceof Response) return r;
      const report = await publishedSummary(r.ctx, r.range, await rules());
      return c.json<SharedSummaryReport, 200>({ site: r.site.id, minCellSize: k, ...method, visitorsAre: 'daily-unique-summed', ...report }, 200);
    })
    .get('/api/shared/:token/timeseries', async (c) => {
      const r = await open(c);
      if (r instanceof Response) return r;
      const interval = intervalOf(c);
      if (!interval) return badInterval(c);
      return c.json<SharedTimeseries, 200>({ interval, minCellSize: k, ...method, points: await publishedTimeseries(r.ctx, r.range, interval, await rules()) }, 200);
    })
    .get('/api/shared/:token/breakdown/:dimension', async (c) => {
      const r = await open(c);
      if (r instanceof Response) return r;
      const dim = dimensionOf(c.req.param('dimension'));
      if (!dim) return badDimension(c);
      return c.json<SharedBreakdown, 200>({ dimension: dim.name, minCellSize: k, ...method, items: await publishedBreakdown(r.ctx, r.range, dim, await rules(), 20) }, 200);
    })
    .get('/api/shared/:token/export.csv', async (c) => {
      const r = await open(c);
      if (r instanceof Response) return r;
      const report = c.req.query('report') ?? 'timeseries';
      let csv: string;
      if (report === 'timeseries') {
        const interval = intervalOf(c);
        if (!interval) return badInterval(c);
        csv = publishedSeriesCsv(await publishedTimeseries(r.ctx, r.range, interval, await rules()));
      } else {
        const dim = dimensionOf(report);
        if (!dim) return badDimension(c);
        csv = publishedBreakdownCsv(dim.name, await publishedBreakdown(r.ctx, r.range, dim, await rules(), 1000));
      }
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="${r.site.id}-${report}-${r.range.fromDay}-${r.range.toDay}.csv"`);
      return c.body(csv);
    });
}
