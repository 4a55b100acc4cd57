import { Hono } from 'hono';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { matchesEtag, pickEncoding, SCRIPT_CACHE_CONTROL, trackerRoutes } from '../../server/tracker/routes.ts';
import { buildTracker, buildTrackerBundle, buildTrackerLinks, type TrackerBundle } from '../../tracker/build.ts';

/** The routes the way server/app.ts mounts them. */
function app(options?: Parameters<typeof trackerRoutes>[0]) {
  return new Hono().route('/', trackerRoutes(options));
}

describe('GET /ashiato.js and /ashiato.links.js', () => {
  it.each(['ashiato.js', 'ashiato.links.js'] as TrackerBundle[])('serves the built %s as cacheable JavaScript', async (name) => {
    const res = await app().request(`/${name}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe(SCRIPT_CACHE_CONTROL);
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400, stale-while-revalidate=604800');
    expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.text()).toBe(await buildTrackerBundle(name));
  });

  it('serves each bundle from its own source, asked for by name, each with its own ETag', async () => {
    const asked: string[] = [];
    const routes = app({ demo: false, script: async (name) => (asked.push(name), `/* ${name} */`) });
    const core = await routes.request('/ashiato.js');
    const links = await routes.request('/ashiato.links.js');
    expect(await core.text()).toBe('/* ashiato.js */');
    expect(await links.text()).toBe('/* ashiato.links.js */');
    expect(core.headers.get('etag')).not.toBe(links.headers.get('etag'));
    await routes.request('/ashiato.links.js');
    expect(asked).toEqual(['ashiato.js', 'ashiato.links.js']); // each prepared once
    expect((await routes.request('/ashiato.other.js')).status).toBe(404);
  });

  it('answers 304 for the add-on too, and serves it compressed', async () => {
    const routes = app();
    const first = await routes.request('/ashiato.links.js', { headers: { 'Accept-Encoding': 'br' } });
    expect(first.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await first.arrayBuffer())).toString()).toBe(await buildTrackerLinks());
    const again = await routes.request('/ashiato.links.js', { headers: { 'Accept-Encoding': 'br', 'If-None-Match': first.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect(again.headers.get('cache-control')).toBe(SCRIPT_CACHE_CONTROL);
  });

  it('answers 304 to a matching If-None-Match, 200 to a stale one', async () => {
    const routes = app();
    const first = await routes.request('/ashiato.js');
    const etag = first.headers.get('etag')!;

    const again = await routes.request('/ashiato.js', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toBe(SCRIPT_CACHE_CONTROL);
    expect(await again.text()).toBe('');

    const listed = await routes.request('/ashiato.js', { headers: { 'If-None-Match': `"old", W/${etag}` } });
    expect(listed.status).toBe(304);

    const stale = await routes.request('/ashiato.js', { headers: { 'If-None-Match': '"something-else"' } });
    expect(stale.status).toBe(200);
  });

  it('derives the ETag from the content', async () => {
    const etagOf = async (code: string) =>
      (await app({ script: async () => code, demo: false }).request('/ashiato.js')).headers.get('etag');
    expect(await etagOf('one')).toBe(await etagOf('one'));
    expect(await etagOf('one')).not.toBe(await etagOf('two'));
  });

  it('serves brotli or gzip when accepted, each with its own ETag', async () => {
    const routes = app();
    const code = await buildTracker();
    const plain = (await routes.request('/ashiato.js')).headers.get('etag')!;

    const br = await routes.request('/ashiato.js', { headers: { 'Accept-Encoding': 'gzip, deflate, br, zstd' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('etag')).toBe(plain.replace(/"$/, '-br"'));
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(code);

    const gz = await routes.request('/ashiato.js', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(code);

    const revalidated = await routes.request('/ashiato.js', { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': gz.headers.get('etag')! } });
    expect(revalidated.status).toBe(304);
    // a copy held in another encoding is another representation
    const other = await routes.request('/ashiato.js', { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': plain } });
    expect(other.status).toBe(200);
  });

  it('answers HEAD without a body', async () => {
    const res = await app().request('/ashiato.js', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBeTruthy();
    expect(await res.text()).toBe('');
  });

  it('retries a source that failed', async () => {
    let calls = 0;
    const routes = new Hono()
      .route('/', trackerRoutes({ demo: false, script: async () => (++calls === 1 ? Promise.reject(new Error('no esbuild')) : 'ok()') }))
      .onError((err, c) => c.text(err.message, 500));
    expect((await routes.request('/ashiato.js')).status).toBe(500);
    const res = await routes.request('/ashiato.js');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok()');
  });
});

describe('pickEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['GZIP;q=0.5', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['*', 'br'],
    ['*;q=0, gzip', 'gzip'],
    ['deflate', 'identity'],
  ] as const)('%j → %s', (header, expected) => {
    expect(pickEncoding(header)).toBe(expected);
  });
});

describe('matchesEtag', () => {
  it('compares weakly, over a list, with *', () => {
    expect(matchesEtag('"a"', '"a"')).toBe(true);
    expect(matchesEtag('W/"a"', '"a"')).toBe(true);
    expect(matchesEtag('"b", "a"', '"a"')).toBe(true);
    expect(matchesEtag('*', '"a"')).toBe(true);
    expect(matchesEtag('"ab"', '"a"')).toBe(false);
    expect(matchesEtag(undefined, '"a"')).toBe(false);
  });
});

describe('the demo site', () => {
  const routes = app({ script: async () => '' });

  it.each(['/demo/', '/demo/about', '/demo/products', '/demo/products/sensor', '/demo/news', '/demo/news/2026-autumn-release', '/demo/careers', '/demo/contact'])(
    '%s is a page with the tracker tag (data-events where it has tagged elements)',
    async (path) => {
      const res = await routes.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await res.text();
      const tagged = html.includes('data-ashiato-event=');
      expect(html).toContain(
        `<script defer src="/ashiato.js" data-site="localhost" data-local data-outbound data-downloads${tagged ? ' data-events' : ''}></script>`,
      );
    },
  );

  it('redirects /demo to /demo/', async () => {
    const res = await routes.request('/demo');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/demo/');
  });

  it('has what the tracker is shown with: an outbound link, a PDF, a tagged form, a pushState section, the queue', async () => {
    const html = async (path: string) => (await routes.request(path)).text();
    expect(await html('/demo/')).toContain('href="https://github.com/harunire"');
    expect(await html('/demo/')).toContain('href="/demo/files/catalog.pdf"');
    expect(await html('/demo/')).toContain('(ashiato.q=ashiato.q||[]).push(arguments)');
    expect(await html('/demo/contact')).toMatch(/<form[^>]+data-ashiato-event="Contact Form: Submit"[^>]+data-ashiato-prop-topic="sales"/);
    expect(await html('/demo/products')).toContain('history.pushState');

    const pdf = await routes.request('/demo/files/catalog.pdf');
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await routes.request('/demo/files/style.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers unknown pages with a 404 page that sends the 404 event', async () => {
    for (const path of ['/demo/nope', '/demo/index', '/demo/404', '/demo/about/x', '/demo/files/index.html', '/demo/files/none.pdf', '/demo/products/a/b']) {
      const res = await routes.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toContain('data-404');
    }
  });

  it('can be left out', async () => {
    expect((await app({ demo: false, script: async () => '' }).request('/demo/')).status).toBe(404);
  });
});
