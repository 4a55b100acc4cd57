/**
 * ashiato tracker, the core script. Configured by the script tag's data-* attributes (config.ts). Calls made
 * before the script has loaded wait in a queue when the page has this snippet:
 *
 *   <script>window.ashiato=window.ashiato||function(){(ashiato.q=ashiato.q||[]).push(arguments)}</script>
 *
 *   ashiato('signup', { props: { plan: 'pro' } });   ashiato('404');
 *   ashiato.optOut();   ashiato.optIn();            // this browser only (localStorage ashiato_ignore=1; optOut deletes the id)
 *
 * With data-outbound, data-downloads or data-events on its tag it loads the add-on ashiato.links.js (links.ts)
 * from its own directory; the add-on reads the same tag's settings from `ashiato.d` and sends through `ashiato`.
 */
import { blocked, data, hash, script } from './config.ts';
import { track, type EventOptions } from './events.ts';
import { pageview } from './pageview.ts';
import { flush } from './send.ts';

export interface Ashiato {
  (name: string, options?: EventOptions): void;
  /** calls queued by the snippet before the script loaded */
  q?: [string, EventOptions?][];
  /** the core script tag's dataset: the add-on's settings */
  d?: DOMStringMap;
  optOut(): void;
  optIn(): void;
}

const w = window as { ashiato?: Ashiato };
const queued = w.ashiato;
(w.ashiato = track as Ashiato).d = data;

// the banner announces every change of what may be sent: held events go (or are dropped) then
addEventListener('ashiato:consent', flush);
// SPA navigations: the wrapper hands pageview the original's result (undefined), which it ignores
for (const k of ['pushState', 'replaceState'] as const) {
  const original = history[k];
  history[k] = (...args) => pageview(original.apply(history, args));
}
addEventListener('popstate', pageview);
if (hash) addEventListener('hashchange', pageview);
pageview();
if ('404' in data) track('404');
for (const args of queued?.q || []) track(...args);
// the add-on, only where it has work (and nothing could be sent anyway when blocked); an inserted script
// runs async, after this one
if (!blocked && ('outbound' in data || 'downloads' in data || 'events' in data))
  document.head.append(Object.assign(document.createElement('script'), { src: new URL('ashiato.links.js', script.src) }));
