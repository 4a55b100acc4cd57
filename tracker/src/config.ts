/**
 * Settings from the script tag's data-* attributes, read while the script runs (document.currentScript is
 * only set then). A flag is on when its attribute is present, whatever its value.
 *
 *   data-site       site id (default: the page's hostname)
 *   data-api        event endpoint (default: the script's own origin + /api/event)
 *   data-hash       hash-based routing: #fragment changes are page views, sent with h:1
 *   data-title      send document.title
 *   data-404        send a '404' event for this page
 *   data-local      also send from localhost / 127.0.0.1 / file: and under automation (tests, demos)
 *
 * and, read by the add-on ashiato.links.js (links.ts), which the core loads when any of them is present:
 *
 *   data-outbound   'Outbound Link: Click' events for links to other hosts
 *   data-downloads  'File Download' events: empty for the default extensions, or "pdf,zip,…"
 *   data-events     elements tagged data-ashiato-event send their event on click (a form: on submit)
 */
import { LOCAL } from './parse.ts';

export const script = document.currentScript as HTMLScriptElement;
export const data = script.dataset;

/** fetch and sendBeacon take a URL as well as a string */
export const api = data.api || new URL('/api/event', script.src);
/** the wire's `h`: 1 or absent */
export const hash = 'hash' in data ? (1 as const) : undefined;

/**
 * Nothing is sent from this machine (or file:) or from a browser driven by automation (navigator.webdriver),
 * unless the tag says data-local. The server drops bot user agents; webdriver is a flag only the page sees.
 */
export const blocked = !('local' in data) && (LOCAL.test(location.hostname) || navigator.webdriver);
