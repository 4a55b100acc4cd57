import type { ItemId } from '../../policy/schema.ts';
import type { EventsTable } from './schema.ts';

/**
 * Which policy item each stored event column belongs to. Ingest blanks every column whose item the policy
 * does not list, and a test fails if a column is added without an entry here — so nothing can be stored
 * that the policy does not name with a purpose and a retention.
 */
export const eventColumnItems: Record<keyof EventsTable, ItemId> = {
  id: 'access_time',
  ts: 'access_time',
  site_id: 'access_time',
  type: 'access_time',
  name: 'custom_events',
  props: 'custom_events',
  path: 'page_url',
  query: 'page_url',
  utm_source: 'page_url',
  utm_medium: 'page_url',
  utm_campaign: 'page_url',
  utm_term: 'page_url',
  utm_content: 'page_url',
  title: 'page_title',
  referrer_host: 'referrer',
  referrer_path: 'referrer',
  country: 'country',
  browser: 'device_info',
  browser_version: 'device_info',
  os: 'device_info',
  device: 'device_info',
  language: 'device_info',
  ip_trunc: 'ip_address',
  visitor_id: 'visitor_id',
  visitor_kind: 'visitor_id',
  session_id: 'visitor_id',
};
