import { blankableColumns, type BlankableColumn } from '../event-store.ts';
import type { DuckDatabase, Row } from './database.ts';
import { ident, raw, sql } from './fragment.ts';

const blankable: ReadonlySet<string> = new Set(blankableColumns);

export async function visitorRows(db: DuckDatabase, visitorId: string): Promise<{ events: Row[]; visits: Row[] }> {
  const [events, visits] = await Promise.all([
    db.all(sql`select * exclude (visitor_key, session_key) from events where visitor_id = ${visitorId} and visitor_kind = 'cookie' order by ts`),
    db.all(sql`select * exclude (visitor_key, session_key) from visits where visitor_id = ${visitorId} and visitor_kind = 'cookie' order by started_at`),
  ]);
  return { events, visits };
}

/** Deletes rows; the caller compacts the file so the bytes go too. */
export async function deleteVisitorRows(db: DuckDatabase, visitorId: string): Promise<{ events: number; visits: number }> {
  const events = await db.run(sql`delete from events where visitor_id = ${visitorId} and visitor_kind = 'cookie'`);
  const visits = await db.run(sql`delete from visits where visitor_id = ${visitorId} and visitor_kind = 'cookie'`);
  return { events, visits };
}

export async function deleteRowsBefore(db: DuckDatabase, cutoff: number): Promise<{ events: number; visits: number }> {
  const events = await db.run(sql`delete from events where ts < ${cutoff}`);
  const visits = await db.run(sql`delete from visits where started_at < ${cutoff} and last_seen_at < ${cutoff}`);
  return { events, visits };
}

export async function blankColumnsBefore(db: DuckDatabase, columns: readonly BlankableColumn[], cutoff: number): Promise<number> {
  if (!columns.length) return 0;
  const names = columns.map((c) => ident('events', c, blankable).text.slice('events.'.length));
  const set = raw(names.map((c) => `${c} = null`).join(', '));
  const any = raw(names.map((c) => `${c} is not null`).join(' or '));
  return db.run(sql`update events set ${set} where ts < ${cutoff} and (${any})`);
}
