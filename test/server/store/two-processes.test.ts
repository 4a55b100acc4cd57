import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rollupAll } from '../../../server/jobs/rollup.ts';
import { createDb } from '../../../server/store/db.ts';
import { upsertSite } from '../../../server/store/sites.ts';
import { startChild, type ChildServer } from '../../helpers/child-server.ts';
import { newTestSchema, testPgUrl } from '../../helpers/test-db.ts';

/**
 * Two real `ashiato start` processes on one PostgreSQL server, each visitor's page views sent to them in
 * turn (as a load balancer without sticky sessions would). Needs a server: ASHIATO_TEST_PG_URL (.ci/run
 * starts one); without it the test is skipped and the run says so (test/helpers/pg-global-setup.ts).
 */
const children: ChildServer[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const c of children) {
    c.proc.kill('SIGTERM');
    await c.exited;
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const HOUR = 60 * 60 * 1000;
const VISITORS = 24;
const VIEWS = 5;

describe.skipIf(!testPgUrl)('two ashiato processes on one PostgreSQL', () => {
  it('count every visitor, visit and page view once', async () => {
    const schema = newTestSchema();
    const store = await createDb({ kind: 'postgres', url: testPgUrl!, schema });
    await upsertSite(store.db, { id: 'localhost', hosts: ['localhost', '127.0.0.1'] }, Date.now());
    const url = new URL(testPgUrl!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const env = { DATABASE_URL: url.toString(), ASHIATO_TRUSTED_PROXIES: '127.0.0.1,::1', LOG_LEVEL: 'info' };
    for (let i = 0; i < 2; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'ashiato-2p-'));
      dirs.push(dir);
      children.push(await startChild(dir, env));
    }

    // each visitor is a distinct address (cookieless: hashed under the salt both processes must share);
    // its page views go one after another, alternating between the processes
    const visitor = async (v: number) => {
      for (let p = 0; p < VIEWS; p++) {
        const res = await fetch(`${children[(v + p) % 2]!.url}/api/event`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0', 'x-forwarded-for': `198.18.0.${v + 1}` },
          body: JSON.stringify({ s: 'localhost', u: `http://127.0.0.1/page-${p}` }),
        });
        expect(res.status).toBe(202);
      }
    };
    await Promise.all(Array.from({ length: VISITORS }, (_, v) => visitor(v)));

    const events = await store.db.selectFrom('events').select(['visitor_id', 'session_id']).execute();
    expect(events).toHaveLength(VISITORS * VIEWS);
    expect(new Set(events.map((e) => e.visitor_id)).size).toBe(VISITORS);
    expect(new Set(events.map((e) => e.session_id)).size).toBe(VISITORS);
    const sessions = await store.db.selectFrom('sessions').select(['pageviews', 'entry_path', 'exit_path']).execute();
    expect(sessions).toHaveLength(VISITORS);
    for (const s of sessions) expect(s).toEqual({ pageviews: VIEWS, entry_path: '/page-0', exit_path: `/page-${VIEWS - 1}` });
    expect(await store.db.selectFrom('salts').select('id').execute()).toHaveLength(1);

    // and the statistics the rollup job makes of them (rolled up as if two hours had passed)
    await rollupAll(store.db, store.dialect, Date.now() + 2 * HOUR);
    const hours = await store.db.selectFrom('stats_hourly').select(['day_visitors', 'visits', 'pageviews']).where('site_id', '=', 'localhost').execute();
    const sum = (k: 'day_visitors' | 'visits' | 'pageviews') => hours.reduce((n, h) => n + Number(h[k]), 0);
    expect({ visitors: sum('day_visitors'), visits: sum('visits'), pageviews: sum('pageviews') }).toEqual({ visitors: VISITORS, visits: VISITORS, pageviews: VISITORS * VIEWS });
    await store.close();
  });

  it('start --workers 2 serves one port from two processes, replaces one that dies, and drains both on SIGTERM', async () => {
    const schema = newTestSchema();
    const store = await createDb({ kind: 'postgres', url: testPgUrl!, schema });
    await upsertSite(store.db, { id: 'localhost', hosts: ['localhost', '127.0.0.1'] }, Date.now());
    const url = new URL(testPgUrl!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const dir = mkdtempSync(join(tmpdir(), 'ashiato-workers-'));
    dirs.push(dir);
    const server = await startChild(dir, { DATABASE_URL: url.toString(), ASHIATO_WORKERS: '2', LOG_LEVEL: 'info' });
    const listening = () => server.stderr.join('').match(/ashiato listening/g)?.length ?? 0;
    for (let i = 0; i < 100 && listening() < 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(listening()).toBe(2);
    const sent = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${server.url}/api/event`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0' },
          body: JSON.stringify({ s: 'localhost', u: `http://127.0.0.1/w-${i}` }),
        }).then((r) => r.status),
      ),
    );
    expect(sent.every((status) => status === 202)).toBe(true);

    // a worker that dies is replaced
    const workers = execFileSync('ps', ['-o', 'pid=', '--ppid', String(server.proc.pid)], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
    expect(workers).toHaveLength(2);
    process.kill(workers[0]!, 'SIGKILL');
    for (let i = 0; i < 100 && listening() < 3; i++) await new Promise((r) => setTimeout(r, 100));
    expect(listening()).toBe(3);

    server.proc.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    const n = await store.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(20);
    await store.close();
  });
});
