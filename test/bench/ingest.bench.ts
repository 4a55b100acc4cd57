/**
 * npm run bench — ingest throughput of the full pipeline against a bare node:http server, in one run, with
 * the same load: 64 connections, varied user agents, client addresses (through a trusted proxy header)
 * and payloads. Prints req/s, p50, p99, the ratio, and ashiato's peak RSS. A benchmark, not a test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createDb } from '../../server/store/db.ts';
import { prepareDataDir, startChild } from '../helpers/child-server.ts';
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

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'ashiato-bench-'));
  await prepareDataDir(dataDir);
  // BENCH_PROFILE=DIR writes a V8 CPU profile of the ashiato process there
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const ashiato = await startChild(dataDir, { ASHIATO_TRUSTED_PROXIES: '127.0.0.1', LOG_LEVEL: 'info' }, profile);
  const bare = await startBare();
  try {
    console.log(`warming up both servers (2 s each)…`);
    await drive(bare.url, bare.proc.pid!, 2);
    await drive(ashiato.url, ashiato.proc.pid!, 2);
    console.log(`measuring: ${connections} connections, ${seconds} s each`);
    const b = await drive(bare.url, bare.proc.pid!, seconds);
    const a = await drive(ashiato.url, ashiato.proc.pid!, seconds);

    const store = await createDb({ kind: 'sqlite', file: join(dataDir, 'ashiato.sqlite') });
    const stored = Number((await store.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    await store.close();

    const row = (name: string, r: Result) =>
      `${name.padEnd(28)} ${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(1).padStart(7)} ${r.p99.toFixed(1).padStart(7)} ${String(r.non2xx + r.errors).padStart(8)} ${(r.peakRssMb ?? 0).toFixed(0).padStart(8)}`;
    console.log(`\n${'server'.padEnd(28)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'errors'.padStart(8)} ${'RSS MB'.padStart(8)}`);
    console.log(row('bare node:http (parse only)', b));
    console.log(row('ashiato full pipeline', a));
    console.log(`\nratio ashiato/bare: ${((a.rps / b.rps) * 100).toFixed(1)} % (target ≥ 40 %), p99 ${a.p99} ms (target ≤ 50 ms)`);
    console.log(`events stored: ${stored} (every one acknowledged only after commit)`);
  } finally {
    bare.proc.kill('SIGTERM');
    ashiato.proc.kill('SIGTERM');
    await ashiato.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
