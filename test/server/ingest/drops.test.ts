import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, pageview, policyWith, sendEvent } from '../../helpers/app.ts';
import type { Runtime } from '../../../server/runtime.ts';

let rt: Runtime | undefined;
afterEach(async () => {
  await rt?.close();
  rt = undefined;
});

async function eventCount(r: Runtime) {
  const row = await r.store.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('ingest drop reasons (one test each)', () => {
  it('unknown_site: 404 and nothing stored', async () => {
    rt = await createTestApp();
    const res = await sendEvent(rt.app, pageview({ s: 'nope.example' }));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'unknown_site' });
    expect(await eventCount(rt)).toBe(0);
  });

  it('origin_not_allowed: a browser on another origin cannot write to the site', async () => {
    rt = await createTestApp();
    const res = await sendEvent(rt.app, pageview(), { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'origin_not_allowed' });
    expect(await eventCount(rt)).toBe(0);
  });

  it('origin_not_allowed: the page URL must be on one of the site hosts', async () => {
    rt = await createTestApp();
    const res = await sendEvent(rt.app, pageview({ u: 'https://other.example/x' }), { origin: null });
    expect(res.status).toBe(403);
    expect(await eventCount(rt)).toBe(0);
  });

  it('subdomains of a site host are allowed', async () => {
    rt = await createTestApp();
    const res = await sendEvent(rt.app, pageview({ u: 'https://shop.example.com/' }), { origin: 'https://shop.example.com' });
    expect(res.status).toBe(202);
  });

  it('invalid_url: the page URL must be absolute http(s)', async () => {
    rt = await createTestApp();
    const res = await sendEvent(rt.app, pageview({ u: 'javascript:alert(1)' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_url' });
  });

  it('bot: crawler user agents are acknowledged but not stored', async () => {
    rt = await createTestApp();
    const res = await sendEvent(rt.app, pageview(), { ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, dropped: 'bot' });
    expect(await eventCount(rt)).toBe(0);
  });

  it('bot: headless browsers and empty user agents too', async () => {
    rt = await createTestApp();
    const headless = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36';
    expect(await (await sendEvent(rt.app, pageview(), { ua: headless })).json()).toMatchObject({ dropped: 'bot' });
    expect(await (await sendEvent(rt.app, pageview(), { ua: '' })).json()).toMatchObject({ dropped: 'bot' });
    expect(await eventCount(rt)).toBe(0);
  });

  it('not_in_policy: custom events are dropped when the policy does not list them', async () => {
    rt = await createTestApp({ policy: policyWith((p) => (p.items = p.items.filter((i) => i.id !== 'custom_events'))) });
    const res = await sendEvent(rt.app, pageview({ t: 'event', n: 'signup', p: { plan: 'pro' } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, dropped: 'not_in_policy' });
    expect(await eventCount(rt)).toBe(0);
  });

  it('no_client_address: without a peer address nothing can be keyed or truncated', async () => {
    rt = await createTestApp({ peerAddress: () => undefined });
    const res = await sendEvent(rt.app, pageview());
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'no_client_address' });
  });
});
