import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

/**
 * The raw events a dataset is built from, read in pages in (ts, id) order. Only the columns the build
 * needs are selected: the truncated IP, query strings, referrer paths, language and utm terms never
 * leave the database.
 */

export const sourceColumns = [
  'id',
  'ts',
  'type',
  'name',
  'path',
  'title',
  'props',
  'referrer_host',
  'utm_source',
  'country',
  'browser',
  'os',
  'device',
  'visitor_id',
  'session_id',
] as const;

export interface SourceEvent {
  id: number;
  ts: number;
  type: 'pageview' | 'event';
  name: string | null;
  path: string | null;
  title: string | null;
  props: string | null;
  referrer_host: string | null;
  utm_source: string | null;
  country: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
  visitor_id: string;
  session_id: string;
}

export interface SourceRange {
  site: string;
  /** inclusive */
  from: number;
  /** exclusive */
  to: number;
}

const PAGE = 5_000;

export async function countSourceEvents(db: Kysely<Database>, range: SourceRange): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('site_id', '=', range.site)
    .where('ts', '>=', range.from)
    .where('ts', '<', range.to)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function* readSourceEvents(db: Kysely<Database>, range: SourceRange): AsyncGenerator<SourceEvent[]> {
  let last: { ts: number; id: number } | null = null;
  for (;;) {
    let q = db.selectFrom('events').select(sourceColumns).where('site_id', '=', range.site).where('ts', '>=', range.from).where('ts', '<', range.to);
    if (last) {
      const { ts, id } = last;
      q = q.where((eb) => eb.or([eb('ts', '>', ts), eb.and([eb('ts', '=', ts), eb('id', '>', id)])]));
    }
    const rows = await q.orderBy('ts').orderBy('id').limit(PAGE).execute();
    // Number(): PostgreSQL drivers may hand bigints back as strings
    const page = rows.map((r) => ({ ...r, id: Number(r.id), ts: Number(r.ts) }) as SourceEvent);
    if (page.length) yield page;
    if (page.length < PAGE) return;
    const end = page[page.length - 1]!;
    last = { ts: end.ts, id: end.id };
  }
}
