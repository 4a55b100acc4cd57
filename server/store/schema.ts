import type { Generated, Insertable, Selectable } from 'kysely';
import type { AuthTables } from './tables/auth.ts';
import type { ConsentTables } from './tables/consent.ts';
import type { JobTables } from './tables/jobs.ts';
import type { PrivacyTables } from './tables/privacy.ts';
import type { ReleaseTables } from './tables/releases.ts';
import type { StatsTables } from './tables/stats.ts';

/** Row types of the store. Timestamps are integer milliseconds since the epoch, the same on every dialect. */

export interface SitesTable {
  id: string;
  /** JSON array of host names the tracker may send from */
  domains: string;
  /** IANA time zone the site's statistics are reported in */
  timezone: string;
  created_at: number;
}

export type VisitorKind = 'cookie' | 'hash';

export interface EventsTable {
  id: Generated<number>;
  ts: number;
  site_id: string;
  type: 'pageview' | 'event';
  name: string | null;
  path: string | null;
  /** query string left after personal-looking parameters and utm_* were taken out */
  query: string | null;
  title: string | null;
  referrer_host: string | null;
  referrer_path: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
  country: string | null;
  browser: string | null;
  browser_version: string | null;
  os: string | null;
  device: string | null;
  language: string | null;
  /** the truncated address only; the full one never leaves memory */
  ip_trunc: string | null;
  visitor_id: string;
  visitor_kind: VisitorKind;
  session_id: string;
  /** JSON object of custom event properties */
  props: string | null;
}

export interface SessionsTable {
  id: string;
  site_id: string;
  visitor_id: string;
  started_at: number;
  last_seen_at: number;
  entry_path: string | null;
  exit_path: string | null;
  pageviews: number;
  events: number;
  visitor_kind: VisitorKind;
  referrer_host: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  country: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
}

export interface SaltsTable {
  id: Generated<number>;
  /** each site has its own series of salts, turning at its local midnight ('' on rows from before that) */
  site_id: Generated<string>;
  /** 32 random bytes, hex; never derived from the date, so old hashes cannot be recomputed once it is deleted */
  secret: string;
  /** when the salt takes effect (ms): the site's local midnight; the next one is written a few minutes ahead (server/ingest/salts.ts) */
  created_at: number;
}

export interface Database extends AuthTables, ConsentTables, StatsTables, PrivacyTables, ReleaseTables, JobTables {
  sites: SitesTable;
  events: EventsTable;
  sessions: SessionsTable;
  salts: SaltsTable;
}

export type Site = Selectable<SitesTable>;
export type NewEvent = Insertable<EventsTable>;
export type EventRow = Selectable<EventsTable>;
export type SessionRow = Selectable<SessionsTable>;
