/**
 * npm run bench — ingest throughput of the full pipeline against a bare node:http server, in one run, with
 * the same load: 64 connections, varied user agents, client addresses (through a trusted proxy header)
 * and payloads. Prints req/s, p50, p99, the ratio, and ashiato's peak RSS. A benchmark, not a test.
 * With BENCH_PG_URL=postgres://… it also runs ashiato on PostgreSQL, as one process and as BENCH_WORKERS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { createDb, type DbConfig } from '../../server/store/db.ts';
import { createPostgresPool } from '../../server/store/postgres.ts';
import { upsertSite } from '../../server/store/sites.ts';
import { prepareDataDir, startChild, type ChildServer } from '../helpers/child-server.ts';
import { clientAddresses, eventBodies, userAgents } from './traffic.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);

async function startBare(): Promise<{ proc: ChildProcess; url: string }> {
  const file = fileURLToPath(new URL('./bare-server.ts', import.meta.url));
  const proc = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise<string>((resolve) => {
    proc.stderr!.setEncoding('utf8').on('data', (d: string) => {
      const m = /"url":"([^"]+)"/.exec(d);
      if (m) resolve(m[1]!);
    });
  });
  return { proc, url };
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  peakRssMb?: number;
}

async function drive(url: string, pid: number, duration: number): Promise<Result> {
  // 20,000 visitors (an address and a browser each) coming back every few seconds: sessions of several events
  const uas = userAgents();
  const ips = clientAddresses(20_000);
  const bodies = eventBodies('localhost', '127.0.0.1', 997);
  let i = 0;
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 250);
  const result = await autocannon({
    url: `${url}/api/event`,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          i++;
          return {
            ...req,
            body: bodies[i % bodies.length],
            headers: {
              'content-type': 'text/plain;charset=UTF-8',
              'user-agent': uas[(i % ips.length) % uas.length]!,
              'x-forwarded-for': ips[i % ips.length]!,
            },
          };
        },
      },
    ],
  });
  clearInterval(sampler);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    peakRssMb: peak,
  };
}

interface Leg {
  name: string;
  server: ChildServer;
  /** events in the leg's database, after the run */
  stored(): Promise<number>;
  close(): Promise<void>;
}

async function sqliteLeg(): Promise<Leg> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ashiato-bench-'));
  await prepareDataDir(dataDir);
  // BENCH_PROFILE=DIR writes a V8 CPU profile of the ashiato process there
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const server = await startChild(dataDir, { ASHIATO_TRUSTED_PROXIES: '127.0.0.1', LOG_LEVEL: 'info' }, profile);
  return {
    name: 'ashiato, SQLite',
    server,
    stored: () => countEvents({ kind: 'sqlite', file: join(dataDir, 'ashiato.sqlite') }),
    async close() {
      await stop(server);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** ashiato on PostgreSQL, in a schema of its own, as one process or as `start --workers N`. */
async function postgresLeg(pgUrl: string, workers: number): Promise<Leg> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ashiato-bench-'));
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const db: DbConfig = { kind: 'postgres', url: pgUrl, schema };
  const store = await createDb(db);
  await upsertSite(store.db, { id: 'localhost', hosts: ['localhost', '127.0.0.1'] }, Date.now());
  await store.close();
  const url = new URL(pgUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const env = { ASHIATO_TRUSTED_PROXIES: '127.0.0.1', LOG_LEVEL: 'info', DATABASE_URL: url.toString(), ASHIATO_WORKERS: String(workers) };
  const server = await startChild(dataDir, env);
  return {
    name: workers > 1 ? `ashiato, PostgreSQL, ${workers} procs` : 'ashiato, PostgreSQL',
    server,
    stored: () => countEvents(db),
    async close() {
      await stop(server);
      const pool = createPostgresPool({ url: pgUrl });
      await pool.query(`drop schema if exists ${schema} cascade`);
      await pool.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function countEvents(config: DbConfig): Promise<number> {
  const store = await createDb(config);
  const n = Number((await store.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  await store.close();
  return n;
}

async function stop(server: ChildServer) {
  server.proc.kill('SIGTERM');
  await server.exited;
}

const row = (name: string, r: Result) =>
  `${name.padEnd(32)} ${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(1).padStart(7)} ${r.p99.toFixed(1).padStart(7)} ${String(r.non2xx + r.errors).padStart(8)} ${(r.peakRssMb ?? 0).toFixed(0).padStart(8)}`;

async function main() {
  // BENCH_PG_URL (or ASHIATO_TEST_PG_URL) adds PostgreSQL legs: one process, and BENCH_WORKERS (2) processes
  const pgUrl = process.env.BENCH_PG_URL || process.env.ASHIATO_TEST_PG_URL;
  const workers = Number(process.env.BENCH_WORKERS ?? 2);
  const legs: (() => Promise<Leg>)[] = [sqliteLeg];
  if (pgUrl) legs.push(() => postgresLeg(pgUrl, 1), () => postgresLeg(pgUrl, workers));
  else console.log('no BENCH_PG_URL: SQLite only (set it to a postgres:// URL for the PostgreSQL legs)');

  const bare = await startBare();
  const results: [string, Result, number][] = [];
  try {
    console.log(`warming up the bare server (2 s)…`);
    await drive(bare.url, bare.proc.pid!, 2);
    console.log(`measuring: ${connections} connections, ${seconds} s each`);
    const b = await drive(bare.url, bare.proc.pid!, seconds);
    for (const open of legs) {
      const leg = await open();
      try {
        await drive(leg.server.url, leg.server.proc.pid!, 2);
        const r = await drive(leg.server.url, leg.server.proc.pid!, seconds);
        results.push([leg.name, r, await leg.stored()]);
      } finally {
        await leg.close();
      }
    }

    console.log(`\n${'server'.padEnd(32)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'errors'.padStart(8)} ${'RSS MB'.padStart(8)}`);
    console.log(row('bare node:http (parse only)', b));
    for (const [name, r] of results) console.log(row(name, r));
    const a = results[0]![1];
    console.log(`\nratio ashiato (SQLite)/bare: ${((a.rps / b.rps) * 100).toFixed(1)} % (target ≥ 40 %), p99 ${a.p99} ms (target ≤ 50 ms)`);
    for (const [name, , stored] of results) console.log(`events stored, ${name}: ${stored} (every one acknowledged only after commit)`);
    console.log('RSS is the process autocannon talks to (with workers: the supervisor, not the sum)');
  } finally {
    bare.proc.kill('SIGTERM');
  }
}

await main();
