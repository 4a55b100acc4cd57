import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../server/runtime.ts';
import { statsRoutes } from '../../../server/stats/routes.ts';
import { createTestApp, fakeClock, sendEvent } from '../../helpers/app.ts';

let rt: Runtime & { clock: ReturnType<typeof fakeClock> };
let stats: Hono;

beforeAll(async () => {
  rt = await createTestApp({ clock: fakeClock(Date.UTC(2026, 10, 20, 1)) });
  await sendEvent(rt.app, { s: 'example.com', u: 'https://example.com/', c: 0 });
  stats = new Hono().route('/api/stats', statsRoutes({ events: rt.deps.events, sites: rt.deps.sites, clock: rt.clock }));
});
afterAll(() => rt.close());

const status = async (path: string) => (await stats.request(`/api/stats/example.com${path}`)).status;

describe('bad filters through the stats API, on the event store the runtime wires', () => {
  it('unknown names, bad property keys, long values and too many filters are 400, never 500', async () => {
    expect(await status('/summary?f.ip_trunc=1.2.3.0')).toBe(400);
    expect(await status('/breakdown/page?fn.visitor_id=x')).toBe(400);
    expect(await status(`/summary?${encodeURIComponent('f.prop:a b')}=1`)).toBe(400);
    expect(await status(`/timeseries?f.country=${'J'.repeat(513)}`)).toBe(400);
    expect(await status(`/summary?${Array.from({ length: 11 }, (_, i) => `f.prop:k${i}=v`).join('&')}`)).toBe(400);
    expect(await status('/breakdown/prop:a%20b')).toBe(400);
  });

  it('odd values are bound as values: quotes, (none), unicode and three filters at once answer 200', async () => {
    for (const q of [
      `f.country=${encodeURIComponent("JP' or 1=1 --")}`,
      'fn.source=(none)',
      `f.page=${encodeURIComponent('/製品?x=1;drop table events')}&f.device=desktop&fn.utm_campaign=(none)`,
      `f.prop:plan=${encodeURIComponent('"pro"')}`,
    ]) {
      for (const report of ['/summary', '/timeseries', '/breakdown/page', '/breakdown/country', '/export.csv?report=source']) {
        expect(await status(`${report}${report.includes('?') ? '&' : '?'}${q}`), `${report} ${q}`).toBe(200);
      }
    }
  });
});
