import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createSharedLink } from '../../../server/auth/index.ts';
import type { Runtime } from '../../../server/runtime.ts';
import { OTHER } from '../../../server/stats/cell-suppression.ts';
import { parseDimension } from '../../../server/stats/dimensions.ts';
import { rollupAll } from '../../../server/jobs/rollup.ts';
import { keyedNoise, type NoiseSource } from '../../../server/stats/noise.ts';
import { rangeOfDays } from '../../../server/stats/period.ts';
import { publishedBreakdown, publishedSummary } from '../../../server/stats/published.ts';
import type { StatsContext } from '../../../server/stats/queries.ts';
import { createTestApp, fakeClock, policyWith, sendEvent } from '../../helpers/app.ts';

const T0 = Date.UTC(2026, 10, 20, 1, 0, 0);
let rt: Runtime & { clock: ReturnType<typeof fakeClock> };
let token: string;

beforeAll(async () => {
  rt = await createTestApp({ clock: fakeClock(T0), policy: policyWith((p) => (p.statistics = { minCellSize: 5, differentialPrivacy: { enabled: true, epsilon: 0.5 } })) });
  for (let i = 0; i < 40; i++) {
    rt.clock.set(T0 + i * 60_000);
    await sendEvent(rt.app, { s: 'example.com', u: `https://example.com${i < 39 ? '/popular' : '/only-one-visitor'}`, c: 0 }, { peer: `198.18.0.${i + 1}` });
  }
  // the 20th is complete and rolled up; the 22nd (today) is still growing
  rt.clock.set(T0 + 2 * 24 * 3_600_000);
  await sendEvent(rt.app, { s: 'example.com', u: 'https://example.com/popular', c: 0 }, { peer: '198.18.1.1' });
  await rollupAll(rt.store.db, rt.store.dialect, rt.clock());
  const { user } = await addUser(rt.store.db, { email: 'marketer@example.com', role: 'marketer', password: 'correct horse battery staple' }, rt.clock());
  token = (await createSharedLink(rt.store.db, { siteId: 'example.com', createdBy: user.id }, rt.clock())).token;
});
afterAll(() => rt.close());

const ctx = (): StatsContext => ({ db: rt.store.db, dialect: rt.store.dialect, site: 'example.com', tz: 'Asia/Tokyo', filters: [] });
const day = rangeOfDays('2026-11-20', '2026-11-20', 'Asia/Tokyo');
const silent: NoiseSource = { laplace: () => 0 };

describe('keyed Laplace noise', () => {
  it('is the same for the same cell and key, different across keys', () => {
    const a = keyedNoise(Buffer.alloc(32, 1));
    const b = keyedNoise(Buffer.alloc(32, 2));
    expect(a.laplace('cell', 4)).toBe(a.laplace('cell', 4));
    expect(a.laplace('cell', 4)).not.toBe(b.laplace('cell', 4));
  });

  it('has the Laplace distribution: mean 0, mean absolute value equal to the scale', () => {
    const noise = keyedNoise(Buffer.alloc(32, 7));
    const xs = Array.from({ length: 40_000 }, (_, i) => noise.laplace(`c${i}`, 2));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const meanAbs = xs.reduce((s, x) => s + Math.abs(x), 0) / xs.length;
    // standard errors: 2·√2/√40000 ≈ 0.014 for the mean, 2/200 = 0.01 for the mean absolute value
    expect(Math.abs(mean)).toBeLessThan(0.06);
    expect(Math.abs(meanAbs - 2)).toBeLessThan(0.05);
  });
});

describe('differential-privacy mode', () => {
  it('shows a value only when its noisy visitor count reaches k, in every dimension', async () => {
    const rules = { k: 5, now: rt.clock(), dp: { epsilon: 0.5, noise: silent } };
    const pages = await publishedBreakdown(ctx(), day, parseDimension('page')!, rules, 20);
    expect(pages.map((p) => [p.value, p.visitors])).toEqual([['/popular', 39], [OTHER, 1]]);
    // a closed list too: a rare value's presence alone would say someone came with it
    const sixVisitors: NoiseSource = { laplace: (cell) => (cell.endsWith('|visitors') ? -34 : 0) };
    const devices = await publishedBreakdown(ctx(), day, parseDimension('device')!, { k: 7, now: rt.clock(), dp: { epsilon: 0.5, noise: sixVisitors } }, 20);
    expect(devices.map((d) => [d.value, d.visitors])).toEqual([[OTHER, 6]]);
    expect(devices.every((d) => d.visitDuration === null)).toBe(true);
  });

  it('adds noise to every published count and publishes no visit durations', async () => {
    const loud: NoiseSource = { laplace: (cell) => (cell.endsWith('|visitors') ? 3.4 : -1.2) };
    const s = await publishedSummary(ctx(), day, { k: 5, now: rt.clock(), dp: { epsilon: 0.5, noise: loud } });
    expect(s.current).toMatchObject({ visitors: 43, visits: 39, pageviews: 39, visitDuration: null });
  });

  it('publishes a day only once it is complete: fixed noise on a growing day would give away each new visit', async () => {
    const today = rangeOfDays('2026-11-22', '2026-11-22', 'Asia/Tokyo');
    const s = await publishedSummary(ctx(), today, { k: 5, now: rt.clock(), dp: { epsilon: 0.5, noise: silent } });
    expect(s.current).toEqual({ suppressed: true });
    expect(s.pendingDays.current).toBe(1);
    const done = await publishedSummary(ctx(), day, { k: 5, now: rt.clock(), dp: { epsilon: 0.5, noise: silent } });
    expect(done.current).toMatchObject({ visitors: 40 });
    expect(done.pendingDays.current).toBe(0);
  });

  it('a shared link answers the same every time, so asking again cannot average the noise away', async () => {
    const ask = async () => (await rt.app.request(`/api/shared/${token}/breakdown/page?period=day&date=2026-11-20`, { headers: { 'x-test-peer': '198.51.100.9' } })).json();
    const first = (await ask()) as any;
    expect(first).toMatchObject({ method: 'differential-privacy', epsilon: 0.5 });
    for (let i = 0; i < 3; i++) expect(await ask()).toEqual(first);
    const summary = (await (await rt.app.request(`/api/shared/${token}/summary?period=day&date=2026-11-20`, { headers: { 'x-test-peer': '198.51.100.9' } })).json()) as any;
    expect(summary.current.visitDuration).toBeNull();
    expect(Number.isInteger(summary.current.visitors)).toBe(true);
  });
});
