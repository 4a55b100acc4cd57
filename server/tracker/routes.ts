/**
 * GET /ashiato.js (the tracker's core), GET /ashiato.links.js (its add-on for links and tagged elements, which
 * the core loads from its own directory when asked to), GET /ashiato-consent.js (the consent banner, its own
 * tag: tracker/banner/) and the demo site under /demo/. Mount with `app.route('/', trackerRoutes())`.
 *
 * Each bundle is built in-process on its first request (tracker/build.ts, cached for the process) so a fresh
 * checkout serves it without a build step; where esbuild is not installed it falls back to the output of
 * `npm run build` (dist/tracker/<name>). All are served the same way: precompressed (br, gzip) with a strong
 * ETag per encoding, cached for a day and revalidated in the background for a week.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { buildTrackerBundle, trackerBundles, trackerOutDir, type TrackerBundle } from '../../tracker/build.ts';

export interface TrackerRoutesOptions {
  /** a bundle's source, by its name (default: built in-process, else dist/tracker/<name>) */
  script?: (name: TrackerBundle) => Promise<string>;
  /** serve the demo site under /demo/ (default: true) */
  demo?: boolean;
}

export const SCRIPT_CACHE_CONTROL = 'public, max-age=86400, stale-while-revalidate=604800';

type Encoding = 'br' | 'gzip' | 'identity';

interface Variant {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}

/** A bundle in every encoding, each with its own strong ETag (the bytes differ, so the tags must too). */
function prepare(code: string): Record<Encoding, Variant> {
  const raw = Buffer.from(code);
  const hash = createHash('sha256').update(raw).digest('base64url').slice(0, 22);
  const bytes = (b: Buffer) => new Uint8Array(b);
  return {
    identity: { body: bytes(raw), etag: `"${hash}"` },
    gzip: { body: bytes(gzipSync(raw, { level: 9 })), etag: `"${hash}-gzip"` },
    br: { body: bytes(brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })), etag: `"${hash}-br"` },
  };
}

/** The best encoding the client accepts (q-values honoured; `*` counts; identity is always acceptable). */
export function pickEncoding(acceptEncoding: string | undefined): Encoding {
  const q = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    q.set(name, qParam ? Number(qParam.slice(2)) || 0 : 1);
  }
  const accepts = (name: string) => (q.get(name) ?? q.get('*') ?? 0) > 0;
  return accepts('br') ? 'br' : accepts('gzip') ? 'gzip' : 'identity';
}

/** If-None-Match (weak comparison, as RFC 9110 §13.1.2 asks): does the client already hold `etag`? */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

const defaultScript = (name: TrackerBundle) =>
  buildTrackerBundle(name).catch(async (buildError: Error) => {
    const built = join(trackerOutDir, name);
    try {
      return await readFile(built, 'utf8');
    } catch {
      throw new Error(`the tracker could not be built (${buildError.message}) and ${built} does not exist: run npm run build`);
    }
  });

const demoDir = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'demo-site');
const demoTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.pdf': 'application/pdf',
  '.svg': 'image/svg+xml',
};

/** The demo site's files, read once: name → body and type. */
function loadDemo(): Map<string, { body: Uint8Array<ArrayBuffer>; type: string }> {
  const files = new Map<string, { body: Uint8Array<ArrayBuffer>; type: string }>();
  for (const name of readdirSync(demoDir)) {
    const type = demoTypes[extname(name)];
    if (type) files.set(name, { body: new Uint8Array(readFileSync(join(demoDir, name))), type });
  }
  return files;
}

export function trackerRoutes(options: TrackerRoutesOptions = {}) {
  const source = options.script ?? defaultScript;
  const app = new Hono();

  /** GET /<name>: one bundle, prepared on its first request (and again after a failure) */
  const serveBundle = (name: TrackerBundle) => {
    let variants: Promise<Record<Encoding, Variant>> | undefined;
    const prepared = () => {
      variants ??= source(name).then(prepare);
      variants.catch(() => (variants = undefined)); // retried on the next request
      return variants;
    };
    app.get(`/${name}`, async function serveTrackerBundle(c) {
      const encoding = pickEncoding(c.req.header('accept-encoding'));
      const { body, etag } = (await prepared())[encoding];
      c.header('Cache-Control', SCRIPT_CACHE_CONTROL);
      c.header('ETag', etag);
      c.header('Vary', 'Accept-Encoding');
      if (matchesEtag(c.req.header('if-none-match'), etag)) return c.body(null, 304);
      c.header('Content-Type', 'application/javascript; charset=utf-8');
      if (encoding !== 'identity') c.header('Content-Encoding', encoding);
      return c.body(body);
    });
  };
  for (const name of Object.keys(trackerBundles) as TrackerBundle[]) serveBundle(name);

  if (options.demo !== false) {
    const files = loadDemo();
    const serve = (name: string, status: 200 | 404 = 200) => {
      const file = files.get(name)!;
      return new Response(file.body, { status, headers: { 'Content-Type': file.type, 'Cache-Control': 'no-cache' } });
    };
    const page = (name: string | undefined) =>
      name && name !== 'index' && name !== '404' && files.has(`${name}.html`) ? serve(`${name}.html`) : serve('404.html', 404);

    app.get('/demo', (c) => c.redirect('/demo/', 301));
    app.get('/demo/', () => serve('index.html'));
    app.get('/demo/files/:file', (c) => {
      const file = c.req.param('file');
      return file.endsWith('.html') || !files.has(file) ? serve('404.html', 404) : serve(file);
    });
    app.get('/demo/:page', (c) => page(c.req.param('page')));
    // these pages route on the client (products is a small single-page app): deep links load the same document
    app.get('/demo/:page{products|news}/:item', (c) => page(c.req.param('page')));
    app.get('/demo/*', () => serve('404.html', 404));
  }

  return app;
}
