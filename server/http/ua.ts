import { isbot } from 'isbot';
import UAParser from 'ua-parser-js';

/** What is kept of a user agent. The raw string itself is never stored or logged. */
export interface UaSummary {
  /** crawlers, monitors, headless browsers (isbot's list) */
  bot: boolean;
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  device: 'desktop' | 'mobile' | 'tablet' | null;
}

/**
 * ua-parser-js 1.x (MIT, ~20 µs a parse) rather than 2.x (AGPL, ~100 µs), plus isbot. Results are cached
 * per UA string because a site's traffic repeats a few hundred distinct strings; the cache is bounded,
 * lives only in memory and is forgotten on restart.
 */
export function createUaSummarizer(maxEntries = 5_000) {
  const cache = new Map<string, UaSummary>();
  return function summarize(ua: string): UaSummary {
    const hit = cache.get(ua);
    if (hit) return hit;
    const r = new UAParser(ua).getResult();
    const type = r.device.type;
    const summary: UaSummary = {
      bot: ua === '' || isbot(ua),
      browser: r.browser.name ?? null,
      browserVersion: r.browser.major ?? null,
      os: r.os.name ?? null,
      device: type === 'mobile' || type === 'wearable' ? 'mobile' : type === 'tablet' ? 'tablet' : r.browser.name ? 'desktop' : null,
    };
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    cache.set(ua, summary);
    return summary;
  };
}

/** Screen width says more about the device class than the UA on modern, UA-reduced browsers. */
export function deviceFromWidth(width: number | undefined): UaSummary['device'] {
  if (width === undefined) return null;
  if (width < 576) return 'mobile';
  if (width < 992) return 'tablet';
  return 'desktop';
}
