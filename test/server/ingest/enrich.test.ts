import { afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../server/runtime.ts';
import { createTestApp, desktopChromeUa, pageview, policyWith, sendEvent } from '../../helpers/app.ts';

let rt: (Runtime & { clock: { advance(ms: number): void } }) | undefined;
afterEach(async () => {
  await rt?.close();
  rt = undefined;
});

const rows = (r: Runtime) => r.store.db.selectFrom('events').selectAll().orderBy('id').execute();
const JP = '203.0.113.77';
const DE = '198.51.100.23';
const US = '192.0.2.44';
const iphoneUa = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

describe('what a stored event holds', () => {
  it('is enriched, truncated and scrubbed; the raw IP and user agent are gone', async () => {
    rt = await createTestApp();
    const res = await sendEvent(rt.app, pageview({ ti: 'Products' }), { peer: JP, ua: desktopChromeUa });
    expect(res.status).toBe(202);
    const [row] = await rows(rt);
    expect(row).toMatchObject({
      site_id: 'example.com',
      type: 'pageview',
      path: '/products',
      query: 'page=2',
      title: 'Products',
      utm_source: 'newsletter',
      referrer_host: 'www.google.com',
      referrer_path: '/search',
      country: 'JP',
      browser: 'Chrome',
      browser_version: '131',
      os: 'Windows',
      device: 'desktop',
      language: 'ja-jp',
      ip_trunc: '203.0.113.0',
    });
    const flat = JSON.stringify(row);
    expect(flat).not.toContain(JP);
    expect(flat).not.toContain('Mozilla');
    expect(flat).not.toContain('taro@example.jp');
    expect(flat).not.toContain('secret');
  });

  it('IPv6 visitors are stored with their /48 only', async () => {
    rt = await createTestApp();
    await sendEvent(rt.app, pageview(), { peer: '2001:db8:abcd:12:3456:789a:bcde:f012' });
    const [row] = await rows(rt);
    expect(row!.ip_trunc).toBe('2001:db8:abcd::');
    expect(row!.country).toBe('JP');
  });

  it('device class follows the screen width, then the user agent', async () => {
    rt = await createTestApp();
    await sendEvent(rt.app, pageview({ w: 390 }), { ua: desktopChromeUa });
    await sendEvent(rt.app, pageview({ w: undefined }), { ua: iphoneUa });
    const [a, b] = await rows(rt);
    expect(a!.device).toBe('mobile');
    expect(b).toMatchObject({ device: 'mobile', os: 'iOS', browser: 'Mobile Safari' });
  });

  it('a 404 event records the scrubbed path of the missing page', async () => {
    rt = await createTestApp();
    await sendEvent(rt.app, pageview({ n: '404', u: 'https://example.com/old/taro%40example.jp?x=1', p: { path: '/raw/taro@example.jp' } }));
    const [row] = await rows(rt);
    expect(row!.type).toBe('event');
    expect(JSON.parse(row!.props!)).toEqual({ path: '/old/[email]' });
  });

  it('the language falls back to the first Accept-Language tag', async () => {
    rt = await createTestApp();
    await sendEvent(rt.app, pageview({ l: undefined }), { headers: { 'accept-language': 'en-GB,en;q=0.9,ja;q=0.8' } });
    expect((await rows(rt))[0]!.language).toBe('en-gb');
  });

  it('custom events keep their name and props', async () => {
    rt = await createTestApp();
    await sendEvent(rt.app, pageview({ t: 'event', n: 'signup', p: { plan: 'pro', seats: 3, trial: true } }));
    const [row] = await rows(rt);
    expect(row!.name).toBe('signup');
    expect(JSON.parse(row!.props!)).toEqual({ plan: 'pro', seats: 3, trial: true });
  });
});

describe('the policy gate', () => {
  it('an item the policy does not list is never stored', async () => {
    rt = await createTestApp({
      policy: policyWith((p) => {
        p.items = p.items.filter((i) => !['referrer', 'country', 'ip_address', 'page_title', 'device_info'].includes(i.id));
      }),
    });
    await sendEvent(rt.app, pageview({ ti: 'Products' }));
    const [row] = await rows(rt);
    expect(row).toMatchObject({
      referrer_host: null,
      referrer_path: null,
      country: null,
      ip_trunc: null,
      title: null,
      browser: null,
      os: null,
      device: null,
      language: null,
      path: '/products',
    });
  });

  it('the country still decides the consent mode when it is not stored', async () => {
    rt = await createTestApp({ policy: policyWith((p) => (p.items = p.items.filter((i) => i.id !== 'country'))) });
    const body = await (await sendEvent(rt.app, pageview(), { peer: DE })).json();
    expect(body.m).toBe('opt-in');
  });

  it('with cookies disabled by the policy every visitor is a daily hash', async () => {
    rt = await createTestApp({ policy: policyWith((p) => (p.cookie.enabled = false)) });
    const body = await (await sendEvent(rt.app, pageview({ c: 1 }), { peer: JP })).json();
    expect(body.v).toBeUndefined();
    expect((await rows(rt))[0]!.visitor_kind).toBe('hash');
  });
});

describe('visitor identity follows consent and the regional mode', () => {
  it('opt-in region without consent: no cookie id, a hash', async () => {
    rt = await createTestApp();
    const res = await sendEvent(rt.app, pageview(), { peer: DE });
    expect(await res.json()).toEqual({ ok: true, m: 'opt-in' });
    expect((await rows(rt))[0]!.visitor_kind).toBe('hash');
  });

  it('opt-in region: an unconsented cookie id sent anyway is never stored', async () => {
    rt = await createTestApp();
    const sneaky = 'AAAAAAAAAAAAAAAAAAAAAA';
    const res = await sendEvent(rt.app, pageview({ v: sneaky }), { peer: DE });
    expect((await res.json()).v).toBeUndefined();
    const [row] = await rows(rt);
    expect(row!.visitor_id).not.toBe(sneaky);
    expect(row!.visitor_kind).toBe('hash');
  });

  it('opt-in region with consent: a new random cookie id is issued, then echoed', async () => {
    rt = await createTestApp();
    const first = await (await sendEvent(rt.app, pageview({ c: 1 }), { peer: DE })).json();
    expect(first).toMatchObject({ m: 'opt-in', d: 180 * 86_400 });
    expect(first.v).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const second = await (await sendEvent(rt.app, pageview({ c: 1, v: first.v }), { peer: DE })).json();
    expect(second.v).toBe(first.v);
    const stored = await rows(rt);
    expect(stored.map((r) => [r.visitor_id, r.visitor_kind])).toEqual([
      [first.v, 'cookie'],
      [first.v, 'cookie'],
    ]);
  });

  it('the cookie id is random: the same IP and user agent get different ids', async () => {
    rt = await createTestApp();
    const a = await (await sendEvent(rt.app, pageview({ c: 1 }))).json();
    const b = await (await sendEvent(rt.app, pageview({ c: 1 }))).json();
    expect(a.v).not.toBe(b.v);
  });

  it('notice region: a cookie unless the visitor refused', async () => {
    rt = await createTestApp();
    expect((await (await sendEvent(rt.app, pageview(), { peer: JP })).json()).v).toBeTruthy();
    expect((await (await sendEvent(rt.app, pageview({ c: 0 }), { peer: JP })).json()).v).toBeUndefined();
  });

  it('opt-out region: GPC (header or payload) is an opt-out', async () => {
    rt = await createTestApp();
    expect((await (await sendEvent(rt.app, pageview(), { peer: US })).json()).m).toBe('opt-out');
    expect((await (await sendEvent(rt.app, pageview({ g: 1 }), { peer: US })).json()).v).toBeUndefined();
    expect((await (await sendEvent(rt.app, pageview(), { peer: US, headers: { 'sec-gpc': '1' } })).json()).v).toBeUndefined();
    // the opt-out came mid-visit: the visit continues, and moves to the cookieless hash as a whole
    const stored = await rows(rt);
    expect(stored.map((r) => r.visitor_kind)).toEqual(['hash', 'hash', 'hash']);
    expect(new Set(stored.map((r) => r.session_id)).size).toBe(1);
  });

  it('unknown country: the cautious mode (opt-in)', async () => {
    rt = await createTestApp();
    expect((await (await sendEvent(rt.app, pageview(), { peer: '100.64.0.9' })).json()).m).toBe('opt-in');
  });
});

describe('sessions', () => {
  it('events within 30 idle minutes share a session; the sessions table counts them', async () => {
    rt = await createTestApp();
    await sendEvent(rt.app, pageview({ u: 'https://example.com/a', c: 0 }));
    rt.clock.advance(10 * 60_000);
    await sendEvent(rt.app, pageview({ u: 'https://example.com/b', c: 0 }));
    await sendEvent(rt.app, pageview({ t: 'event', n: 'x', u: 'https://example.com/b', c: 0 }));
    rt.clock.advance(31 * 60_000);
    await sendEvent(rt.app, pageview({ u: 'https://example.com/c', c: 0 }));
    const stored = await rows(rt);
    expect(new Set(stored.map((r) => r.visitor_id)).size).toBe(1);
    expect(stored[0]!.session_id).toBe(stored[1]!.session_id);
    expect(stored[3]!.session_id).not.toBe(stored[0]!.session_id);
    const sessions = await rt.store.db.selectFrom('sessions').selectAll().orderBy('started_at').execute();
    expect(sessions).toHaveLength(2);
    expect(sessions[0]).toMatchObject({ entry_path: '/a', exit_path: '/b', pageviews: 2, events: 1 });
    expect(Number(sessions[0]!.last_seen_at) - Number(sessions[0]!.started_at)).toBe(10 * 60_000);
    expect(sessions[1]).toMatchObject({ entry_path: '/c', exit_path: '/c', pageviews: 1, events: 0 });
  });

  it('different visitors get different sessions', async () => {
    rt = await createTestApp();
    await sendEvent(rt.app, pageview({ c: 0 }), { peer: JP });
    await sendEvent(rt.app, pageview({ c: 0 }), { peer: '203.0.113.78' });
    const [a, b] = await rows(rt);
    expect(a!.visitor_id).not.toBe(b!.visitor_id);
    expect(a!.session_id).not.toBe(b!.session_id);
  });
});
