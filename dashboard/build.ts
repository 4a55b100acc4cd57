/**
 * Builds the dashboard: `npx tsx dashboard/build.ts` writes dist/dashboard/app-<hash>.js, app-<hash>.css and
 * manifest.json, and prints raw / gzip / brotli sizes. The server calls buildDashboard() in-process instead
 * (server/dashboard/routes.ts), so a fresh checkout serves the dashboard without a build step.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
// the same measure as the tracker's bundles: gzip -9 and brotli 11, as served
import { sizes } from '../tracker/build.ts';

const here = dirname(fileURLToPath(import.meta.url));

export const dashboardEntry = join(here, 'src', 'main.tsx');
/** Where `npx tsx dashboard/build.ts` writes (the server's fallback when esbuild is not installed). */
export const dashboardOutDir = join(here, '..', 'dist', 'dashboard');

export interface DashboardAsset {
  /** content-hashed file name, e.g. app-3kQ9x1bZ0a.js */
  name: string;
  code: string;
}

export interface DashboardBundle {
  js: DashboardAsset;
  css: DashboardAsset;
}

const hashed = (stem: string, ext: string, code: string): DashboardAsset => ({
  name: `${stem}-${createHash('sha256').update(code).digest('base64url').slice(0, 10)}.${ext}`,
  code,
});

let cached: Promise<DashboardBundle> | undefined;

/**
 * One minified script and one stylesheet (the CSS the sources import, uPlot's included), built once per
 * process. es2020 runs in every browser a marketer uses; the names carry a content hash so the server can
 * let browsers keep them for a year.
 */
export function buildDashboard(): Promise<DashboardBundle> {
  cached ??= (async () => {
    // imported here so a server without esbuild can still load this module (and fall back to dist/)
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: { app: dashboardEntry },
      bundle: true,
      minify: true,
      format: 'iife',
      target: 'es2020',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      legalComments: 'none',
      // Japanese text as UTF-8, not \u escapes (a third smaller); served with charset=utf-8
      charset: 'utf8',
      define: { 'process.env.NODE_ENV': '"production"' },
      outdir: dashboardOutDir,
      write: false,
    });
    const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
    const css = result.outputFiles.find((f) => f.path.endsWith('.css'));
    if (!js || !css) throw new Error('the dashboard build did not produce one .js and one .css file');
    return { js: hashed('app', 'js', js.text), css: hashed('app', 'css', css.text) };
  })();
  cached.catch(() => (cached = undefined)); // a failed build is retried on the next call
  return cached;
}

async function main(): Promise<void> {
  const bundle = await buildDashboard();
  mkdirSync(dashboardOutDir, { recursive: true });
  for (const asset of [bundle.js, bundle.css]) {
    writeFileSync(join(dashboardOutDir, asset.name), asset.code);
    const s = sizes(asset.code);
    console.log(`dist/dashboard/${asset.name.padEnd(20)} raw ${s.raw} B · gzip ${s.gzip} B · brotli ${s.brotli} B`);
  }
  writeFileSync(join(dashboardOutDir, 'manifest.json'), JSON.stringify({ js: bundle.js.name, css: bundle.css.name }, null, 2) + '\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
