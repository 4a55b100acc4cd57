import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  buildTracker,
  buildTrackerBundle,
  buildTrackerLinks,
  sizes,
  TRACKER_GZIP_BUDGET,
  TRACKER_LINKS_GZIP_BUDGET,
  trackerBundles,
  type TrackerBundle,
} from '../../tracker/build.ts';

const names = Object.keys(trackerBundles) as TrackerBundle[];

describe('buildTrackerBundle', () => {
  it.each(names)('%s is one minified IIFE with nothing from the server but types', async (name) => {
    const code = await buildTrackerBundle(name);
    expect(code.startsWith('(()=>{')).toBe(true);
    expect(code.trimEnd().endsWith('})();')).toBe(true);
    expect(code).not.toMatch(/\bimport\b|\bexport\b|require\(|sourceMappingURL|use strict/);
    // wire.ts is imported for its types only: none of its values may end up in the bundle
    expect(code).not.toContain('cookieIdPattern');
    expect(code).not.toContain('A-Za-z0-9_-]{22}');
    expect(code.split('\n')).toHaveLength(2); // one line and the final newline
  });

  it.each(names)('%s is within its gzip budget', async (name) => {
    expect(sizes(await buildTrackerBundle(name)).gzip).toBeLessThanOrEqual(trackerBundles[name].budget);
  });

  it('has the budgets the build enforces: 1,024 B for the core, 512 B for the add-on', () => {
    expect(trackerBundles['ashiato.js'].budget).toBe(TRACKER_GZIP_BUDGET);
    expect(TRACKER_GZIP_BUDGET).toBe(1024);
    expect(trackerBundles['ashiato.links.js'].budget).toBe(TRACKER_LINKS_GZIP_BUDGET);
    expect(TRACKER_LINKS_GZIP_BUDGET).toBe(512);
  });

  it('keeps links and tagged elements out of the core, and any send path out of the add-on', async () => {
    const [core, links] = await Promise.all([buildTracker(), buildTrackerLinks()]);
    for (const word of ['data-ashiato-event', 'Outbound Link', 'File Download', 'xlsx', 'closest']) expect(core).not.toContain(word);
    expect(core).toContain('ashiato.links.js');
    for (const word of ['fetch', 'sendBeacon', 'cookie', 'localStorage', '/api/event']) expect(links).not.toContain(word);
  });

  it('is built once per process, per bundle', async () => {
    expect(buildTracker()).toBe(buildTracker());
    expect(buildTrackerLinks()).toBe(buildTrackerBundle('ashiato.links.js'));
    expect(await buildTracker()).not.toBe(await buildTrackerLinks());
  });
});

describe('sizes', () => {
  it('reports raw bytes, gzip -9 and brotli', () => {
    const code = 'console.log("ashiato");'.repeat(50);
    const s = sizes(code);
    expect(s.raw).toBe(Buffer.byteLength(code));
    expect(s.gzip).toBe(gzipSync(code, { level: 9 }).length);
    expect(s.brotli).toBeLessThan(s.raw);
    expect(gunzipSync(gzipSync(code, { level: 9 })).toString()).toBe(code);
  });
});
