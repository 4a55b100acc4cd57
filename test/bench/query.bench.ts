/**
 * npm run bench:query — the stats API's reports on generated data (30 days of a corporate site, about 1 M
 * and 10 M events; BENCH_QUERY_SIZES to change), on both engines side by side: the row store (SQLite
 * tables, rolled up as the job would) and DuckDB (the SQLite log shipped into it). The eight overview reports
 * unfiltered and with 1, 2 and 3 filters, the whole overview with two filters, a 4-step page funnel and a
 * journey: p50 / p95 of 40 runs after one unmeasured round (the row store stops a query after
 * BENCH_QUERY_BUDGET_S seconds, at least 3 runs, and a query slower than that is timed once), bytes on disk
 * per event, ratios.
 * A benchmark, not a test. The 10 M leg takes a quarter of an hour to generate.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoEvents } from '../../server/demo/generate.ts';
import { rollupAll } from '../../server/jobs/rollup.ts';
import { commitEvents } from '../../server/ingest/writer.ts';
import { parseDimension, parseFilters } from '../../server/stats/dimensions.ts';
import { duckFileFor } from '../../server/stats/open-event-store.ts';
import { parseRange } from '../../server/stats/period.ts';
import { breakdown, summaryReport, timeseries, type ReportScope } from '../../server/stats/reports.ts';
import { rowEventStore } from '../../server/stats/row-store.ts';
import { createDb, type Store } from '../../server/store/db.ts';
import { openDuckEventStore } from '../../server/store/events/duckdb/engine.ts';
import type { EventStore } from '../../server/store/events/event-store.ts';
import { sqliteLog } from '../../server/store/events/sqlite-log.ts';
import type { NewEvent } from '../../server/store/schema.ts';
import { upsertSite } from '../../server/store/sites.ts';

const sizes = (process.env.BENCH_QUERY_SIZES ?? '1000000,10000000').split(',').map(Number);
const RUNS = 40;
const BUDGET_MS = Number(process.env.BENCH_QUERY_BUDGET_S ?? 20) * 1000;
// the demo generator makes about 52.5 events per weekday visitor over 30 days (measured: 1,358,487 events for 38.6)
const EVENTS_PER_VISITOR_PER_WEEKDAY = 52.5;
const TZ = 'Asia/Tokyo';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(0);

async function generate(store: Store, target: number, now: number): Promise<number> {
  await upsertSite(store.db, { id: 'bench', hosts: ['localhost'] }, now);
  const t = performance.now();
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
  console.log(`\n${n.toLocaleString('en')} events over 30 days: generated in ${seconds(t)} s`);
  return n;
}

/** Bytes of a database's files: the main file and any WAL beside it. */
function bytesOf(file: string): number {
  const dir = join(file, '..');
  const base = file.slice(dir.length + 1);
  return readdirSync(dir)
    .filter((f) => f === base || f === `${base}-wal` || f === `${base}.wal`)
    .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

/**
 * BENCH_QUERY_KEEP=DIR keeps each leg's databases as DIR/<size>.sqlite (and its .events.duckdb) and reuses
 * them on the next run, so the queries can be measured again without generating once more.
 */
const keep = process.env.BENCH_QUERY_KEEP;

type Query = [string, (events: EventStore) => Promise<unknown>];

async function measure(events: EventStore, run: (e: EventStore) => Promise<unknown>, budget: number): Promise<number[]> {
  // one unmeasured round: first reads of a freshly opened file come from disk
  const first = performance.now();
  await run(events);
  const warmup = performance.now() - first;
  // a query slower than the whole budget is measured once (the row store's filtered reports take many seconds)
  if (warmup > budget) return [warmup];
  const xs: number[] = [];
  const start = performance.now();
  while (xs.length < RUNS && (xs.length < 3 || performance.now() - start < budget)) {
    const s = performance.now();
    await run(events);
    xs.push(performance.now() - s);
  }
  return xs;
}

async function leg(target: number) {
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'ashiato-qbench-'));
  const file = join(dir, `${target}.sqlite`);
  const reuse = keep !== undefined && existsSync(file);
  const store = await createDb({ kind: 'sqlite', file });
  const now = reuse ? Number((await store.db.selectFrom('sites').select('created_at').where('id', '=', 'bench').executeTakeFirstOrThrow()).created_at) : Date.now();
  if (reuse) console.log(`\nreusing ${file}`);
  else await generate(store, target, now);
  const count = Number((await store.db.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  let t = performance.now();
  const { hours } = await rollupAll(store.db, store.dialect, now, 10_000);
  console.log(`row store: rolled up ${hours} hours in ${seconds(t)} s`);
  t = performance.now();
  const duck = await openDuckEventStore({ file: duckFileFor(file), source: sqliteLog(store.db), shipBatch: 50_000 });
  await duck.sync();
  console.log(`duckdb: shipped in ${seconds(t)} s (${Math.round(count / ((performance.now() - t) / 1000)).toLocaleString('en')} events/s)`);
  await duck.compact(); // packs the file as a deletion would, so bytes on disk are what a settled file takes
  const row = rowEventStore(store.db, store.dialect);

  const range = parseRange({ period: '30d' }, TZ, now);
  const scope = (filters: Record<string, string>): ReportScope => ({ site: 'bench', tz: TZ, filters: parseFilters(filters) });
  const dims = ['page', 'source', 'country', 'device', 'entry_page', 'utm_campaign'].map((d) => parseDimension(d)!);
  const overview = (s: ReportScope): Query[] => [
    ['summary (with previous period)', (e) => summaryReport(e, s, range)],
    ['timeseries by day', (e) => timeseries(e, s, range, 'day')],
    ...dims.map((d) => [`breakdown ${d.name}`, (e: EventStore) => breakdown(e, s, range, d, 10)] as Query),
  ];
  const filterSets: [string, Record<string, string>][] = [
    ['', {}],
    [' | country', { 'f.country': 'JP' }],
    [' | country+device', { 'f.country': 'JP', 'f.device': 'desktop' }],
    [' | country+source+page', { 'f.country': 'JP', 'f.source': 'www.google.com', 'f.page': '/demo/products' }],
    [' | campaign+device+page', { 'f.utm_campaign': '2026-11', 'f.device': 'mobile', 'f.page': '/demo/' }],
  ];
  const q = { ...range, site: 'bench', filters: [] };
  const queries: Query[] = [
    ...filterSets.flatMap(([label, f]) => overview(scope(f)).map(([name, run]) => [`${name}${label}`, run] as Query)),
    ['whole overview | country+device', async (e) => { for (const [, run] of overview(scope(filterSets[2]![1]))) await run(e); }],
    ['funnel / → products → sensor → contact', (e) => e.funnel(q, ['/demo/', '/demo/products', '/demo/products/sensor', '/demo/contact'])],
    ['journey after /demo/products', (e) => e.journey(q, '/demo/products', 10)],
  ];
  const cell = (xs: number[]) => `${pct(xs, 50).toFixed(1).padStart(9)} ${pct(xs, 95).toFixed(1).padStart(9)}`;
  console.log(`\n${'query (30-day view)'.padEnd(52)} ${'duck p50'.padStart(9)} ${'duck p95'.padStart(9)} ${'row p50'.padStart(9)} ${'row p95'.padStart(9)} ${'runs'.padStart(4)} ${'×'.padStart(7)}`);
  for (const [name, run] of queries) {
    const d = await measure(duck, run, Number.POSITIVE_INFINITY);
    const r = await measure(row, run, BUDGET_MS);
    const ratio = pct(r, 50) / pct(d, 50);
    console.log(`${name.padEnd(52)} ${cell(d)} ${cell(r)} ${String(r.length).padStart(4)} ${ratio.toFixed(1).padStart(7)}`);
  }
  const duckBytes = bytesOf(duckFileFor(file));
  const rowBytes = bytesOf(file);
  console.log(`\nbytes on disk per event: duckdb ${(duckBytes / count).toFixed(1)} (${(duckBytes / 1e6).toFixed(0)} MB), sqlite row store ${(rowBytes / count).toFixed(1)} (${(rowBytes / 1e6).toFixed(0)} MB, rollups included)`);
  console.log(`rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  await duck.close();
  await store.close();
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

for (const size of sizes) await leg(size);
