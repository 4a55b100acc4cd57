import type { AnonymizationPolicy } from '../../policy/schema.ts';
import { looksLikeIdentifier } from './identifier-like.ts';

/**
 * The first coarsening every value goes through (standard 4), before anything is counted: a path becomes its
 * section, a referrer its source domain, a browser or OS its family without version, a time its hour or day.
 */

export const OTHER = '(other)';
export const DIRECT = '(direct)';
/** a quasi-identifier generalized away entirely for a record whose class was too small */
export const ANY = '*';

/** `/products/a/b?x` → `/products`; `/` stays `/`. A section that looks like an id becomes (other). */
export function sectionOf(path: string | null): string | null {
  if (path === null) return null;
  const first = path.split(/[?#]/)[0]!.split('/').find((s) => s !== '');
  if (first === undefined) return '/';
  const section = `/${first.slice(0, 64).toLowerCase()}`;
  return looksLikeIdentifier(section) || section.includes('[') ? OTHER : section;
}

// Second-level labels under which registrations happen (co.jp, com.au, …): enough for the sources a site
// sees; a host under an unlisted one is merely generalized one label less, never kept whole.
const secondLevel = new Set(['co', 'ne', 'or', 'ac', 'go', 'ed', 'lg', 'gr', 'ad', 'com', 'net', 'org', 'gov', 'edu']);

/** `news.yahoo.co.jp` → `yahoo.co.jp`, `www.google.com` → `google.com`; addresses and bare names → (other). */
export function sourceDomain(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (!h.includes('.') || looksLikeIdentifier(h) || /^[\d.]+$/.test(h) || h.includes(':')) return OTHER;
  const labels = h.split('.');
  const n = labels.length >= 3 && secondLevel.has(labels.at(-2)!) && labels.at(-1)!.length === 2 ? 3 : 2;
  return labels.slice(-n).join('.');
}

/** Where a visit came from: its campaign source, else the referrer's domain, else (direct). */
export function sourceOf(referrerHost: string | null, utmSource: string | null): string {
  if (utmSource) {
    const s = utmSource.trim().toLowerCase().slice(0, 64);
    return s && !looksLikeIdentifier(s) ? s : OTHER;
  }
  return referrerHost ? sourceDomain(referrerHost) : DIRECT;
}

// ua-parser-js names a few mobile and embedded variants separately; they are the same family.
const browserFamilies: Record<string, string> = {
  'Mobile Safari': 'Safari',
  'Chrome Headless': 'Chrome',
  'Chrome WebView': 'Chrome',
  'Mobile Firefox': 'Firefox',
  'Firefox Focus': 'Firefox',
  'Edge Mobile': 'Edge',
  'Opera Mobi': 'Opera',
  'Opera Mini': 'Opera',
  'Samsung Browser': 'Samsung Internet',
};

export function browserFamily(browser: string | null): string | null {
  if (!browser) return null;
  return browserFamilies[browser] ?? browser.replace(/\s*(Mobile|WebView)$/i, '');
}

const osFamilies: Record<string, string> = {
  'Mac OS': 'macOS',
  macOS: 'macOS',
  iOS: 'iOS',
  iPadOS: 'iOS',
  Android: 'Android',
  Windows: 'Windows',
  'Windows Phone': 'Windows',
  'Chromium OS': 'ChromeOS',
  'Chrome OS': 'ChromeOS',
  Linux: 'Linux',
  Ubuntu: 'Linux',
  Debian: 'Linux',
  Fedora: 'Linux',
  HarmonyOS: 'Android',
};

export function osFamily(os: string | null): string | null {
  if (!os) return null;
  return osFamilies[os] ?? OTHER;
}

const HOUR = 60 * 60 * 1000;

/** A local-time formatter per zone: `YYYY-MM-DD` and `HH`. */
function localParts(timeZone: string) {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
  return (ts: number) => {
    const parts = Object.fromEntries(fmt.formatToParts(new Date(ts)).map((p) => [p.type, p.value]));
    return { day: `${parts.year}-${parts.month}-${parts.day}`, hour: parts.hour! };
  };
}

/** A record's time at the policy's granularity, in the site's time zone: `2026-11-22` or `2026-11-22T09`. */
export function timeBucketer(timeZone: string, granularity: AnonymizationPolicy['time']) {
  const parts = localParts(timeZone);
  const cache = new Map<number, string>();
  return (ts: number): string => {
    const hour = Math.floor(ts / HOUR);
    let bucket = cache.get(hour);
    if (bucket === undefined) {
      const p = parts(hour * HOUR);
      bucket = granularity === 'hour' ? `${p.day}T${p.hour}` : p.day;
      cache.set(hour, bucket);
    }
    return bucket;
  };
}

/** Midnight at the start of a calendar day (YYYY-MM-DD) in a time zone, in ms. */
export function zonedMidnight(day: string, timeZone: string): number {
  const utc = Date.parse(`${day}T00:00:00Z`);
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  const offsetAt = (ms: number) => {
    const p = Object.fromEntries(fmt.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - ms;
  };
  // the offset at the guess, then at the result: right across a daylight-saving change too
  const first = utc - offsetAt(utc);
  return utc - offsetAt(first);
}

/** One step coarser than a time bucket: an hour becomes its day, a day its ISO week (`2026-W47`). */
export function coarserTime(bucket: string): string {
  if (bucket.includes('T')) return bucket.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(bucket)) return ANY;
  const date = new Date(`${bucket}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7;
  date.setUTCDate(date.getUTCDate() - weekday + 3); // the week's Thursday names its ISO year
  const year = date.getUTCFullYear();
  const week = Math.floor((date.getTime() - Date.UTC(year, 0, 1)) / (7 * 24 * HOUR)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** A count above its cap is written as the cap (top-coding). */
export const topCode = (value: number, cap: number) => Math.min(value, cap);
