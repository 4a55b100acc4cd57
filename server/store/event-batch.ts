import type { InsertQueryBuilder, InsertResult, Kysely } from 'kysely';
import { arrayStatements, bulkStatements, type Statement } from './bulk-insert.ts';
import type { Database, NewEvent, SessionRow } from './schema.ts';
import { greatest, least, unnestRows, type ArrayElement, type DialectSql } from './sql.ts';

/** One upsert row per session and batch: the sessions table's own shape. */
export type SessionDelta = SessionRow;

/** Folds a batch's events into one upsert row per session. */
export function sessionDeltas(rows: readonly NewEvent[]): SessionDelta[] {
  const byId = new Map<string, SessionDelta>();
  for (const r of rows) {
    let s = byId.get(r.session_id);
    if (!s) {
      s = {
        id: r.session_id,
        site_id: r.site_id,
        visitor_id: r.visitor_id,
        started_at: r.ts,
        last_seen_at: r.ts,
        entry_path: null,
        exit_path: null,
        pageviews: 0,
        events: 0,
        ...sessionAttributes(r),
      };
      byId.set(r.session_id, s);
    } else if (r.ts < s.started_at) {
      Object.assign(s, sessionAttributes(r));
    }
    if (r.type === 'pageview') {
      s.pageviews++;
      // rows arrive in request order, which may differ slightly from ts order
      if (s.entry_path === null || r.ts < s.started_at) s.entry_path = r.path ?? null;
      if (s.exit_path === null || r.ts >= s.last_seen_at) s.exit_path = r.path ?? null;
    } else {
      s.events++;
    }
    if (r.ts < s.started_at) s.started_at = r.ts;
    if (r.ts > s.last_seen_at) s.last_seen_at = r.ts;
  }
  return [...byId.values()];
}

/** What a visit came from and on: taken from its first event (later ones never overwrite it). */
function sessionAttributes(r: NewEvent) {
  return {
    visitor_kind: r.visitor_kind,
    referrer_host: r.referrer_host ?? null,
    utm_source: r.utm_source ?? null,
    utm_medium: r.utm_medium ?? null,
    utm_campaign: r.utm_campaign ?? null,
    country: r.country ?? null,
    browser: r.browser ?? null,
    os: r.os ?? null,
    device: r.device ?? null,
  };
}

const eventColumns = [
  'ts', 'site_id', 'type', 'name', 'path', 'query', 'title', 'referrer_host', 'referrer_path',
  'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'country', 'browser',
  'browser_version', 'os', 'device', 'language', 'ip_trunc', 'visitor_id', 'visitor_kind', 'session_id', 'props',
] as const satisfies readonly (keyof NewEvent)[];

const sessionColumns = [
  'id', 'site_id', 'visitor_id', 'started_at', 'last_seen_at', 'entry_path', 'exit_path', 'pageviews', 'events',
  'visitor_kind', 'referrer_host', 'utm_source', 'utm_medium', 'utm_campaign', 'country', 'browser', 'os', 'device',
] as const satisfies readonly (keyof SessionDelta)[];

const byId = (a: SessionDelta, b: SessionDelta) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The statements that store a batch of events and fold them into their sessions. Kysely writes the SQL for
 * the dialect once per chunk size; who runs the statements (a Kysely transaction, a writer thread) is the
 * committer's business.
 */
export function eventBatchStatements(db: Kysely<Database>, dialect: DialectSql): (rows: readonly NewEvent[]) => Statement[] {
  const upsert = (insert: InsertQueryBuilder<Database, 'sessions', InsertResult>) =>
    insert.onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        started_at: least(dialect, eb.ref('sessions.started_at'), eb.ref('excluded.started_at')),
        last_seen_at: greatest(dialect, eb.ref('sessions.last_seen_at'), eb.ref('excluded.last_seen_at')),
        entry_path: eb.fn.coalesce('sessions.entry_path', 'excluded.entry_path'),
        exit_path: eb
          .case()
          .when(eb.and([eb('excluded.exit_path', 'is not', null), eb('excluded.last_seen_at', '>=', eb.ref('sessions.last_seen_at'))]))
          .then(eb.ref('excluded.exit_path'))
          .else(eb.ref('sessions.exit_path'))
          .end(),
        pageviews: eb('sessions.pageviews', '+', eb.ref('excluded.pageviews')),
        events: eb('sessions.events', '+', eb.ref('excluded.events')),
      })),
    );
  // PostgreSQL: one statement per table and batch, whatever its size; SQLite: multi-row VALUES in chunks
  const eventRows = unnestRows(dialect, eventColumns.map((c) => (c === 'ts' ? 'bigint' : 'text')));
  const sessionRows = unnestRows(dialect, sessionColumns.map(sessionColumnType));
  const insertEvents =
    eventRows !== undefined
      ? arrayStatements<NewEvent>(eventColumns, (arrays) => db.insertInto('events').columns(eventColumns).expression(eventRows(arrays)))
      : bulkStatements<NewEvent>(eventColumns, (rows) => db.insertInto('events').values(rows));
  const upsertSessions =
    sessionRows !== undefined
      ? arrayStatements<SessionDelta>(sessionColumns, (arrays) => upsert(db.insertInto('sessions').columns(sessionColumns).expression(sessionRows(arrays))))
      : bulkStatements<SessionDelta>(sessionColumns, (rows) => upsert(db.insertInto('sessions').values(rows)));
  // sessions in id order: two processes whose batches touch the same sessions lock their rows in the same
  // order, so concurrent commits on PostgreSQL wait for each other instead of deadlocking
  return (rows) => (rows.length ? [...insertEvents(rows), ...upsertSessions(sessionDeltas(rows).sort(byId))] : []);
}

function sessionColumnType(c: (typeof sessionColumns)[number]): ArrayElement {
  if (c === 'started_at' || c === 'last_seen_at') return 'bigint';
  return c === 'pageviews' || c === 'events' ? 'integer' : 'text';
}
