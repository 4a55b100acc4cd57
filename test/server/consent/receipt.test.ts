import { afterEach, describe, expect, it } from 'vitest';
import { chainHash, contentHash, GENESIS_HASH } from '../../../server/consent/chain.ts';
import { desktopChromeUa, policyWith } from '../../helpers/app.ts';
import { bannerHash, choice, createConsentApp, DE, JP, JP6, NOWHERE, postConsent, receipts, US, type ConsentTestApp } from './helpers.ts';

let t: ConsentTestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const iphoneUa = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

describe('POST /api/consent stores a receipt', () => {
  it('holds every field of the proof, truncated and summarized; no raw IP or user agent anywhere in the row', async () => {
    t = await createConsentApp();
    const res = await postConsent(t.app, choice(t), { peer: JP, ua: desktopChromeUa });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toEqual({ consentId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), revision: t.policy.revision, accepted: ['necessary', 'analytics'], rejected: ['external_analytics'] });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toBe('no-store');

    const [row] = await receipts(t);
    const content = {
      consent_id: body.consentId,
      revision: t.policy.revision,
      banner_hash: bannerHash,
      mode: 'notice',
      action: 'custom',
      accepted: '["necessary","analytics"]',
      rejected: '["external_analytics"]',
      language: 'ja',
      path: '/products/list',
      ip_trunc: '203.0.113.0',
      browser: 'Chrome',
      browser_version: '131',
      os: 'Windows',
      device: 'desktop',
    } as const;
    const hashOfContent = contentHash(content);
    expect(row).toEqual({
      seq: 1,
      ts: t.clock(),
      site_id: 'example.com',
      ...content,
      content_hash: hashOfContent,
      prev_hash: GENESIS_HASH,
      hash: chainHash(GENESIS_HASH, t.clock(), 'example.com', hashOfContent),
      redacted_at: null,
    });
    const flat = JSON.stringify(row);
    for (const needle of [JP, desktopChromeUa, 'Mozilla', 'AppleWebKit', 'taro@example.jp', 'page=2', '#top']) expect(flat).not.toContain(needle);
    expect(t.logs.join('\n')).not.toContain(JP);
  });

  it('the region mode comes from the full address (opt-in, opt-out, unknown country) and IPv6 keeps its /48', async () => {
    t = await createConsentApp();
    for (const peer of [DE, US, NOWHERE, JP6]) expect((await postConsent(t.app, choice(t), { peer, ua: iphoneUa })).status).toBe(201);
    const rows = await receipts(t);
    expect(rows.map((r) => [r.mode, r.ip_trunc])).toEqual([
      ['opt-in', '198.51.100.0'],
      ['opt-out', '192.0.2.0'],
      ['opt-in', '100.64.1.0'],
      ['notice', '2001:db8:abcd::'],
    ]);
    expect(rows[0]).toMatchObject({ browser: 'Mobile Safari', os: 'iOS', device: 'mobile' });
    expect(JSON.stringify(rows)).not.toContain(JP6);
  });

  it("truncates with the policy's prefixes", async () => {
    t = await createConsentApp({ policy: policyWith((p) => (p.ip = { ipv4Prefix: 16, ipv6Prefix: 32 })) });
    await postConsent(t.app, choice(t), { peer: JP });
    await postConsent(t.app, choice(t), { peer: JP6 });
    expect((await receipts(t)).map((r) => r.ip_trunc)).toEqual(['203.0.0.0', '2001:db8::']);
  });

  it('refusals, GPC signals and withdrawals are receipts too, keeping only the required category', async () => {
    t = await createConsentApp();
    const first = await (await postConsent(t.app, choice(t, { a: 'accept_all', acc: ['necessary', 'analytics', 'external_analytics'], rej: [] }))).json();
    expect(first).toMatchObject({ accepted: ['necessary', 'analytics', 'external_analytics'], rejected: [] });
    const id = first.consentId as string;
    t.clock.advance(1000);
    const withdrawn = await postConsent(t.app, choice(t, { a: 'withdraw', acc: [], rej: ['analytics', 'external_analytics'], id }));
    expect(withdrawn.status).toBe(201);
    expect(await withdrawn.json()).toEqual({ consentId: id, revision: t.policy.revision, accepted: ['necessary'], rejected: ['analytics', 'external_analytics'] });
    await postConsent(t.app, choice(t, { a: 'reject_all', acc: [], rej: ['analytics', 'external_analytics'] }));
    await postConsent(t.app, choice(t, { a: 'gpc', acc: ['necessary'], rej: [] }), { headers: { 'sec-gpc': '1' } });

    const rows = await receipts(t);
    expect(rows.map((r) => [r.action, r.accepted, r.rejected])).toEqual([
      ['accept_all', '["necessary","analytics","external_analytics"]', '[]'],
      ['withdraw', '["necessary"]', '["analytics","external_analytics"]'],
      ['reject_all', '["necessary"]', '["analytics","external_analytics"]'],
      ['gpc', '["necessary"]', '["analytics","external_analytics"]'],
    ]);
    // the withdrawal continues the visitor's chain of choices; the others started their own
    expect(rows[1]!.consent_id).toBe(id);
    expect(new Set(rows.map((r) => r.consent_id)).size).toBe(3);
    expect(rows[1]!.ts - rows[0]!.ts).toBe(1000);
  });

  it('a category the visitor did not accept is recorded as rejected; required ones are always accepted', async () => {
    t = await createConsentApp();
    const res = await postConsent(t.app, choice(t, { acc: ['external_analytics'], rej: [] }));
    expect(await res.json()).toMatchObject({ accepted: ['necessary', 'external_analytics'], rejected: ['analytics'] });
  });

  it('an existing consent id is kept; one not shaped like ours is replaced, never stored', async () => {
    t = await createConsentApp();
    const id = 'AbCdEfGhIjKlMnOpQrStUv';
    expect(await (await postConsent(t.app, choice(t, { id }))).json()).toMatchObject({ consentId: id });
    const odd = await (await postConsent(t.app, choice(t, { id: 'taro@example.jp' }))).json();
    expect(odd.consentId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(odd.consentId).not.toBe(id);
    expect(JSON.stringify(await receipts(t))).not.toContain('taro@example.jp');
  });

  it('answers the preflight of clients that send application/json', async () => {
    t = await createConsentApp();
    const res = await t.app.request('/api/consent', { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toBe('POST');
    const json = await postConsent(t.app, choice(t), { headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(201);
  });
});
