import type { Kysely, Selectable, Transaction } from 'kysely';
import { toView, type ReceiptView } from '../consent/receipts.ts';
import { redactReceipts } from '../consent/retention.ts';
import type { SessionTracker } from '../ingest/sessions.ts';
import type { Database, EventRow, SessionRow } from '../store/schema.ts';
import { exportView, provisionView, type ProvisionView } from './provisions.ts';
import type { IdHasher } from './id-hash.ts';
import type { EventStore } from '../store/events/event-store.ts';

/**
 * Everything held about one browser, found by the random ids it holds: the cookie id (`ashiato_id`: events
 * and visits) and the consent id (`ashiato_consent`: consent receipts). Used by the visitor's own
 * /privacy/my-data and by privacy-office cases alike. Only cookie-keyed rows are ever matched: a daily
 * hash (cookieless visitor) cannot be linked to anyone and is never looked up.
 */

export interface VisitorKeys {
  cookieId?: string | undefined;
  consentId?: string | undefined;
}

export interface EventView {
  time: number;
  site: string;
  type: EventRow['type'];
  name: string | null;
  path: string | null;
  query: string | null;
  title: string | null;
  referrerHost: string | null;
  referrerPath: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  utmTerm: string | null;
  utmContent: string | null;
  country: string | null;
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  device: string | null;
  language: string | null;
  ipTruncated: string | null;
  session: string;
  props: Record<string, string | number | boolean> | null;
}

export interface SessionView {
  id: string;
  site: string;
  startedAt: number;
  lastSeenAt: number;
  entryPath: string | null;
  exitPath: string | null;
  pageviews: number;
  events: number;
  referrerHost: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  country: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
}

export interface VisitorData {
  events: EventView[];
  sessions: SessionView[];
  receipts: ReceiptView[];
  /** provisions to third parties whose exports covered this browser's events */
  provisions: ProvisionView[];
  /** whether the use of the cookie id is stopped */
  suppressed: boolean;
}

type Db = Kysely<Database> | Transaction<Database>;

/** Keeps `in (…)` lists well under every database's parameter limit. */
const CHUNK = 500;
function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

const n = (v: number) => Number(v);

export function eventView(r: EventRow): EventView {
  return {
    time: n(r.ts),
    site: r.site_id,
    type: r.type,
    name: r.name,
    path: r.path,
    query: r.query,
    title: r.title,
    referrerHost: r.referrer_host,
    referrerPath: r.referrer_path,
    utmSource: r.utm_source,
    utmMedium: r.utm_medium,
    utmCampaign: r.utm_campaign,
    utmTerm: r.utm_term,
    utmContent: r.utm_content,
    country: r.country,
    browser: r.browser,
    browserVersion: r.browser_version,
    os: r.os,
    device: r.device,
    language: r.language,
    ipTruncated: r.ip_trunc,
    session: r.session_id,
    props: r.props === null ? null : (JSON.parse(r.props) as EventView['props']),
  };
}

export function sessionView(r: SessionRow): SessionView {
  return {
    id: r.id,
    site: r.site_id,
    startedAt: n(r.started_at),
    lastSeenAt: n(r.last_seen_at),
    entryPath: r.entry_path,
    exitPath: r.exit_path,
    pageviews: n(r.pageviews),
    events: n(r.events),
    referrerHost: r.referrer_host,
    utmSource: r.utm_source,
    utmMedium: r.utm_medium,
    utmCampaign: r.utm_campaign,
    country: r.country,
    browser: r.browser,
    os: r.os,
    device: r.device,
  };
}

/** A visitor's visits; their events are found through them (events have no visitor index, by design). */
function visitorSessions(db: Db, cookieId: string) {
  return db.selectFrom('sessions').selectAll().where('visitor_id', '=', cookieId).where('visitor_kind', '=', 'cookie').orderBy('started_at').execute();
}

async function eventsOf(db: Db, sessionIds: readonly string[]): Promise<EventRow[]> {
  const rows: EventRow[] = [];
  for (const ids of chunks(sessionIds)) {
    rows.push(...(await db.selectFrom('events').selectAll().where('session_id', 'in', ids).where('visitor_kind', '=', 'cookie').execute()));
  }
  return rows.sort((a, b) => n(a.ts) - n(b.ts) || n(a.id) - n(b.id));
}

