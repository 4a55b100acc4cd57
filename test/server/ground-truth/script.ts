/**
 * The scripted traffic of the ground-truth fixture: who does what, when, written as a person would
 * (a browser with an address and a user agent, pages, a consent choice). Nothing here knows how the server
 * stores or counts it; truth.ts works the expected figures out of this script alone.
 */

export const MIN = 60_000;
export const HOUR = 60 * MIN;

/** Peer addresses and the countries the test geo table gives them (test/helpers/app.ts); others have none. */
export const JP = '203.0.113.77';
export const DE = '198.51.100.23';
export const US = '192.0.2.44';
export const NOWHERE = '100.64.0.9';
export const countryOf: Record<string, string | null> = { [JP]: 'JP', [DE]: 'DE', [US]: 'US', [NOWHERE]: null };

export interface SiteSpec {
  id: string;
  hosts: string[];
  timezone: string;
}

/** Added without `www.`: its www. host refers traffic to itself and is no source. */
export const tokyo: SiteSpec = { id: 'example.com', hosts: ['example.com'], timezone: 'Asia/Tokyo' };
export const berlin: SiteSpec = { id: 'berlin.example', hosts: ['berlin.example'], timezone: 'Europe/Berlin' };
export const kathmandu: SiteSpec = { id: 'ktm.example', hosts: ['ktm.example'], timezone: 'Asia/Kathmandu' };
export const sites = [tokyo, berlin, kathmandu];

export type Props = Record<string, string | number | boolean>;

/** One request as the tracker sends it. `cookie`: the browser may keep an id (consent given, or not refused). */
export interface ScriptEvent {
  at: number;
  site: SiteSpec;
  person: string;
  peer: string;
  ua: string;
  width: number;
  cookie: boolean;
  path: string;
  /** the page's host; the site's own host by default */
  host?: string;
  referrer?: string;
  /** a custom event's name; a page view without it */
  name?: string;
  props?: Props;
}

interface Person {
  id: string;
  peer: string;
  width: number;
  ua: string;
}

let uaSeq = 0;
/** A browser: a user agent of its own, so no two people share a cookieless hash. */
function person(id: string, peer: string, width = 1440): Person {
  uaSeq++;
  const ua = `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${80 + uaSeq}.0.${uaSeq}.0 Safari/537.36`;
  return { id, peer, width, ua };
}

type Step = Partial<Omit<ScriptEvent, 'at' | 'site' | 'person' | 'peer' | 'ua' | 'width'>> & { after?: number };

/** A run of requests by one person: each step `after` ms after the previous (the first at `start`). */
function run(site: SiteSpec, p: Person, start: number, steps: Step[], cookie: boolean): ScriptEvent[] {
  let at = start;
  return steps.map((s, i) => {
    if (i > 0) at += s.after ?? 2 * MIN;
    const { after: _after, ...rest } = s;
    return { at, site, person: p.id, peer: p.peer, ua: p.ua, width: p.width, cookie, path: '/', ...rest };
  });
}

// Tokyo days 2026-10-24 .. 2026-10-26 (JST = UTC+9); Berlin leaves summer time on 2026-10-25 at 03:00 CEST.
const tokyoDay = (d: number, h: number, m = 0) => Date.UTC(2026, 9, d, h - 9, m);
const berlinUtc = (d: number, h: number, m = 0) => Date.UTC(2026, 9, d, h, m);
const ktmDay = (d: number, h: number, m = 0) => Date.UTC(2026, 9, d, h - 5, m - 45);

export const days = { tokyo: ['2026-10-24', '2026-10-25', '2026-10-26'], berlin: ['2026-10-24', '2026-10-25', '2026-10-26', '2026-10-27'], ktm: ['2026-10-24', '2026-10-25'] };

const pages = ['/', '/products', '/pricing', '/blog/a', '/contact'];
const referrers = [undefined, 'https://www.google.com/search?q=x', 'https://x.com/post/1', 'https://www.example.com/from-www', 'https://news.example.org/a'];
const peers = [JP, DE, US, NOWHERE];
const widths = [1440, 390, 800];

/** The moment the visit across an hour boundary is asked about while it goes on. */
export const midVisit = tokyoDay(25, 11, 40);

