/**
 * Builds the tracker's bundles: `npx tsx tracker/build.ts` writes dist/tracker/ashiato.js (the core),
 * dist/tracker/ashiato.links.js (the add-on the core loads for data-outbound / data-downloads / data-events)
 * and dist/tracker/ashiato-consent.js (the consent banner, its own tag: tracker/banner/), prints raw / gzip /
 * brotli sizes of each and exits non-zero when any is over its budget. The server calls
 * buildTrackerBundle() in-process instead, so a fresh checkout serves them all without a build step.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));

/** Gzip budget for the core script, in bytes (ARCHITECTURE.md → Targets). */
export const TRACKER_GZIP_BUDGET = 1024;
/** Gzip budget for the add-on ashiato.links.js, in bytes. */
export const TRACKER_LINKS_GZIP_BUDGET = 512;
/** Gzip budget for the consent banner ashiato-consent.js, CSS and both languages' UI included, in bytes. */
export const BANNER_GZIP_BUDGET = 5 * 1024;

/** Each bundle, by the file name it is written and served as: its entry point and its gzip budget. */
export const trackerBundles = {
  'ashiato.js': { entry: join(here, 'src', 'index.ts'), budget: TRACKER_GZIP_BUDGET },
  'ashiato.links.js': { entry: join(here, 'src', 'links.ts'), budget: TRACKER_LINKS_GZIP_BUDGET },
  'ashiato-consent.js': { entry: join(here, 'banner', 'index.ts'), budget: BANNER_GZIP_BUDGET },
} as const;
export type TrackerBundle = keyof typeof trackerBundles;

/** Where `npm run build` writes the bundles (the server's fallback when esbuild is not installed). */
export const trackerOutDir = join(here, '..', 'dist', 'tracker');
export const trackerOut = join(trackerOutDir, 'ashiato.js');

const cache = new Map<TrackerBundle, Promise<string>>();

/**
 * A minified bundle, built once per process. es2020 keeps `?.` as written (10 B gzip less than es2019, which
 * spells it out); it parses in Chrome/Edge 80+, Firefox 74+ and Safari 13.1+ (all from 2020). alwaysStrict
 * off: a bundle needs no "use strict" prologue (the code does not rely on it).
 */
export function buildTrackerBundle(name: TrackerBundle): Promise<string> {
  let built = cache.get(name);
  if (!built) {
    built = (async () => {
      // imported here so a server without devDependencies can still load this module (and fall back to dist/)
      const { build } = await import('esbuild');
      const result = await build({
        entryPoints: [trackerBundles[name].entry],
        bundle: true,
        minify: true,
        format: 'iife',
        target: 'es2020',
        legalComments: 'none',
        tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
        write: false,
      });
      return result.outputFiles[0]!.text;
    })();
    cache.set(name, built);
    built.catch(() => cache.delete(name)); // a failed build is retried on the next call
  }
  return built;
}

/** The core script, ashiato.js. */
export const buildTracker = () => buildTrackerBundle('ashiato.js');
/** The add-on, ashiato.links.js. */
export const buildTrackerLinks = () => buildTrackerBundle('ashiato.links.js');
/** The consent banner, ashiato-consent.js. */
export const buildBanner = () => buildTrackerBundle('ashiato-consent.js');

export interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}

/** Sizes as served: gzip at level 9, brotli at quality 11. */
export function sizes(code: string): Sizes {
  const buf = Buffer.from(code);
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

async function main(): Promise<void> {
  mkdirSync(trackerOutDir, { recursive: true });
  for (const [name, { budget }] of Object.entries(trackerBundles) as [TrackerBundle, { budget: number }][]) {
    const code = await buildTrackerBundle(name);
    writeFileSync(join(trackerOutDir, name), code);
    const s = sizes(code);
    console.log(`dist/tracker/${name.padEnd(18)} raw ${s.raw} B · gzip ${s.gzip} B · brotli ${s.brotli} B  (budget: gzip ≤ ${budget} B)`);
    if (s.gzip > budget) {
      console.error(`${name} is ${s.gzip - budget} B over its gzip budget`);
      process.exitCode = 1;
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
