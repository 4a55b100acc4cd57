/**
 * The visitor API behind /privacy/my-data, typed once and shared (with `import type`) by the page's script
 * and the server. Every request is `POST` with a text/plain JSON body of the browser's ids, from the same
 * origin; the ids are random 128-bit values, and holding one is the proof of being its browser.
 */
import type { ReceiptView } from '../consent/receipts.ts';
import type { ProvisionView } from './provisions.ts';
import type { EventView, SessionView } from './visitor-data.ts';

/** Body of every /api/my-data request: at least one of the two. */
export interface MyDataRequest {
  /** the cookie id (`ashiato_id`) */
  v?: string;
  /** the consent id (the first part of `ashiato_consent`) */
  c?: string;
  /** the page's language: the language of a withdrawal receipt */
  l?: 'ja' | 'en';
}

/** At most this many events are listed on the page (newest first); the downloads have them all. */
export const MY_DATA_SHOWN = 500;

/** 200 answer of POST /api/my-data. */
export interface MyDataView {
  counts: { events: number; sessions: number; receipts: number; provisions: number };
  /** newest first, at most MY_DATA_SHOWN */
  events: EventView[];
  sessions: SessionView[];
  receipts: ReceiptView[];
  provisions: ProvisionView[];
  /** time of the oldest and newest event, null without events */
  firstSeen: number | null;
  lastSeen: number | null;
  /** the use of the cookie id is stopped (suspension or withdrawal) */
  suppressed: boolean;
}

/** 200 answer of POST /api/my-data/delete. */
export interface MyDataDeleted {
  deleted: { events: number; sessions: number; receipts: number };
  /** deletions recorded before for the same ids */
  previousDeletions: number;
}

/** 200 answer of POST /api/my-data/suspend. */
export interface MyDataSuspended {
  suppressed: true;
}

/** 201 answer of POST /api/my-data/withdraw. */
export interface MyDataWithdrawn {
  /** the consent id the withdrawal receipt was recorded under (a new one when the browser had none) */
  consentId: string;
  /** the cookie id's use is stopped too (when a cookie id was sent) */
  suppressed: boolean;
}