function build(): ScriptEvent[] {
  const out: ScriptEvent[] = [];
  // 30 ordinary visitors over three Tokyo days: varied countries, devices, sources, pages and lengths
  for (let i = 0; i < 30; i++) {
    const p = person(`t${i}`, peers[i % 4]!, widths[i % 3]!);
    const cookie = i % 3 !== 0;
    const start = tokyoDay(24 + (i % 3), 8 + (i % 11), (i * 7) % 60);
    const n = 1 + (i % 4);
    const steps: Step[] = [];
    for (let k = 0; k < n; k++) steps.push({ path: pages[(i + k) % pages.length]!, after: (1 + ((i + k) % 5)) * MIN, referrer: k === 0 ? referrers[i % referrers.length] : undefined });
    // some come in through the www. host the site was not added with
    if (i % 5 === 2) steps[0]!.host = 'www.example.com';
    if (i % 6 === 1) steps.push({ path: steps.at(-1)!.path, name: 'signup', props: i % 12 === 1 ? { plan: 'pro', paid: true, seats: 3 } : { plan: 'free', paid: false, seats: '3' } });
    if (i % 10 === 4) steps.push({ path: steps.at(-1)!.path, name: 'download', props: { paid: 'true', size: 2.5 } });
    out.push(...run(tokyo, p, start, steps, cookie));
    // a cookie visitor comes back the next day: the same visitor on another day
    if (i % 3 === 1 && i % 4 === 2) out.push(...run(tokyo, p, start + 24 * HOUR + 30 * MIN, [{ path: '/pricing' }, { path: '/contact' }], true));
  }

  // a visit across an hour boundary, asked about while it goes on (at midVisit) and again after
  {
    const p = person('long', JP);
    const steps: Step[] = [{ path: '/', referrer: 'https://www.google.com/search?q=long' }];
    for (let k = 1; k <= 12; k++) steps.push({ path: pages[k % pages.length]!, after: 10 * MIN });
    out.push(...run(tokyo, p, tokyoDay(25, 10, 40), steps, true));
  }

  // the 30-minute idle rule: 29 minutes continue the visit; exactly 30 and 31 begin new ones
  for (const [id, gap] of [['idle29', 29], ['idle30', 30], ['idle31', 31]] as const) {
    out.push(...run(tokyo, person(id, US), tokyoDay(26, 14), [{ path: '/' }, { path: '/products', after: gap * MIN }], true));
  }

  // across local midnight: a cookie visit from 23:50 to 00:10, active on both days
  out.push(...run(tokyo, person('midnight', JP), tokyoDay(24, 23, 50), [{ path: '/' }, { path: '/products', after: 10 * MIN }, { path: '/contact', after: 10 * MIN }], true));

  // a salt turn mid-visit: a cookieless visit from 23:55 to 00:15 stays one visit and one visitor
  out.push(...run(tokyo, person('salt-turn', DE), tokyoDay(25, 23, 55), [{ path: '/' }, { path: '/blog/a', after: 10 * MIN }, { path: '/contact', after: 10 * MIN }], false));

  // consent given mid-visit (hash → cookie) and withdrawn mid-visit (cookie → hash), in two regions each
  for (const [id, peer] of [['grant-jp', JP], ['grant-de', DE]] as const) {
    const p = person(id, peer);
    const start = tokyoDay(25, 15, id === 'grant-jp' ? 0 : 20);
    out.push(...run(tokyo, p, start, [{ path: '/' }, { path: '/products' }], false));
    out.push(...run(tokyo, p, start + 6 * MIN, [{ path: '/pricing' }, { path: '/contact' }], true));
  }
  for (const [id, peer] of [['withdraw-jp', JP], ['withdraw-us', US]] as const) {
    const p = person(id, peer, 390);
    const start = tokyoDay(26, 16, id === 'withdraw-jp' ? 0 : 20);
    out.push(...run(tokyo, p, start, [{ path: '/' }, { path: '/products' }], true));
    out.push(...run(tokyo, p, start + 6 * MIN, [{ path: '/pricing' }], false));
  }

  // Berlin across the end of summer time: 23:30 local on the 24th (CEST), the 25th (25 hours) and the 26th (CET)
  {
    const b = (id: string, at: number, steps: Step[], cookie = true) => out.push(...run(berlin, person(id, DE), at, steps, cookie));
    b('b1', berlinUtc(24, 21, 30), [{ path: '/' }, { path: '/a' }]); // 23:30 CEST on the 24th
    b('b2', berlinUtc(24, 22, 30), [{ path: '/' }]); // 00:30 CEST on the 25th
    b('b3', berlinUtc(25, 0, 30), [{ path: '/' }, { path: '/b' }], false); // 02:30 CEST, before the change
    b('b4', berlinUtc(25, 1, 30), [{ path: '/b' }]); // 02:30 CET, after it
    b('b5', berlinUtc(25, 22, 30), [{ path: '/' }, { path: '/a' }]); // 23:30 CET on the 25th
    b('b6', berlinUtc(26, 22, 30), [{ path: '/a' }]); // 23:30 CET on the 26th
    b('b7', berlinUtc(26, 23, 10), [{ path: '/' }], false); // 00:10 CET on the 27th
  }

  // Kathmandu (UTC+5:45): days cut at local midnight, a quarter past a UTC hour
  {
    const k = (id: string, at: number, steps: Step[]) => out.push(...run(kathmandu, person(id, NOWHERE), at, steps, false));
    k('k1', ktmDay(24, 23, 40), [{ path: '/' }, { path: '/x', after: 10 * MIN }]); // 23:40 → 23:50
    k('k2', ktmDay(24, 23, 55), [{ path: '/' }, { path: '/x', after: 10 * MIN }]); // 23:55 → 00:05
    k('k3', ktmDay(25, 0, 10), [{ path: '/y' }]);
  }
  return out.sort((a, b) => a.at - b.at);
}

export const script: readonly ScriptEvent[] = build();
