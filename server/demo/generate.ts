import type { NewEvent } from '../store/schema.ts';
import { randomId } from '../http/random-id.ts';

/** Seeded PRNG (mulberry32) so a demo database looks the same every time it is made (and a failing test seed can be replayed). */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Weighted<T> = ReadonlyArray<readonly [T, number]>;

function picker(rand: () => number) {
  return <T>(table: Weighted<T>): T => {
    const total = table.reduce((s, [, w]) => s + w, 0);
    let r = rand() * total;
    for (const [v, w] of table) if ((r -= w) < 0) return v;
    return table[table.length - 1]![0];
  };
}

const pages: Weighted<[string, string]> = [
  ['/demo/', 'ハルニレ技研 | Harunire Giken'],
  ['/demo/products', '製品情報 | Products'],
  ['/demo/products/sensor', '環境センサー | Environmental sensor'],
  ['/demo/products/gateway', 'ゲートウェイ | Gateway'],
  ['/demo/about', '会社概要 | About us'],
  ['/demo/news', 'ニュース | News'],
  ['/demo/news/2026-autumn-release', '秋の新製品 | Autumn release'],
  ['/demo/careers', '採用情報 | Careers'],
  ['/demo/contact', 'お問い合わせ | Contact'],
].map(([p, t], i) => [[p!, t!], [30, 18, 9, 7, 10, 8, 6, 5, 7][i]!] as const);

const referrers: Weighted<[string, string] | null> = [
  [null, 45],
  [['www.google.com', '/'], 28],
  [['www.bing.com', '/search'], 4],
  [['search.yahoo.co.jp', '/search'], 8],
  [['www.linkedin.com', '/feed/'], 5],
  [['x.com', '/'], 4],
  [['news.example.jp', '/tech/iot'], 3],
  [['github.com', '/harunire'], 3],
];
const campaigns: Weighted<[string, string, string] | null> = [
  [null, 88],
  [['newsletter', 'email', '2026-11'], 6],
  [['linkedin', 'social', 'autumn-release'], 4],
  [['google', 'cpc', 'sensor-brand'], 2],
];
const countries: Weighted<[string, string]> = [
  [['JP', '203.0.113.0'], 72],
  [['US', '198.51.100.0'], 9],
  [['DE', '192.0.2.0'], 4],
  [['TW', '203.0.114.0'], 4],
  [['KR', '203.0.115.0'], 3],
  [['SG', '203.0.116.0'], 3],
  [['GB', '203.0.117.0'], 3],
  [['FR', '203.0.118.0'], 2],
];
const clients: Weighted<[string, string, string, string]> = [
  [['Chrome', '131', 'Windows', 'desktop'], 30],
  [['Edge', '131', 'Windows', 'desktop'], 14],
  [['Safari', '18', 'iOS', 'mobile'], 22],
  [['Chrome', '131', 'Android', 'mobile'], 12],
  [['Safari', '18', 'Mac OS', 'desktop'], 10],
  [['Firefox', '133', 'Windows', 'desktop'], 5],
  [['Safari', '18', 'iOS', 'tablet'], 4],
  [['Chrome', '131', 'Mac OS', 'desktop'], 3],
];
const languages: Weighted<string> = [['ja', 70], ['en-us', 18], ['zh-tw', 4], ['ko', 3], ['de', 3], ['fr', 2]];

/** Business-hours curve in JST: a corporate site is read at work. */
const hourWeight = [1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 10, 9, 7, 9, 10, 10, 9, 8, 6, 5, 4, 3, 2, 1];

export interface DemoOptions {
  siteId: string;
  days: number;
  now: number;
  visitorsPerWeekday?: number;
  seed?: number;
}

/** A few weeks of plausible traffic for the demo site, shaped like rows the ingest pipeline writes. */
export function* demoEvents(opts: DemoOptions): Generator<NewEvent> {
  const rand = prng(opts.seed ?? 20261122);
  const pick = picker(rand);
  const perDay = opts.visitorsPerWeekday ?? 260;
  const start = opts.now - opts.days * 86_400_000;
  const returning: string[] = [];
  for (let day = 0; day < opts.days; day++) {
    const dayStart = start + day * 86_400_000;
    const weekday = new Date(dayStart + 9 * 3_600_000).getUTCDay();
    const growth = 1 + day / opts.days / 3;
    const visitors = Math.round(perDay * growth * (weekday === 0 || weekday === 6 ? 0.35 : 1) * (0.85 + rand() * 0.3));
    for (let v = 0; v < visitors; v++) {
      const hour = pick(hourWeight.map((w, h) => [h, w] as const));
      // hours above are JST; the day boundary is UTC midnight, nine hours earlier
      const ts0 = dayStart + ((hour - 9 + 24) % 24) * 3_600_000 + Math.floor(rand() * 3_600_000);
      if (ts0 > opts.now) continue;
      const cookie = rand() < 0.55;
      const visitorId = cookie && returning.length > 50 && rand() < 0.25 ? returning[Math.floor(rand() * returning.length)]! : randomId();
      if (cookie) returning.push(visitorId);
      const [country, ipTrunc] = pick(countries);
      const [browser, version, os, device] = pick(clients);
      const ref = pick(referrers);
      const utm = pick(campaigns);
      const language = pick(languages);
      const sessionId = randomId();
      const views = rand() < 0.42 ? 1 : 1 + Math.floor(rand() * rand() * 7);
      let ts = ts0;
      for (let i = 0; i < views && ts <= opts.now; i++) {
        const [path, title] = i === 0 && ref?.[0] === 'news.example.jp' ? ['/demo/news/2026-autumn-release', '秋の新製品 | Autumn release'] : pick(pages);
        const base: NewEvent = {
          ts,
          site_id: opts.siteId,
          type: 'pageview',
          name: null,
          path,
          query: null,
          title,
          referrer_host: i === 0 ? (ref?.[0] ?? null) : null,
          referrer_path: i === 0 ? (ref?.[1] ?? null) : null,
          utm_source: i === 0 ? (utm?.[0] ?? null) : null,
          utm_medium: i === 0 ? (utm?.[1] ?? null) : null,
          utm_campaign: i === 0 ? (utm?.[2] ?? null) : null,
          utm_term: null,
          utm_content: null,
          country,
          browser,
          browser_version: version,
          os,
          device,
          language,
          ip_trunc: ipTrunc,
          visitor_id: visitorId,
          visitor_kind: cookie ? 'cookie' : 'hash',
          session_id: sessionId,
          props: null,
        };
        yield base;
        const action = rand();
        if (path === '/demo/contact' && action < 0.25) {
          yield { ...base, ts: ts + 40_000, type: 'event', name: 'Contact Form: Submit', props: JSON.stringify({ topic: rand() < 0.6 ? 'sales' : 'support' }), referrer_host: null, referrer_path: null };
        } else if (path.startsWith('/demo/products') && action < 0.12) {
          yield { ...base, ts: ts + 25_000, type: 'event', name: 'File Download', props: JSON.stringify({ url: 'https://localhost/demo/files/catalog.pdf' }), referrer_host: null, referrer_path: null };
        } else if (action < 0.04) {
          yield { ...base, ts: ts + 15_000, type: 'event', name: 'Outbound Link: Click', props: JSON.stringify({ url: 'https://github.com/harunire' }), referrer_host: null, referrer_path: null };
        }
        ts += 20_000 + Math.floor(rand() * 150_000);
      }
    }
  }
}
