/**
 * The dashboard: GET / (sign-in), GET /app, /app/* (the overview and its client-side routes) and
 * GET /share/<token> (a shared link's public, read-only view) answer the same HTML shell;
 * GET /app/assets/<name> serves the script and stylesheet. Mount with `app.route('/', dashboardRoutes())`.
 *
 * The bundle is built in-process on first request (dashboard/build.ts, cached for the process) so a fresh
 * checkout needs no build step; where esbuild is not installed it falls back to the output of
 * `npx tsx dashboard/build.ts` (dist/dashboard/). Asset names carry a content hash, so they are cached for a
 * year as immutable, precompressed (br, gzip) with a strong ETag per encoding. The shell is never cached (it
 * names the current assets) and carries a strict CSP: no inline script, nothing from other origins.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { Hono, type Context } from 'hono';
import { buildDashboard, dashboardOutDir, type DashboardBundle } from '../../dashboard/build.ts';
import { matchesEtag, pickEncoding } from '../tracker/routes.ts';

export interface DashboardRoutesOptions {
  /** the script and stylesheet (default: built in-process, else dist/dashboard/) */
  bundle?: () => Promise<DashboardBundle>;
}

export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
export const ASSET_PREFIX = '/app/assets/';

type Encoding = 'br' | 'gzip' | 'identity';

interface Asset {
  type: string;
  variants: Record<Encoding, { body: Uint8Array<ArrayBuffer>; etag: string }>;
}

function prepareAsset(code: string, type: string): Asset {
  const raw = Buffer.from(code);
  const hash = createHash('sha256').update(raw).digest('base64url').slice(0, 22);
  const bytes = (b: Buffer) => new Uint8Array(b);
  return {
    type,
    variants: {
      identity: { body: bytes(raw), etag: `"${hash}"` },
      gzip: { body: bytes(gzipSync(raw, { level: 9 })), etag: `"${hash}-gzip"` },
      br: { body: bytes(brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })), etag: `"${hash}-br"` },
    },
  };
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

const favicon =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E%3Cg fill='%234f52d6'%3E%3Cellipse cx='8' cy='15' rx='3.2' ry='5' transform='rotate(-12 8 15)'/%3E%3Cellipse cx='16.5' cy='8.5' rx='3.2' ry='5' transform='rotate(12 16.5 8.5)' opacity='.55'/%3E%3C/g%3E%3C/svg%3E";

/** The page every dashboard URL loads: the app renders into #app. */
export function dashboardShell(bundle: DashboardBundle): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="robots" content="noindex, nofollow">
<title>ashiato</title>
<link rel="icon" href="${favicon}">
<link rel="stylesheet" href="${ASSET_PREFIX}${escapeAttr(bundle.css.name)}">
<script defer src="${ASSET_PREFIX}${escapeAttr(bundle.js.name)}"></script>
</head>
<body>
<noscript><p style="padding:2rem;font-family:system-ui,sans-serif">The ashiato dashboard needs JavaScript. / ashiato のダッシュボードには JavaScript が必要です。</p></noscript>
<div id="app"></div>
</body>
</html>
`;
}

/** dist/dashboard/ as `npx tsx dashboard/build.ts` left it. */
async function builtBundle(): Promise<DashboardBundle> {
  const manifest = JSON.parse(await readFile(join(dashboardOutDir, 'manifest.json'), 'utf8')) as { js: string; css: string };
  const read = async (name: string) => ({ name, code: await readFile(join(dashboardOutDir, name), 'utf8') });
  return { js: await read(manifest.js), css: await read(manifest.css) };
}

const defaultBundle = () =>
  buildDashboard().catch(async (buildError: Error) => {
    try {
      return await builtBundle();
    } catch {
      throw new Error(`the dashboard could not be built (${buildError.message}) and ${dashboardOutDir} has no build: run npx tsx dashboard/build.ts`);
    }
  });

interface Prepared {
  shell: string;
  assets: Map<string, Asset>;
}

export function dashboardRoutes(options: DashboardRoutesOptions = {}) {
  const source = options.bundle ?? defaultBundle;
  let prepared: Promise<Prepared> | undefined;
  const ready = () => {
    prepared ??= source().then((bundle) => ({
      shell: dashboardShell(bundle),
      assets: new Map([
        [bundle.js.name, prepareAsset(bundle.js.code, 'application/javascript; charset=utf-8')],
        [bundle.css.name, prepareAsset(bundle.css.code, 'text/css; charset=utf-8')],
      ]),
    }));
    prepared.catch(() => (prepared = undefined)); // retried on the next request
    return prepared;
  };

  async function shell(c: Context) {
    const { shell } = await ready();
    c.header('Cache-Control', 'no-store');
    c.header('Content-Security-Policy', DASHBOARD_CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    return c.html(shell);
  }

  return new Hono()
    .get(`${ASSET_PREFIX}:file`, async function dashboardAsset(c) {
      const asset = (await ready()).assets.get(c.req.param('file'));
      if (!asset) return c.text('not found', 404, { 'Cache-Control': 'no-store' });
      const encoding = pickEncoding(c.req.header('accept-encoding'));
      const { body, etag } = asset.variants[encoding];
      c.header('Cache-Control', ASSET_CACHE_CONTROL);
      c.header('ETag', etag);
      c.header('Vary', 'Accept-Encoding');
      c.header('X-Content-Type-Options', 'nosniff');
      if (matchesEtag(c.req.header('if-none-match'), etag)) return c.body(null, 304);
      c.header('Content-Type', asset.type);
      if (encoding !== 'identity') c.header('Content-Encoding', encoding);
      return c.body(body);
    })
    .get(`${ASSET_PREFIX}*`, (c) => c.text('not found', 404, { 'Cache-Control': 'no-store' }))
    .get('/', shell)
    .get('/app', shell)
    .get('/app/*', shell)
    // a shared link: the token stays in this origin (Referrer-Policy above) and out of search engines
    .get('/share/:token', async (c) => {
      const res = await shell(c);
      res.headers.set('X-Robots-Tag', 'noindex, nofollow');
      return res;
    });
}
