import { afterEach, describe, expect, it } from 'vitest';
import { preferredLanguage } from '../../../server/consent/banner-config.ts';
import { fixedGeo } from '../../../server/http/geo.ts';
import { policyWith, testCountries } from '../../helpers/app.ts';
import { createConsentApp, DE, JP, NOWHERE, US, type ConsentTestApp } from './helpers.ts';

let t: ConsentTestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const config = (peer: string, headers: Record<string, string> = {}, site = 'example.com') =>
  t!.app.request(`/api/config?s=${encodeURIComponent(site)}`, { headers: { 'x-test-peer': peer, ...headers } });

describe('GET /api/config', () => {
  it('gives the mode for the caller region, the current revision and the categories', async () => {
    t = await createConsentApp();
    const res = await config(JP, { 'accept-language': 'ja-JP,ja;q=0.9,en;q=0.8' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, max-age=300');
    expect(res.headers.get('vary')).toBe('Accept-Language, Sec-GPC');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = await res.json();
    expect(body).toEqual({
      m: 'notice',
      rev: t.policy.revision,
      l: 'ja',
      cats: t.policy.policy.consent.categories.map((c) => ({ id: c.id, req: c.required, label: c.label, desc: c.description })),
      t: t.policy.policy.consent.banner,
    });
    expect(body.cats.map((c: { id: string; req: boolean }) => [c.id, c.req])).toEqual([
      ['necessary', true],
      ['analytics', false],
      ['external_analytics', false],
    ]);
    expect(body.cats[0].label).toEqual({ ja: '必須', en: 'Strictly necessary' });
  });

  it('says g:1 when the request carried Sec-GPC: 1 (the page cannot see that header), and only then', async () => {
    t = await createConsentApp();
    expect(await (await config(US, { 'sec-gpc': '1' })).json()).toMatchObject({ m: 'opt-out', g: 1 });
    expect(await (await config(US, { 'sec-gpc': '0' })).json()).not.toHaveProperty('g');
    expect(await (await config(US)).json()).not.toHaveProperty('g');
  });

  it('opt-in in the EU and for unknown countries, opt-out in the US (fixedGeo)', async () => {
    t = await createConsentApp();
    const modes: Record<string, string> = {};
    for (const peer of [JP, DE, US, NOWHERE]) modes[peer] = (await (await config(peer)).json()).m;
    expect(modes).toEqual({ [JP]: 'notice', [DE]: 'opt-in', [US]: 'opt-out', [NOWHERE]: 'opt-in' });
  });

  it('follows the policy: its regions and its mode for unknown countries', async () => {
    const policy = policyWith((p) => {
      p.consent.unknownCountryMode = 'notice';
      p.consent.regions = [{ name: { ja: '日本（厳格）', en: 'Japan, strictly' }, mode: 'opt-in', countries: ['JP'] }];
    });
    t = await createConsentApp({ policy, geo: fixedGeo({ ...testCountries }) });
    expect((await (await config(JP)).json()).m).toBe('opt-in');
    expect((await (await config(NOWHERE)).json()).m).toBe('notice');
    expect((await (await config(US)).json()).m).toBe('notice'); // defaultMode of the bundled policy
  });

  it('a caller without an address gets the unknown-country mode', async () => {
    t = await createConsentApp();
    const res = await t.app.request('/api/config?s=example.com');
    expect((await res.json()).m).toBe('opt-in');
  });

  it('404 for an unknown site, 400 without one', async () => {
    t = await createConsentApp();
    const unknown = await config(JP, {}, 'nope.example');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'unknown_site' });
    const missing = await t.app.request('/api/config');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'missing_site' });
  });
});

describe('preferredLanguage', () => {
  it('picks ja or en by weight, en otherwise', () => {
    expect(preferredLanguage('ja')).toBe('ja');
    expect(preferredLanguage('en-US,en;q=0.9,ja;q=0.8')).toBe('en');
    expect(preferredLanguage('de-DE,de;q=0.9,ja;q=0.7,en;q=0.5')).toBe('ja');
    expect(preferredLanguage('fr')).toBe('en');
    expect(preferredLanguage(undefined)).toBe('en');
    expect(preferredLanguage('ja;q=0')).toBe('en');
  });
});
