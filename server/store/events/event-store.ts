import type { NewEvent } from '../schema.ts';

/**
 * The one door to events and visits. Every report, a visitor's rows and every deletion go through an
 * EventStore; its engines (DuckDB embedded, the SQLite/PostgreSQL row store) each own their SQL. Values are
 * always bound; identifiers come only from the dimension allow-list, and an engine checks them again.
 */
export interface EventStore {
  readonly engine: 'duckdb' | 'sqlite' | 'postgres';
  /** Stores a batch (the ingest path commits through the ledger's writer; this is for shipping, tests and benchmarks). */
  append(rows: readonly NewEvent[]): Promise<void>;
  /** Brings in what was committed elsewhere and not yet here (DuckDB: the SQLite tail); a no-op for a row store. */
  sync(): Promise<void>;

  totals(q: ReportQuery): Promise<Totals>;
  /** Totals per bucket of the site's local calendar (DST-correct), only buckets that have data. */
  series(q: ReportQuery, interval: Interval): Promise<SeriesRow[]>;
  breakdown(q: ReportQuery, dimension: DimensionRef, limit: number): Promise<BreakdownRow[]>;
  /** Distinct visitors with an event since `since`. */
  currentVisitors(site: string, since: number): Promise<number>;
  /** Visits that viewed the pages in order (each step after the previous one, within the visit). */
  funnel(q: ReportQuery, pages: readonly string[]): Promise<FunnelStep[]>;
  /** The pages viewed right after `page` within a visit, most frequent first. */
  journey(q: ReportQuery, page: string, limit: number): Promise<JourneyRow[]>;

  /** A cookie visitor's events and visits (my-data). */
  visitorRows(visitorId: string): Promise<{ events: Record<string, unknown>[]; visits: Record<string, unknown>[] }>;
  /** Deletes a cookie visitor's events and visits, and makes sure the bytes leave the files. */
  deleteVisitor(visitorId: string): Promise<{ events: number; visits: number }>;
  /** Retention: events before `cutoff`, and visits wholly before it. */
  deleteBefore(cutoff: number): Promise<{ events: number; visits: number }>;
  /** Retention of short-lived items: blanks the columns on events before `cutoff`. */
  blankEventColumns(columns: readonly BlankableColumn[], cutoff: number): Promise<number>;
  close(): Promise<void>;
}

export type Interval = 'hour' | 'day' | 'week' | 'month';

/** Columns a retention rule may blank (every nullable event column: the policy decides which item lives how long). */
export const blankableColumns = [
  'name', 'path', 'query', 'title', 'referrer_host', 'referrer_path', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term',
  'utm_content', 'country', 'browser', 'browser_version', 'os', 'device', 'language', 'ip_trunc', 'props',
] as const;
export type BlankableColumn = (typeof blankableColumns)[number];

/** A dimension as the stats allow-list resolves it (server/stats/dimensions.ts). */
export type DimensionRef =
  | { level: 'session'; name: string; column: string }
  | { level: 'event'; name: string; column: string }
  | { level: 'prop'; name: string; key: string };

export interface ReportFilter {
  dimension: DimensionRef;
  op: 'is' | 'is_not';
  /** `(none)` matches an empty value */
  value: string;
}

/** A site, whole local days [fromDay, toDay] in its zone and the instants [from, to) they span, and filters. */
export interface ReportQuery {
  site: string;
  tz: string;
  from: number;
  to: number;
  fromDay: string;
  toDay: string;
  filters: readonly ReportFilter[];
}

export interface Totals {
  visitors: number;
  visits: number;
  pageviews: number;
  bounces: number;
  /** summed visit durations, ms */
  duration: number;
  /** custom events */
  events: number;
}

export interface SeriesRow extends Totals {
  /** bucket label: local `YYYY-MM-DDTHH:00` for hours, the local start day `YYYY-MM-DD` otherwise */
  date: string;
}

export interface BreakdownRow extends Omit<Totals, 'visitors'> {
  value: string | null;
  visitors: number;
}

export interface FunnelStep {
  page: string;
  visits: number;
  visitors: number;
}

export interface JourneyRow {
  page: string;
  visits: number;
  transitions: number;
}

/** A row of an event-level breakdown (pages, event names, props): its count is page views or events, no visit rates. */
export function eventBreakdownRow(r: { value?: unknown; visitors?: unknown; visits?: unknown; count?: unknown }, type: 'pageview' | 'event'): BreakdownRow {
  const n = (v: unknown) => Number(v ?? 0);
  return {
    value: r.value === null || r.value === undefined ? null : String(r.value),
    visitors: n(r.visitors),
    visits: n(r.visits),
    pageviews: type === 'pageview' ? n(r.count) : 0,
    events: type === 'event' ? n(r.count) : 0,
    bounces: 0,
    duration: 0,
  };
}
