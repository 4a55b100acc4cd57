import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRetention } from '../../../../server/jobs/retention.ts';
import type { Runtime } from '../../../../server/runtime.ts';
import { createTestApp, fakeClock } from '../../../helpers/app.ts';
import { testDialect } from '../../../helpers/test-db.ts';
import { scriptedEvents } from './scripted-events.ts';

let rt: Runtime & { clock: ReturnType<typeof fakeClock> };
const NOW = Date.UTC(2026, 10, 22);
beforeAll(async () => {
  rt = await createTestApp({ clock: fakeClock(NOW) });
});
afterAll(() => rt.close());

describe.skipIf(testDialect !== 'sqlite')('retention reaches the DuckDB event store', () => {
  it('deletes its events past the policy retention and keeps the young ones', async () => {
    const events = rt.deps.events;
    expect(events.engine).toBe('duckdb');
    const old = scriptedEvents.slice(0, 4).map((e) => ({ ...e, site_id: 'example.com', ts: Number(e.ts) - 3 * 365 * 86_400_000 }));
    const young = scriptedEvents.slice(4, 5).map((e) => ({ ...e, site_id: 'example.com' }));
    await events.append([...old, ...young]);
    const report = await runRetention({ db: rt.store.db, policy: rt.deps.policy, now: rt.clock, events });
    expect(report.steps.find((s) => s.name === 'event-store.events')?.count).toBe(4);
    expect((await events.visitorRows('vA')).events).toEqual([]);
    expect((await events.visitorRows('vB')).events).toHaveLength(1);
  });
});
