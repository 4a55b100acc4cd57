import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../server/auth/index.ts';
import { ASSET_CACHE_CONTROL, DASHBOARD_CSP, dashboardRoutes } from '../../server/dashboard/routes.ts';
import { sitesRoutes } from '../../server/dashboard/sites-routes.ts';
import { createTestApp } from '../helpers/app.ts';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

const PASSWORD = 'plum-orchard-44-lantern';
let rt: TestApp;
let app: Hono;

beforeAll(async () => {
  rt = await createTestApp({ sites: [{ id: 'example.com', hosts: ['example.com'] }, { id: 'blog.example', hosts: ['blog.example'] }] });
  // mounted beside the app as server/app.ts mounts them
  app = new Hono().route('/', dashboardRoutes()).route('/', sitesRoutes({ db: rt.store.db, clock: rt.clock })).route('/', rt.app);
  for (const [email, role] of [['mk@example.jp', 'marketer'], ['pv@example.jp', 'privacy']] as const) {
    await addUser(rt.store.db, { email, role, password: PASSWORD }, rt.clock());
  }
});
afterAll(() => rt.close());

async function signIn(email: string): Promise<string> {
  const res = await app.request('http://localhost/api/auth/login', {
    method: 'POST',
    headers: { origin: 'http://localhost', 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return /ashiato_staff=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
}

async function assets() {
  const html = await (await app.request('/')).text();
  const js = /<script defer src="(\/app\/assets\/app-[\w-]+\.js)">/.exec(html)?.[1];
  const css = /<link rel="stylesheet" href="(\/app\/assets\/app-[\w-]+\.css)">/.exec(html)?.[1];
  return { js: js!, css: css! };
}

describe('the HTML shell', () => {
  it.each(['/', '/app', '/app/example.com', '/app/example.com?period=7d&f.page=%2F', '/app/password', '/share/Zq3v0Jx8K2mPq7RsT1uVw4XyZa5Bc6De7Fg8Hi9Jk0L?period=7d'])('%s is the shell, uncached, with a strict CSP', async (path) => {
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/i);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    const html = await res.text();
    expect(html).toContain('<div id="app"></div>');
    // no inline script: the CSP would block it
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
  });

  it('a shared link’s page is kept out of search engines; other paths under /share are not the shell', async () => {
    const res = await app.request('/share/Zq3v0Jx8K2mPq7RsT1uVw4XyZa5Bc6De7Fg8Hi9Jk0L');
    expect(res.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect(await res.text()).toContain('<meta name="robots" content="noindex, nofollow">');
    for (const path of ['/share', '/share/', '/share/a/b']) {
      const other = await app.request(path);
      expect(other.status, path).toBe(404);
      expect(other.headers.get('content-type'), path).not.toMatch(/html/);
    }
  });

    it('the CSP is the one the brief asks for', () => {
    expect(DASHBOARD_CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
  });
});

describe('assets', () => {
  it('names one hashed script and one hashed stylesheet, cached as immutable', async () => {
    const { js, css } = await assets();
    expect(js).toMatch(/^\/app\/assets\/app-[\w-]{10}\.js$/);
    expect(css).toMatch(/^\/app\/assets\/app-[\w-]{10}\.css$/);
    for (const [path, type] of [
      [js, /^application\/javascript; charset=utf-8$/],
      [css, /^text\/css; charset=utf-8$/],
    ] as const) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(type);
      expect(res.headers.get('cache-control')).toBe(ASSET_CACHE_CONTROL);
      expect(res.headers.get('etag')).toMatch(/^"[\w-]{22}"$/);
      expect((await res.text()).length).toBeGreaterThan(1000);
    }
  });

  it('serves brotli and gzip with their own ETags, and 304 for a known one', async () => {
    const { js } = await assets();
    const plain = await app.request(js);
    const br = await app.request(js, { headers: { 'accept-encoding': 'gzip, br' } });
    const gz = await app.request(js, { headers: { 'accept-encoding': 'gzip' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    const tags = new Set([plain, br, gz].map((r) => r.headers.get('etag')));
    expect(tags.size).toBe(3);
    const again = await app.request(js, { headers: { 'accept-encoding': 'gzip, br', 'if-none-match': br.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('the bundle holds the UI in both languages and no server code', async () => {
    const code = await (await app.request((await assets()).js)).text();
    expect(code).toContain('ユニーク訪問者');
    expect(code).toContain('Unique visitors');
    expect(code).not.toContain('better-sqlite3');
    expect(code).not.toContain('kysely');
  });

  it('an unknown asset is 404, not the shell', async () => {
    for (const path of ['/app/assets/app-0000000000.js', '/app/assets/nope.css', '/app/assets/a/b.js']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).not.toMatch(/html/);
    }
  });
});

describe('GET /api/sites', () => {
  it('needs a signed-in user', async () => {
    expect((await app.request('/api/sites')).status).toBe(401);
  });

  it('lists the sites for a marketer', async () => {
    const cookie = `ashiato_staff=${await signIn('mk@example.jp')}`;
    const res = await app.request('/api/sites', { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({
      sites: [
        { id: 'blog.example', hosts: ['blog.example'], timezone: 'Asia/Tokyo' },
        { id: 'example.com', hosts: ['example.com'], timezone: 'Asia/Tokyo' },
      ],
    });
  });

  it('is refused to a role without stats:read', async () => {
    const cookie = `ashiato_staff=${await signIn('pv@example.jp')}`;
    const res = await app.request('/api/sites', { headers: { cookie } });
    expect(res.status).toBe(403);
  });
});