/** Third-party provisions whose exports covered a site and time of one of these events. */
async function provisionsConcerning(db: Db, events: readonly EventRow[]): Promise<ProvisionView[]> {
  if (!events.length) return [];
  const sites = [...new Set(events.map((e) => e.site_id))];
  const exports = await db
    .selectFrom('privacy_exports')
    .selectAll()
    .where('kind', '=', 'third_party')
    .where('provision_id', 'is not', null)
    .where('site_id', 'in', sites)
    .execute();
  const covering = exports.filter((x) =>
    events.some((e) => e.site_id === x.site_id && (x.from_ts === null || n(e.ts) >= n(x.from_ts)) && (x.to_ts === null || n(e.ts) < n(x.to_ts))),
  );
  const ids = [...new Set(covering.map((x) => n(x.provision_id!)))];
  if (!ids.length) return [];
  const rows = await db.selectFrom('provisions').selectAll().where('id', 'in', ids).orderBy('id').execute();
  return rows.map((r) => provisionView(r, covering.filter((x) => n(x.provision_id!) === n(r.id)).map(exportView)));
}

export async function findVisitorData(db: Db, keys: VisitorKeys, isSuppressed: (cookieId: string) => boolean = () => false): Promise<VisitorData> {
  const sessions = keys.cookieId ? await visitorSessions(db, keys.cookieId) : [];
  const events = await eventsOf(
    db,
    sessions.map((s) => s.id),
  );
  const receipts = keys.consentId
    ? await db.selectFrom('consent_receipts').selectAll().where('consent_id', '=', keys.consentId).orderBy('seq').execute()
    : [];
  return {
    events: events.map(eventView),
    sessions: sessions.map(sessionView),
    receipts: receipts.map(toView),
    provisions: await provisionsConcerning(db, events),
    suppressed: keys.cookieId ? isSuppressed(keys.cookieId) : false,
  };
}

/** Several ids at once (a case may name more than one browser): the data of each, merged. */
export interface VisitorKeySet {
  cookieIds: readonly string[];
  consentIds: readonly string[];
}

export const keySetOf = (keys: VisitorKeys): VisitorKeySet => ({
  cookieIds: keys.cookieId ? [keys.cookieId] : [],
  consentIds: keys.consentId ? [keys.consentId] : [],
});

export async function findVisitorDataFor(db: Db, set: VisitorKeySet, isSuppressed?: (cookieId: string) => boolean): Promise<VisitorData> {
  const parts: VisitorData[] = [];
  for (const cookieId of set.cookieIds) parts.push(await findVisitorData(db, { cookieId }, isSuppressed));
  for (const consentId of set.consentIds) parts.push(await findVisitorData(db, { consentId }, isSuppressed));
  const provisions = new Map<number, ProvisionView>();
  for (const p of parts.flatMap((d) => d.provisions)) provisions.set(p.id, p);
  return {
    events: parts.flatMap((d) => d.events).sort((a, b) => a.time - b.time),
    sessions: parts.flatMap((d) => d.sessions).sort((a, b) => a.startedAt - b.startedAt),
    receipts: parts.flatMap((d) => d.receipts).sort((a, b) => a.seq - b.seq),
    provisions: [...provisions.values()].sort((a, b) => a.id - b.id),
    suppressed: parts.some((d) => d.suppressed),
  };
}

export type DataClass = 'events' | 'sessions' | 'consent_receipts';

export interface DeletionResult {
  events: number;
  sessions: number;
  /** receipts whose content was blanked (their place in the chain stays) */
  receipts: number;
  /** earlier deletions recorded for the same ids: this one repeats a request */
  previousDeletions: number;
  deletionLogId: number;
}

export interface DeleteOptions {
  now: number;
  hash: IdHasher;
  source: 'visitor' | 'case';
  caseId?: number;
  /** the ingest session tracker, so a later event starts a fresh visit instead of joining a deleted one */
  sessions?: SessionTracker;
  /** the reports' event store, when it is not the ledger's own tables (DuckDB): the visitor's rows go there too */
  events?: EventStore | undefined;
}

