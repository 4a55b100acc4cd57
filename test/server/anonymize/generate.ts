import type { Kysely } from 'kysely';
import { emptyRow } from '../../../server/ingest/pipeline.ts';
import { randomId, timeOrderedId } from '../../../server/http/random-id.ts';
import { prng } from '../../../server/demo/generate.ts';
import type { Database, NewEvent } from '../../../server/store/schema.ts';

/** Skewed choice: early entries are common, the tail is rare — the values k-anonymity has to deal with. */
const skewed = <T>(rand: () => number, values: readonly T[]): T => values[Math.min(values.length - 1, Math.floor(values.length * rand() ** 3))]!;

const countries = ['JP', 'US', 'DE', 'TW', 'KR', 'FR', 'IS', 'NZ', 'LI'];
const devices = ['desktop', 'mobile', 'tablet'];
const browsers: [string, string][] = [['Chrome', '131'], ['Mobile Safari', '18'], ['Edge', '131'], ['Firefox', '133'], ['Samsung Browser', '27'], ['Opera', '115'], ['Vivaldi', '7']];
const oses = ['Windows', 'iOS', 'Mac OS', 'Android', 'Linux', 'Chromium OS', 'HarmonyOS'];
const paths = ['/', '/products', '/products/sensor', '/about', '/news/2026-autumn', '/careers', '/contact', '/u/taro.yamada@example.jp', '/orders/8f14e45fceea167a5a36dedd4bea2543'];
const referrers: (string | null)[] = [null, 'www.google.com', 'search.yahoo.co.jp', 'www.bing.com', 'news.example.jp', 't.co', '10.20.30.40', 'intranet-host', 'mail.tiny-partner.co.jp'];
const utmSources: (string | null)[] = [null, null, null, 'newsletter', 'linkedin', 'jiro@example.com'];
const titles = ['Home', 'Products', 'About us', 'お問い合わせ', 'Order 8f14e45fceea167a for 山田太郎 <yamada@example.jp>'];
const plans = ['free', 'pro', 'enterprise', 'custom-acme-corp-2026-deal'];

export interface Generated {
  events: number;
  visitorIds: string[];
  sessionIds: string[];
  ipTruncs: string[];
  queries: string[];
  /** ids planted in event props (a consent or cookie id a site might send by mistake) */
  propIds: string[];
}

/**
 * Inserts `visitors` visitors' events on one site: skewed countries, devices, browsers, referrers and paths
 * (so rare values and small classes occur), free text that holds e-mails and ids, truncated IPs, queries.
 */
export async function generateEvents(db: Kysely<Database>, opts: { seed: number; visitors: number; site?: string; start: number; days: number }): Promise<Generated> {
  const rand = prng(opts.seed);
  const site = opts.site ?? 'example.com';
  const rows: NewEvent[] = [];
  const out: Generated = { events: 0, visitorIds: [], sessionIds: [], ipTruncs: [], queries: [], propIds: [] };
  for (let v = 0; v < opts.visitors; v++) {
    const visitorId = randomId();
    out.visitorIds.push(visitorId);
    const ip = `${100 + Math.floor(rand() * 100)}.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}.0`;
    out.ipTruncs.push(ip);
    const [browser, version] = skewed(rand, browsers);
    const fixed = { country: skewed(rand, countries), device: skewed(rand, devices), browser, browser_version: version, os: skewed(rand, oses), ip_trunc: ip, language: 'ja-JP' };
    const visits = 1 + Math.floor(rand() ** 2 * 4);
    for (let s = 0; s < visits; s++) {
      let ts = opts.start + Math.floor(rand() * opts.days * 86_400_000);
      const sessionId = timeOrderedId(ts);
      out.sessionIds.push(sessionId);
      const referrer = skewed(rand, referrers);
      const utm = skewed(rand, utmSources);
      const length = 1 + Math.floor(rand() ** 2 * 40);
      for (let e = 0; e < length; e++) {
        const isEvent = rand() < 0.2;
        const query = rand() < 0.3 ? `ref=${randomId()}&page=${e}` : null;
        if (query) out.queries.push(query);
        const cid = randomId();
        if (isEvent) out.propIds.push(cid);
        rows.push({
          ...emptyRow(site, isEvent ? 'event' : 'pageview', ts),
          ...fixed,
          name: isEvent ? skewed(rand, ['signup', 'download', 'outbound', 'chat-with-ken@example.jp']) : null,
          props: isEvent ? JSON.stringify({ plan: skewed(rand, plans), email: 'hanako@example.jp', cid }) : null,
          path: skewed(rand, paths),
          query,
          title: skewed(rand, titles),
          referrer_host: e === 0 ? referrer : null,
          referrer_path: e === 0 && referrer ? '/search' : null,
          utm_source: e === 0 ? utm : null,
          visitor_id: visitorId,
          visitor_kind: 'cookie',
          session_id: sessionId,
        });
        ts += 1_000 + Math.floor(rand() * 120_000);
      }
    }
  }
  for (let i = 0; i < rows.length; i += 400) await db.insertInto('events').values(rows.slice(i, i + 400)).execute();
  out.events = rows.length;
  return out;
}
