import { describe, expect, it } from 'vitest';
import { rangeOfDays } from '../../../../server/stats/period.ts';
import { openDuckEventStore } from '../../../../server/store/events/duckdb/engine.ts';
import type { Interval } from '../../../../server/store/events/event-store.ts';
import { offsetSpans } from '../../../../server/store/events/duckdb/zone-buckets.ts';
import { scriptedEvents, SITE } from './scripted-events.ts';

const at = (session: string, ts: number) => ({ ...scriptedEvents[0]!, session_id: session, visitor_id: `v-${session}`, ts });

async function seriesOf(tz: string, fromDay: string, toDay: string, times: number[], interval: Interval) {
  const events = await openDuckEventStore({ file: ':memory:' });
  await events.append(times.map((t, i) => at(`s${i}`, t)));
  const rows = await events.series({ ...rangeOfDays(fromDay, toDay, tz), site: SITE, filters: [] }, interval);
  await events.close();
  return rows.map((r) => [r.date, r.visits]);
}

describe('DuckDB buckets are cut at local midnight in every zone', () => {
  it('finds DST changes to the millisecond', () => {
    // Europe/Berlin leaves summer time at 01:00 UTC on 2026-10-25
    expect(offsetSpans('Europe/Berlin', Date.UTC(2026, 9, 24), Date.UTC(2026, 9, 27))).toEqual([
      { until: Date.UTC(2026, 9, 25, 1), offset: 2 * 3_600_000 },
      { until: Number.MAX_SAFE_INTEGER, offset: 3_600_000 },
    ]);
  });

  it('a 23:30 visit after the autumn change stays on its own day, in days, hours, weeks and months', async () => {
    const times = [Date.UTC(2026, 9, 24, 10, 0), Date.UTC(2026, 9, 26, 22, 30)]; // 12:00 CEST, 23:30 CET
    expect(await seriesOf('Europe/Berlin', '2026-10-24', '2026-10-27', times, 'day')).toEqual([
      ['2026-10-24', 1],
      ['2026-10-26', 1],
    ]);
    expect(await seriesOf('Europe/Berlin', '2026-10-26', '2026-10-26', times, 'hour')).toEqual([['2026-10-26T23:00', 1]]);
    expect(await seriesOf('Europe/Berlin', '2026-10-24', '2026-10-27', times, 'week')).toEqual([
      ['2026-10-19', 1],
      ['2026-10-26', 1],
    ]);
    expect(await seriesOf('Europe/Berlin', '2026-10-24', '2026-10-27', times, 'month')).toEqual([['2026-10-01', 2]]);
  });

  it('half-hour and 45-minute offsets', async () => {
    // 18:40 UTC is 00:10 the next day in Kolkata (+05:30) and 00:25 in Kathmandu (+05:45)
    expect(await seriesOf('Asia/Kolkata', '2026-11-20', '2026-11-21', [Date.UTC(2026, 10, 20, 18, 40)], 'day')).toEqual([['2026-11-21', 1]]);
    expect(await seriesOf('Asia/Kathmandu', '2026-11-21', '2026-11-21', [Date.UTC(2026, 10, 20, 18, 40)], 'hour')).toEqual([['2026-11-21T00:00', 1]]);
  });
});
