import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../policy/load.ts';
import { renderExternalTransmission } from '../../policy/notice/external-transmission.ts';
import { renderPrivacyNotice } from '../../policy/notice/privacy.ts';
import { negotiateLang } from '../../server/notice/language.ts';
import { NOTICE_CSP, noticeRoutes } from '../../server/notice/routes.ts';

const policy = loadPolicy();
const app = noticeRoutes({ policy });
const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers });

describe('notice routes', () => {
  it.each([
    ['/privacy', renderPrivacyNotice],
    ['/privacy/external-transmission', renderExternalTransmission],
  ])('GET %s serves the rendered page with HTML, cache, language and CSP headers', async (path, render) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('content-language')).toBe('ja');
    expect(res.headers.get('vary')).toBe('Accept-Language');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('etag')).toMatch(/^"[\w-]{22}"$/);
    expect(await res.text()).toBe(render(policy, 'ja'));
  });

  it.each([
    ['no preference', '', {}, 'ja'],
    ['?lang=en', '?lang=en', {}, 'en'],
    ['?lang=ja over an English browser', '?lang=ja', { 'accept-language': 'en-US,en;q=0.9' }, 'ja'],
    ['?lang=EN-gb', '?lang=EN-gb', {}, 'en'],
    ['an unsupported ?lang falls back to the header', '?lang=fr', { 'accept-language': 'en' }, 'en'],
    ['an English browser', '', { 'accept-language': 'en-US,en;q=0.9' }, 'en'],
    ['a Japanese browser', '', { 'accept-language': 'ja-JP,ja;q=0.9,en;q=0.8' }, 'ja'],
    ['the better q-value', '', { 'accept-language': 'en;q=0.2, ja;q=0.8' }, 'ja'],
    ['the first supported language after unsupported ones', '', { 'accept-language': 'fr-FR, de;q=0.9, en;q=0.5' }, 'en'],
    ['only unsupported languages', '', { 'accept-language': 'de-DE,fr;q=0.8' }, 'ja'],
    ['q=0 excludes a language', '', { 'accept-language': 'ja;q=0, en;q=0.1' }, 'en'],
  ] as const)('picks the language: %s', async (_case, query, headers, lang) => {
    for (const path of ['/privacy', '/privacy/external-transmission']) {
      const res = await get(path + query, headers);
      expect(res.headers.get('content-language')).toBe(lang);
      expect(res.headers.get('vary')).toBe('Accept-Language');
      expect(await res.text()).toContain(`<html lang="${lang}">`);
    }
  });

  it('answers a matching If-None-Match with 304, per language', async () => {
    const ja = await get('/privacy');
    const en = await get('/privacy?lang=en');
    const etag = ja.headers.get('etag')!;
    expect(en.headers.get('etag')).not.toBe(etag);

    const fresh = await get('/privacy', { 'if-none-match': `W/${etag}` });
    expect(fresh.status).toBe(304);
    expect(fresh.headers.get('etag')).toBe(etag);
    expect(fresh.headers.get('cache-control')).toBe('public, max-age=300');
    expect(fresh.headers.get('vary')).toBe('Accept-Language');
    expect(await fresh.text()).toBe('');

    expect((await get('/privacy?lang=en', { 'if-none-match': etag })).status).toBe(200);
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await app.request('/privacy?lang=en', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-language')).toBe('en');
    expect(res.headers.get('content-security-policy')).toBe(NOTICE_CSP);
    expect(await res.text()).toBe('');
  });

  it('serves nothing else', async () => {
    expect((await app.request('/privacy', { method: 'POST' })).status).toBe(404);
    expect((await get('/privacy/anything-else')).status).toBe(404);
  });

  it('keeps its CSP when mounted under the app-wide secure headers', async () => {
    const mounted = new Hono()
      .use(secureHeaders({ crossOriginResourcePolicy: 'cross-origin', referrerPolicy: 'strict-origin-when-cross-origin' }))
      .route('/', noticeRoutes({ policy }));
    const res = await mounted.request('/privacy/external-transmission?lang=en');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(NOTICE_CSP);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toBe(renderExternalTransmission(policy, 'en'));
  });
});

describe('negotiateLang', () => {
  it.each([
    [undefined, undefined, 'ja'],
    ['en', undefined, 'en'],
    ['', 'en', 'en'],
    ['xx', 'ja', 'ja'],
    [undefined, '*', 'ja'],
    [undefined, 'de, *;q=0.5, en;q=0.4', 'ja'],
    [undefined, 'EN-us', 'en'],
    [undefined, 'en;q=0.5, ja;q=0.5', 'en'],
    [undefined, 'en;q=abc, ja;q=0.1', 'ja'],
    [undefined, ' , ;q=1, en', 'en'],
  ] as const)('?lang=%s, Accept-Language %s → %s', (query, header, lang) => {
    expect(negotiateLang(query, header)).toBe(lang);
  });
});
