import { Hono, type Context } from 'hono';
import type { SiteDirectory, SiteInfo } from '../ingest/sites.ts';
import type { EventStore } from '../store/events/event-store.ts';
import type { AppEnv } from '../env.ts';
import { toCsv } from './csv.ts';
import { dimensionNames, FilterError, parseDimension, parseFilters } from './dimensions.ts';
import { parseRange, RangeError400, type Range } from './period.ts';
import type { Interval } from './queries.ts';
import { breakdown, realtime, summaryReport, timeseries, type ReportScope } from './reports.ts';

export interface StatsDeps {
  events: EventStore;
  sites: SiteDirectory;
  clock: () => number;
}

const intervals: readonly Interval[] = ['hour', 'day', 'week', 'month'];

class BadRequest extends Error {}

function query(c: Context): Record<string, string> {
  return c.req.query();
}

/** Statistics of one site: aggregates only, never a row about a visitor. Mounted behind the auth checks. */
export function statsRoutes(deps: StatsDeps) {
  async function context(c: Context<AppEnv>): Promise<{ ctx: ReportScope; range: Range; site: SiteInfo } | Response> {
    const site = await deps.sites.get(c.req.param('site') ?? '', deps.clock());
    if (!site) return c.json({ error: 'unknown_site', message: `no site "${c.req.param('site')}"` }, 404);
    try {
      const q = query(c);
      const range = parseRange(q, site.timezone, deps.clock());
      const ctx: ReportScope = { site: site.id, tz: site.timezone, filters: parseFilters(q) };
      return { ctx, range, site };
    } catch (err) {
      if (err instanceof RangeError400 || err instanceof FilterError) return c.json({ error: 'invalid_query', message: err.message }, 400);
      throw err;
    }
  }

  function intervalOf(c: Context, range: Range): Interval {
    const requested = c.req.query('interval');
    if (requested === undefined) return range.fromDay === range.toDay ? 'hour' : range.to - range.from > 100 * 86_400_000 ? 'month' : 'day';
    if (!intervals.includes(requested as Interval)) throw new BadRequest(`interval must be one of ${intervals.join(', ')}`);
    if (requested === 'hour' && range.to - range.from > 31 * 86_400_000) throw new BadRequest('hourly series are limited to 31 days');
    return requested as Interval;
  }

  function limitOf(c: Context): number {
    const raw = c.req.query('limit') ?? '10';
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new BadRequest('limit must be a whole number from 1 to 1000');
    return n;
  }

  const app = new Hono<AppEnv>()
    .get('/:site/summary', async (c) => {
      const r = await context(c);
      if (r instanceof Response) return r;
      return c.json(await summaryReport(deps.events, r.ctx, r.range));
    })
    .get('/:site/timeseries', async (c) => {
      const r = await context(c);
      if (r instanceof Response) return r;
      const interval = intervalOf(c, r.range);
      return c.json({ interval, points: await timeseries(deps.events, r.ctx, r.range, interval) });
    })
    .get('/:site/breakdown/:dimension', async (c) => {
      const r = await context(c);
      if (r instanceof Response) return r;
      const dim = parseDimension(c.req.param('dimension'));
      if (!dim) return c.json({ error: 'invalid_query', message: `unknown dimension; use one of ${dimensionNames.join(', ')}` }, 400);
      return c.json({ dimension: dim.name, items: await breakdown(deps.events, r.ctx, r.range, dim, limitOf(c)) });
    })
    .get('/:site/realtime', async (c) => {
      const r = await context(c);
      if (r instanceof Response) return r;
      return c.json(await realtime(deps.events, r.ctx, deps.clock()));
    })
    .get('/:site/export.csv', async (c) => {
      const r = await context(c);
      if (r instanceof Response) return r;
      const report = c.req.query('report') ?? 'timeseries';
      let csv: string;
      if (report === 'timeseries') {
        const points = await timeseries(deps.events, r.ctx, r.range, intervalOf(c, r.range));
        csv = toCsv(
          ['date', 'visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration_s'],
          points.map((p) => [p.date, p.visitors, p.visits, p.pageviews, p.viewsPerVisit, p.bounceRate, p.visitDuration]),
        );
      } else {
        const dim = parseDimension(report);
        if (!dim) return c.json({ error: 'invalid_query', message: `report must be timeseries or a dimension: ${dimensionNames.join(', ')}` }, 400);
        const items = await breakdown(deps.events, r.ctx, r.range, dim, Math.min(limitOf(c) * 100, 1000));
        csv = toCsv(
          [dim.name, 'visitors', 'visits', 'pageviews', 'events', 'bounce_rate', 'visit_duration_s'],
          items.map((i) => [i.value ?? '(none)', i.visitors, i.visits, i.pageviews, i.events, i.bounceRate ?? '', i.visitDuration ?? '']),
        );
      }
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="${r.site.id}-${report}-${r.range.fromDay}-${r.range.toDay}.csv"`);
      return c.body(csv);
    });

  app.onError((err, c) => {
    if (err instanceof BadRequest) return c.json({ error: 'invalid_query', message: err.message }, 400);
    throw err;
  });
  return app;
}
