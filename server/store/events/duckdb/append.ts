import type { DuckDBConnection } from '@duckdb/node-api';
import type { NewEvent } from '../../schema.ts';
import { eventColumns } from './columns.ts';

const integerColumns = new Set(['ts']);

/**
 * Appends the rows through DuckDB's appender (columnar, no SQL per row) into the connection's staging
 * table, then moves them into events with their keys computed by DuckDB.
 */
async function appendEvents(c: DuckDBConnection, rows: readonly NewEvent[]): Promise<void> {
  await c.run('delete from staging');
  const appender = await c.createAppender('staging', 'main', 'temp');
  try {
    for (const r of rows) {
      for (const col of eventColumns) {
        const v = (r as Record<string, unknown>)[col];
        if (v === null || v === undefined) appender.appendNull();
        else if (integerColumns.has(col)) appender.appendBigInt(BigInt(v as number));
        else appender.appendVarchar(String(v));
      }
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  await c.run('insert into events select *, hash(visitor_id), hash(session_id) from staging');
}

/** The first event's value, NULL included (plain arg_min skips NULLs and would take a later event's). */
const first = (col: string) => `arg_min_null(${col}, ts) as ${col}`;

/**
 * Visits touched by a batch are recomputed from all their events: a late or out-of-order event updates its
 * visit (duration, exit page, counters) instead of being folded into a frozen row. Only events from the
 * touched visits' earliest start on are read, which zone maps on `ts` keep to the newest row groups.
 */
async function recomputeVisits(c: DuckDBConnection, rows: readonly NewEvent[]): Promise<void> {
  let since = rows.reduce((m, r) => Math.min(m, Number(r.ts)), Number.POSITIVE_INFINITY);
  const ids = 'select distinct session_id from staging';
  const earlier = await c.runAndReadAll(`select min(started_at) as s from visits where session_id in (${ids})`);
  const s = earlier.getRowObjectsJS()[0]?.s;
  if (s !== null && s !== undefined) since = Math.min(since, Number(s));
  await c.run(`delete from visits where started_at >= ? and session_id in (${ids})`, [BigInt(since)]);
  await c.run(
    `insert into visits
     select session_id, ${first('site_id')}, ${first('visitor_id')}, min(ts), max(ts),
       arg_min(path, ts) filter (where type = 'pageview'), arg_max(path, ts) filter (where type = 'pageview'),
       count(*) filter (where type = 'pageview'), count(*) filter (where type = 'event'),
       ${['visitor_kind', 'referrer_host', 'utm_source', 'utm_medium', 'utm_campaign', 'country', 'browser', 'os', 'device'].map(first).join(', ')},
     arg_min_null(visitor_key, ts), any_value(session_key)
     from events where ts >= ? and session_id in (${ids}) group by session_id`,
    [BigInt(since)],
  );
}

/**
 * One batch in one transaction: the events, their visits, and (when shipping) the new high-water mark of
 * the source log. A crash anywhere before the commit leaves none of it, so the batch is shipped again whole;
 * after the commit the mark says it is in, so it is never shipped twice.
 */
export async function appendBatch(c: DuckDBConnection, rows: readonly NewEvent[], mark?: { source: string; highWater: number }): Promise<void> {
  if (rows.length) {
    await appendEvents(c, rows);
    await recomputeVisits(c, rows);
  }
  if (mark) {
    await c.run('insert or replace into shipped values (?, ?)', [mark.source, BigInt(mark.highWater)]);
  }
}
