/**
 * npm run bench:query — overview queries of the stats API on generated data: 30 days of a corporate site at
 * about 1 M and 10 M events (BENCH_QUERY_SIZES to change), rolled up as the job would, then the queries a
 * dashboard overview makes, each run 40 times after one unmeasured round: p50 / p95 per query and for the whole overview.
 * A benchmark, not a test. The 10 M leg takes several minutes to generate.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoEvents } from '../../server/demo/generate.ts';
import { rollupAll } from '../../server/jobs/rollup.ts';
import { commitEvents } from '../../server/ingest/writer.ts';
import { parseDimension } from '../../server/stats/dimensions.ts';
import { parseRange } from '../../server/stats/period.ts';
import { breakdown, summaryReport, timeseries, type StatsContext } from '../../server/stats/queries.ts';
import { createDb, type Store } from '../../server/store/db.ts';
import type { NewEvent } from '../../server/store/schema.ts';
import { upsertSite } from '../../server/store/sites.ts';

const sizes = (process.env.BENCH_QUERY_SIZES ?? '1000000,10000000').split(',').map(Number);
const RUNS = 40;
// the demo generator makes about 52.5 events per weekday visitor over 30 days (measured: 1,358,487 events for 38.6)
const EVENTS_PER_VISITOR_PER_WEEKDAY = 52.5;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function generate(store: Store, target: number, now: number) {
  await upsertSite(store.db, { id: 'bench', hosts: ['localhost'] }, now);
  let t = performance.now();
  let batch: NewEvent[] = [];
  let n = 0;
  for (const row of demoEvents({ siteId: 'bench', days: 30, now, visitorsPerWeekday: Math.round(target / EVENTS_PER_VISITOR_PER_WEEKDAY) })) {
    batch.push(row);
    if (batch.length === 20_000) {
      await commitEvents(store.db, store.dialect, batch);
      n += batch.length;
      batch = [];
    }
  }
  await commitEvents(store.db, store.dialect, batch);
  n += batch.length;
  console.log(`\n${n.toLocaleString('en')} events over 30 days: generated in ${((performance.now() - t) / 1000).toFixed(0)} s`);
}

async function rollUp(store: Store, now: number) {
  const t = performance.now();
  const { hours } = await rollupAll(store.db, store.dialect, now, 10_000);
  console.log(`rolled up ${hours} hours in ${((performance.now() - t) / 1000).toFixed(0)} s (${((performance.now() - t) / Math.max(hours, 1)).toFixed(0)} ms an hour)`);
}

/**
 * BENCH_QUERY_KEEP=DIR keeps each leg's database as DIR/<size>.sqlite and reuses it on the next run, so the
 * queries can be measured again (on a quiet machine) without generating and rolling up once more.
 */
const keep = process.env.BENCH_QUERY_KEEP;

async function leg(target: number) {
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'ashiato-qbench-'));
  const file = join(dir, `${target}.sqlite`);
  const reuse = keep !== undefined && existsSync(file);
  const store = await createDb({ kind: 'sqlite', file });
  const now = reuse ? Number((await store.db.selectFrom('sites').select('created_at').where('id', '=', 'bench').executeTakeFirstOrThrow()).created_at) : Date.now();
  if (reuse) console.log(`\nreusing ${file}`);
  else await generate(store, target, now);
  // a kept database left half rolled up (an interrupted run) is finished first
  await rollUp(store, now);
  const ctx: StatsContext = { db: store.db, dialect: store.dialect, site: 'bench', tz: 'Asia/Tokyo', filters: [] };
  const range = parseRange({ period: '30d' }, 'Asia/Tokyo', now);
  const dims = ['page', 'source', 'country', 'device', 'entry_page', 'utm_campaign'].map((d) => parseDimension(d)!);
  const queries: [string, () => Promise<unknown>][] = [
    ['summary (with previous period)', () => summaryReport(ctx, range)],
    ['timeseries by day', () => timeseries(ctx, range, 'day')],
    ...dims.map((d) => [`breakdown ${d.name}`, () => breakdown(ctx, range, d, 10)] as [string, () => Promise<unknown>]),
  ];
  const overview: number[] = [];
  const per = new Map<string, number[]>();
  // one unmeasured round first: the first reads of a freshly opened file come from disk, not the cache
  for (const [, q] of queries) await q();
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    for (const [name, q] of queries) {
      const s = performance.now();
      await q();
      per.set(name, [...(per.get(name) ?? []), performance.now() - s]);
    }
    overview.push(performance.now() - start);
  }
  const filtered = { ...ctx, filters: [{ dimension: parseDimension('country')!, op: 'is' as const, value: 'JP' }] };
  const f: number[] = [];
  for (let i = 0; i < 1; i++) {
    const s = performance.now();
    await summaryReport(filtered, range);
    f.push(performance.now() - s);
  }
  console.log(`${'query (30-day view)'.padEnd(34)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}`);
  for (const [name, xs] of per) console.log(`${name.padEnd(34)} ${pct(xs, 50).toFixed(1).padStart(8)} ${pct(xs, 95).toFixed(1).padStart(8)}`);
  console.log(`${'whole overview (all of the above)'.padEnd(34)} ${pct(overview, 50).toFixed(1).padStart(8)} ${pct(overview, 95).toFixed(1).padStart(8)}`);
  console.log(`${'summary filtered by country (raw)'.padEnd(34)} ${f[0]!.toFixed(1).padStart(8)} ${'(1 run)'.padStart(8)}`);
  await store.close();
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

for (const size of sizes) await leg(size);
