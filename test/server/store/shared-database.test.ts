import { afterEach, describe, expect, it } from 'vitest';
import { runTask, tasks, type TaskContext } from '../../../server/jobs/tasks.ts';
import type { Runtime } from '../../../server/runtime.ts';
import { createTestApp, fakeClock, pageview, sendEvent } from '../../helpers/app.ts';
import { upsertSite } from '../../../server/store/sites.ts';
import { sharedTestDbConfigs, testDialect } from '../../helpers/test-db.ts';

/**
 * Two runtimes on one PostgreSQL database, as two ashiato processes behind a load balancer: each has its own
 * memory (sessions, salts, suppressions), and only the database in common.
 */
let open: Runtime[] = [];
afterEach(async () => {
  for (const rt of open) await rt.close();
  open = [];
});

async function twoProcesses() {
  const clock = fakeClock();
  const [a, b] = sharedTestDbConfigs(2);
  const one = await createTestApp({ db: a, clock });
  const two = await createTestApp({ db: b, clock });
  open.push(one, two);
  return { clock, one, two, db: one.store.db };
}

describe.skipIf(testDialect !== 'postgres')('several processes on one database', () => {
  it('a visitor whose events alternate between processes is one visitor with one visit', async () => {
    const { clock, one, two, db } = await twoProcesses();
    for (let i = 0; i < 6; i++) {
      clock.advance(60_000);
      // DE is an opt-in region and no consent is given: a cookieless visitor, hashed under the shared salt
      const res = await sendEvent((i % 2 ? two : one).app, pageview({ u: `https://example.com/p${i}` }), { peer: '198.51.100.23' });
      expect(res.status).toBe(202);
    }
    const events = await db.selectFrom('events').select(['visitor_id', 'session_id']).execute();
    expect(events).toHaveLength(6);
    expect(new Set(events.map((e) => e.visitor_id)).size).toBe(1);
    expect(new Set(events.map((e) => e.session_id)).size).toBe(1);
    const sessions = await db.selectFrom('sessions').select(['pageviews', 'entry_path', 'exit_path']).execute();
    expect(sessions).toEqual([{ pageviews: 6, entry_path: '/p0', exit_path: '/p5' }]);
  });

  it('after 30 idle minutes the next event starts a new visit, whichever process gets it', async () => {
    const { clock, one, two, db } = await twoProcesses();
    await sendEvent(one.app, pageview(), { peer: '198.51.100.23' });
    clock.advance(31 * 60_000);
    await sendEvent(two.app, pageview(), { peer: '198.51.100.23' });
    clock.advance(60_000);
    await sendEvent(one.app, pageview(), { peer: '198.51.100.23' });
    const sessions = await db.selectFrom('sessions').select('pageviews').orderBy('started_at').execute();
    expect(sessions.map((s) => s.pageviews)).toEqual([1, 2]);
  });

  it("a cookie id suppressed through one process is dropped by the other once it reloads the list", async () => {
    const { one, two, clock } = await twoProcesses();
    const cookie = 'AAAAAAAAAAAAAAAAAAAAAA';
    const send = (rt: Runtime) => sendEvent(rt.app, pageview({ c: 1, v: cookie }), { peer: '203.0.113.77' });
    expect(((await (await send(two)).json()) as { dropped?: string }).dropped).toBeUndefined();
    await one.deps.suppressions.add(cookie, 'suspend', clock());
    expect(((await (await send(one)).json()) as { dropped?: string }).dropped).toBe('suppressed');
    const reload = tasks.find((t) => t.name === 'load-suppressions')!;
    await runTask(reload, { suppressions: two.deps.suppressions } as unknown as TaskContext);
    expect(((await (await send(two)).json()) as { dropped?: string }).dropped).toBe('suppressed');
  });

  it('a host added to a site through one process is accepted by the other once it reloads its sites', async () => {
    const { one, two, clock } = await twoProcesses();
    const fromShop = async () => (await sendEvent(two.app, pageview({ u: 'https://example-shop.jp/' }), { origin: 'https://example-shop.jp' })).status;
    expect(await fromShop()).toBe(403); // and process two has the site in its cache now
    await upsertSite(one.store.db, { id: 'example.com', hosts: ['example.com', 'www.example.com', 'example-shop.jp'] }, clock());
    expect(await fromShop()).toBe(403);
    await runTask(tasks.find((t) => t.name === 'reload-sites')!, { sites: two.deps.sites } as unknown as TaskContext);
    expect(await fromShop()).toBe(202);
  });
});
