import { createHash } from 'node:crypto';
import type { LoadedPolicy } from '../../policy/load.ts';
import { toCsv } from '../stats/csv.ts';
import type { ReceiptView } from '../consent/receipts.ts';
import type { ProvisionView } from './provisions.ts';
import type { EventView, SessionView, VisitorData, VisitorKeySet } from './visitor-data.ts';

/**
 * A browser's data as an electronic record (APPI 33: disclosure by electronic record): JSON with every
 * field, or one CSV table in which each row says which kind of record it is.
 */

export interface MyDataExport {
  format: 'ashiato-my-data-v1';
  generatedAt: string;
  controller: { ja: string; en: string };
  policyRevision: string;
  /** the ids the data was found by */
  keys: { cookieIds: string[]; consentIds: string[] };
  /** statistics already computed from these records are aggregates and are not part of this file */
  events: EventView[];
  sessions: SessionView[];
  consentReceipts: ReceiptView[];
  provisions: ProvisionView[];
  suppressed: boolean;
}

export type ExportFormat = 'json' | 'csv';

export interface ExportFile {
  body: string;
  contentType: string;
  fileName: string;
  /** records in the file (events + sessions + receipts + provisions) */
  rows: number;
  sha256: string;
}

export function myDataJson(data: VisitorData, keys: VisitorKeySet, policy: LoadedPolicy, now: number): MyDataExport {
  return {
    format: 'ashiato-my-data-v1',
    generatedAt: new Date(now).toISOString(),
    controller: policy.policy.controller.name,
    policyRevision: policy.revision,
    keys: { cookieIds: [...keys.cookieIds], consentIds: [...keys.consentIds] },
    events: data.events,
    sessions: data.sessions,
    consentReceipts: data.receipts,
    provisions: data.provisions,
    suppressed: data.suppressed,
  };
}

export const csvColumns = [
  'record', 'time', 'site', 'kind', 'name', 'path', 'query', 'title', 'referrer', 'utm_source', 'utm_medium',
  'utm_campaign', 'utm_term', 'utm_content', 'country', 'browser', 'browser_version', 'os', 'device', 'language',
  'ip_truncated', 'visit', 'properties', 'accepted', 'rejected', 'consent_mode', 'policy_revision', 'end_time',
  'exit_path', 'pageviews', 'events', 'recipient', 'legal_ground', 'items',
] as const;
type CsvRow = Partial<Record<(typeof csvColumns)[number], string | number | null>>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const joinPath = (host: string | null, path: string | null) => (host ? `${host}${path ?? ''}` : null);

function csvRows(data: VisitorData): CsvRow[] {
  const rows: CsvRow[] = [];
  for (const e of data.events) {
    rows.push({
      record: 'event', time: iso(e.time), site: e.site, kind: e.type, name: e.name, path: e.path, query: e.query, title: e.title,
      referrer: joinPath(e.referrerHost, e.referrerPath), utm_source: e.utmSource, utm_medium: e.utmMedium, utm_campaign: e.utmCampaign,
      utm_term: e.utmTerm, utm_content: e.utmContent, country: e.country, browser: e.browser, browser_version: e.browserVersion, os: e.os,
      device: e.device, language: e.language, ip_truncated: e.ipTruncated, visit: e.session, properties: e.props ? JSON.stringify(e.props) : null,
    });
  }
  for (const s of data.sessions) {
    rows.push({
      record: 'visit', time: iso(s.startedAt), end_time: iso(s.lastSeenAt), site: s.site, visit: s.id, path: s.entryPath, exit_path: s.exitPath,
      referrer: s.referrerHost, utm_source: s.utmSource, utm_medium: s.utmMedium, utm_campaign: s.utmCampaign, country: s.country,
      browser: s.browser, os: s.os, device: s.device, pageviews: s.pageviews, events: s.events,
    });
  }
  for (const r of data.receipts) {
    rows.push({
      record: 'consent_receipt', time: iso(r.ts), site: r.site, kind: r.action, path: r.path, accepted: r.accepted?.join(' ') ?? null,
      rejected: r.rejected?.join(' ') ?? null, consent_mode: r.mode, policy_revision: r.revision, language: r.language,
      ip_truncated: r.ipTrunc, browser: r.browser, browser_version: r.browserVersion, os: r.os, device: r.device,
    });
  }
  for (const p of data.provisions) {
    rows.push({
      record: 'provision', time: p.periodFrom, end_time: p.periodTo, recipient: p.recipient.name, legal_ground: p.legalGround, items: p.items.join(' '),
    });
  }
  return rows;
}

const digest = (body: string) => createHash('sha256').update(body, 'utf8').digest('hex');

export function myDataFile(data: VisitorData, keys: VisitorKeySet, policy: LoadedPolicy, now: number, format: ExportFormat): ExportFile {
  const day = new Date(now).toISOString().slice(0, 10).replaceAll('-', '');
  const rows = data.events.length + data.sessions.length + data.receipts.length + data.provisions.length;
  if (format === 'json') {
    const body = `${JSON.stringify(myDataJson(data, keys, policy, now), null, 2)}\n`;
    return { body, contentType: 'application/json; charset=utf-8', fileName: `my-data-${day}.json`, rows, sha256: digest(body) };
  }
  // a BOM so spreadsheet programs read the UTF-8 (Japanese titles) correctly
  const body = `\uFEFF${toCsv(csvColumns, csvRows(data).map((r) => csvColumns.map((c) => r[c] ?? null)))}`;
  return { body, contentType: 'text/csv; charset=utf-8', fileName: `my-data-${day}.csv`, rows, sha256: digest(body) };
}