/**
 * Deletes a browser's events and visits, blanks its consent receipts' content (redactReceipts: the chain
 * still verifies), blanks the ids on any case that named them, and records the deletion without the data:
 * when, which classes, counts, and keyed hashes of the ids. One transaction.
 */
export async function deleteVisitorData(db: Kysely<Database>, keys: VisitorKeys, options: DeleteOptions): Promise<DeletionResult> {
  const { now, hash } = options;
  const idHash = keys.cookieId ? hash(keys.cookieId) : null;
  const consentHash = keys.consentId ? hash(keys.consentId) : null;
  const result = await db.transaction().execute(async (trx) => {
    let events = 0;
    let sessions = 0;
    let receipts = 0;
    const sites = new Set<string>();
    if (keys.cookieId) {
      const visits = await visitorSessions(trx, keys.cookieId);
      for (const ids of chunks(visits.map((s) => s.id))) {
        const res = await trx.deleteFrom('events').where('session_id', 'in', ids).where('visitor_kind', '=', 'cookie').executeTakeFirst();
        events += Number(res.numDeletedRows);
      }
      const res = await trx.deleteFrom('sessions').where('visitor_id', '=', keys.cookieId).where('visitor_kind', '=', 'cookie').executeTakeFirst();
      sessions = Number(res.numDeletedRows);
      // the rollup's record of who it counted today holds the id too
      await trx.deleteFrom('stats_seen').where('visitor_id', '=', keys.cookieId).execute();
      visits.forEach((s) => sites.add(s.site_id));
    }
    if (keys.consentId) receipts = (await redactReceipts(trx, keys.consentId, now)).redacted;
    const values = [keys.cookieId, keys.consentId].filter((v): v is string => !!v);
    if (values.length) await trx.updateTable('privacy_case_links').set({ value: null }).where('value', 'in', values).execute();

    const hashes = [idHash, consentHash].filter((h): h is string => h !== null);
    let previous = 0;
    if (hashes.length) {
      const row = await trx
        .selectFrom('deletion_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) => eb.or([eb('id_hash', 'in', hashes), eb('consent_hash', 'in', hashes)]))
        .executeTakeFirstOrThrow();
      previous = Number(row.n);
    }
    const classes: DataClass[] = [...(keys.cookieId ? (['events', 'sessions'] as const) : []), ...(keys.consentId ? (['consent_receipts'] as const) : [])];
    const log = await trx
      .insertInto('deletion_log')
      .values({
        at: now,
        source: options.source,
        case_id: options.caseId ?? null,
        id_hash: idHash,
        consent_hash: consentHash,
        classes: JSON.stringify(classes),
        counts: JSON.stringify({ events, sessions, consent_receipts: receipts }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { events, sessions, receipts, previousDeletions: previous, deletionLogId: Number(log.id), sites };
  });
  if (keys.cookieId) for (const site of result.sites) options.sessions?.forget(site, keys.cookieId);
  if (keys.cookieId && options.events && options.events.engine === 'duckdb') await options.events.deleteVisitor(keys.cookieId);
  const { sites: _sites, ...counts } = result;
  return counts;
}

export interface DeletionLogView {
  id: number;
  at: number;
  source: 'visitor' | 'case';
  caseId: number | null;
  classes: DataClass[];
  counts: Record<DataClass, number>;
  /** the same id was deleted before (compare hashes; the ids themselves are not kept) */
  idHash: string | null;
  consentHash: string | null;
}

export function deletionLogView(r: Selectable<Database['deletion_log']>): DeletionLogView {
  return {
    id: Number(r.id),
    at: Number(r.at),
    source: r.source,
    caseId: r.case_id === null ? null : Number(r.case_id),
    classes: JSON.parse(r.classes) as DataClass[],
    counts: JSON.parse(r.counts) as Record<DataClass, number>,
    idHash: r.id_hash,
    consentHash: r.consent_hash,
  };
}
