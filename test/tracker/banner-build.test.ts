/**
 * The banner's bundle (tracker/build.ts → ashiato-consent.js) and its route: within its budget, self-contained
 * (the texts come from /api/config, nothing from the server ships but types), and served like the tracker.
 */
import { Hono } from 'hono';
import { brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../policy/load.ts';
import { SCRIPT_CACHE_CONTROL, trackerRoutes } from '../../server/tracker/routes.ts';
import { BANNER_GZIP_BUDGET, buildBanner, buildTracker, sizes, trackerBundles } from '../../tracker/build.ts';

describe('ashiato-consent.js', () => {
  it('is its own bundle, from tracker/banner/, held to 5 KB gzip', async () => {
    expect(trackerBundles['ashiato-consent.js'].budget).toBe(BANNER_GZIP_BUDGET);
    expect(BANNER_GZIP_BUDGET).toBe(5 * 1024);
    expect(trackerBundles['ashiato-consent.js'].entry).toMatch(/tracker[/\\]banner[/\\]index\.ts$/);
    const s = sizes(await buildBanner());
    expect(s.gzip).toBeLessThanOrEqual(BANNER_GZIP_BUDGET);
    expect(s.brotli).toBeLessThan(s.gzip);
  });

  it('is one line of IIFE carrying its CSS and both languages’ switch, but no policy text', async () => {
    const code = await buildBanner();
    expect(code.startsWith('(()=>{')).toBe(true);
    expect(code.split('\n')).toHaveLength(2);
    expect(code).toContain('prefers-reduced-motion');
    expect(code).toContain('English');
    expect(code).toContain('\\u65E5\\u672C\\u8A9E'); // 日本語, escaped to ASCII by the minifier
    const { banner } = loadPolicy().policy.consent;
    for (const text of [banner.title.en, banner.acceptAll.en, banner.rejectAll.en]) expect(code).not.toContain(text);
  });

  it('shares nothing with the tracker core but the cookie and event names', async () => {
    const [banner, core] = await Promise.all([buildBanner(), buildTracker()]);
    expect(banner).not.toContain('/api/event');
    expect(core).not.toContain('/api/consent');
    for (const name of ['ashiato_consent', 'ashiato:consent']) {
      expect(banner).toContain(name);
      expect(core).toContain(name.replace('ashiato_', '')); // the core reads ashiato_<name>
    }
  });

  it('is served at /ashiato-consent.js like the tracker: cacheable, compressed, with an ETag', async () => {
    const app = new Hono().route('/', trackerRoutes({ demo: false }));
    const res = await app.request('/ashiato-consent.js', { headers: { 'Accept-Encoding': 'br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe(SCRIPT_CACHE_CONTROL);
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(await buildBanner());
    const again = await app.request('/ashiato-consent.js', { headers: { 'Accept-Encoding': 'br', 'If-None-Match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });
});
