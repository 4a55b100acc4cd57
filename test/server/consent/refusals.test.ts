import { afterEach, describe, expect, it } from 'vitest';
import { policyWith } from '../../helpers/app.ts';
import { choice, createConsentApp, postConsent, receiptCount, type ConsentTestApp } from './helpers.ts';

let t: ConsentTestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Posts, checks status and error code, and that nothing was stored. */
async function refused(body: unknown, status: number, error: string, opts: Parameters<typeof postConsent>[2] = {}) {
  const res = await postConsent(t!.app, body, opts);
  const json = await res.json();
  expect({ status: res.status, error: json.error }).toEqual({ status, error });
  expect(typeof json.message).toBe('string');
  expect(await receiptCount(t!)).toBe(0);
  return json;
}

describe('POST /api/consent refuses with a clear 4xx and stores nothing', () => {
  it('409 stale_revision names the current revision so the banner asks again', async () => {
    t = await createConsentApp();
    const json = await refused(choice(t, { rev: '0123456789abcdef' }), 409, 'stale_revision');
    expect(json.revision).toBe(t.policy.revision);
  });

  it('a banner showing a previous policy is stale after the policy changes', async () => {
    const old = (await createConsentApp()).policy.revision;
    t = await createConsentApp({ policy: policyWith((p) => p.revisions.push({ date: '2027-01-01', summary: { ja: '改定', en: 'Revised' } })) });
    expect(t.policy.revision).not.toBe(old);
    await refused(choice(t, { rev: old }), 409, 'stale_revision');
  });

  it('400 for a category the policy does not have', async () => {
    t = await createConsentApp();
    await refused(choice(t, { acc: ['analytics', 'advertising'] }), 400, 'unknown_category');
    await refused(choice(t, { rej: ['marketing'] }), 400, 'unknown_category');
  });

  it('400 for rejecting a required category', async () => {
    t = await createConsentApp();
    await refused(choice(t, { a: 'reject_all', acc: [], rej: ['necessary', 'analytics', 'external_analytics'] }), 400, 'required_category');
  });

  it('400 when the lists contradict each other or the action', async () => {
    t = await createConsentApp();
    await refused(choice(t, { acc: ['analytics'], rej: ['analytics'] }), 400, 'conflicting_choice');
    await refused(choice(t, { a: 'accept_all', acc: ['analytics'], rej: [] }), 400, 'action_mismatch');
    await refused(choice(t, { a: 'withdraw', acc: ['analytics'], rej: [] }), 400, 'action_mismatch');
    await refused(choice(t, { a: 'gpc', acc: ['external_analytics'], rej: [] }), 400, 'action_mismatch');
  });

  it('404 for an unknown site', async () => {
    t = await createConsentApp();
    await refused(choice(t, { s: 'nope.example' }), 404, 'unknown_site');
  });

  it('403 for another origin, or a page on another host', async () => {
    t = await createConsentApp();
    await refused(choice(t), 403, 'origin_not_allowed', { origin: 'https://evil.example' });
    await refused(choice(t), 403, 'origin_not_allowed', { origin: 'not a url' });
    await refused(choice(t, { u: 'https://evil.example/' }), 403, 'origin_not_allowed', { origin: null });
    expect((await postConsent(t.app, choice(t, { u: 'https://shop.example.com/' }), { origin: 'https://shop.example.com' })).status).toBe(201);
  });

  it('400 for a page URL that is not absolute http(s)', async () => {
    t = await createConsentApp();
    await refused(choice(t, { u: 'javascript:alert(1)' }), 400, 'invalid_url');
  });

  it('413 for a body over 4 KB, whether declared or not', async () => {
    t = await createConsentApp();
    const big = JSON.stringify(choice(t, { u: `https://example.com/${'a'.repeat(4200)}` }));
    await refused(big, 413, 'payload_too_large');
    await refused(big, 413, 'payload_too_large', { headers: { 'content-length': String(big.length) } });
  });

  it('400 for malformed JSON, broken UTF-8 and schema violations; 415 for other media types', async () => {
    t = await createConsentApp();
    await refused('{"s": "example.com",', 400, 'invalid_json');
    const res = await t.app.request('/api/consent', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-test-peer': '203.0.113.77' },
      body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_encoding' });
    const extra = await refused(choice(t, { extra: 1 } as never), 400, 'invalid_consent');
    expect(extra.message).toMatch(/extra|unrecognized/i);
    await refused(choice(t, { a: 'maybe' }), 400, 'invalid_consent');
    await refused(choice(t, { th: 'ABC' }), 400, 'invalid_consent');
    await refused(choice(t, { l: 'de' }), 400, 'invalid_consent');
    await refused(choice(t, { acc: 'analytics' }), 400, 'invalid_consent');
    await refused([], 400, 'invalid_consent');
    await refused('null', 400, 'invalid_consent');
    await refused(choice(t), 415, 'unsupported_media_type', { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  });

  it('400 when the client address cannot be determined', async () => {
    t = await createConsentApp();
    await refused(choice(t), 400, 'no_client_address', { peer: null });
  });

  it('bots are acknowledged with 200 and not recorded, like at ingest', async () => {
    t = await createConsentApp();
    const res = await postConsent(t.app, choice(t), { ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, dropped: 'bot' });
    expect((await postConsent(t.app, choice(t), { ua: '' })).status).toBe(200);
    expect(await receiptCount(t)).toBe(0);
  });

  it('503, never a 500, when storage fails', async () => {
    t = await createConsentApp();
    await t.store.db.schema.dropTable('consent_chain').execute();
    const res = await postConsent(t.app, choice(t));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toMatchObject({ error: 'unavailable' });
    expect(t.logs.some((l) => l.includes('consent receipt failed'))).toBe(true);
  });
});
