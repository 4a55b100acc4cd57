import type { NewEvent } from '../../../../server/store/schema.ts';

/** 2026-11-20 10:00 in Tokyo. */
export const T0 = Date.UTC(2026, 10, 20, 1, 0, 0);
export const MIN = 60_000;
export const SITE = 'shop.example';

function view(session: string, visitor: string, at: number, path: string, more: Partial<NewEvent> = {}): NewEvent {
  return {
    ts: at, site_id: SITE, type: 'pageview', name: null, path, query: null, title: null, referrer_host: null, referrer_path: null,
    utm_source: null, utm_medium: null, utm_campaign: null, utm_term: null, utm_content: null, country: 'JP', browser: 'Chrome',
    browser_version: '131', os: 'Windows', device: 'desktop', language: 'ja', ip_trunc: '203.0.113.0', visitor_id: visitor,
    visitor_kind: 'cookie', session_id: session, props: null, ...more,
  };
}

/**
 * Four visitors, five visits, over two Tokyo days, with the figures every engine must report:
 * A: two visits on the 20th (the first from Google with a campaign, three pages and a signup); B (DE,
 * mobile): one bounce from x.com; D (JP, mobile): / → /products → /contact → /products; C (US): the 21st.
 */
export const scriptedEvents: NewEvent[] = [
  view('sA1', 'vA', T0, '/', { referrer_host: 'www.google.com', utm_campaign: 'autumn' }),
  view('sA1', 'vA', T0 + MIN, '/products'),
  view('sA1', 'vA', T0 + 2 * MIN, '/contact'),
  { ...view('sA1', 'vA', T0 + 3 * MIN, '/contact'), type: 'event', name: 'signup', props: JSON.stringify({ plan: 'pro' }) },
  view('sB1', 'vB', T0 + 30 * MIN, '/products', { referrer_host: 'x.com', country: 'DE', device: 'mobile', browser: 'Mobile Safari', os: 'iOS' }),
  view('sD1', 'vD', T0 + 60 * MIN, '/', { device: 'mobile' }),
  view('sD1', 'vD', T0 + 61 * MIN, '/products', { device: 'mobile' }),
  view('sD1', 'vD', T0 + 62 * MIN, '/contact', { device: 'mobile' }),
  view('sD1', 'vD', T0 + 63 * MIN, '/products', { device: 'mobile' }),
  view('sA2', 'vA', T0 + 180 * MIN, '/news'),
  view('sC1', 'vC', T0 + 24 * 60 * MIN, '/', { country: 'US' }),
  view('sC1', 'vC', T0 + 24 * 60 * MIN + MIN, '/about', { country: 'US' }),
];
