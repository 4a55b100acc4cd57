/** Builds the payload and posts it at once. Never throws, never delays the page. */
import type { EventAccepted, EventPayload } from '../../server/ingest/wire.ts';
import { api, blocked, data, hash } from './config.ts';
import { readCookie, sending, setId } from './consent.ts';

/**
 * What differs between calls: the name and props of an event, or the referrer of a page view. No `t`: the
 * server takes a payload with `n` for an event, one without for a page view.
 */
export type Fields = Pick<EventPayload, 'n' | 'p' | 'r'>;

/** GPC (`g:1`) cannot change while the page lives; under it the id is not even sent. */
const gpc = (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl ? (1 as const) : undefined;

/**
 * Events made while the banner does not yet know what may be sent (its config, or a "yes" the server has not
 * yet accepted, is on its way), each as the page was when it happened. `flush` sends or drops them.
 */
let held: EventPayload[] = [];

/**
 * Posts each held event, as `sending` now allows: with consent (`c:1`) and the cookie id if this browser has
 * one yet, cookieless (no `c`, no `v`), or not at all. Every post goes at once (fetch with keepalive, so it
 * outlives a navigation), never waiting for an earlier answer: an event sent before the id arrives is
 * placed in the visit by the server.
 */
export const flush = (_?: unknown, s = sending()): void => {
  if (s != null)
    for (const payload of held.splice(0)) {
      if (!s) continue; // a refusal (or nothing measured without a yes): dropped here, never sent
      // s is 1 or 2 from here; JSON.stringify leaves out what is undefined
      const body = JSON.stringify({ ...payload, c: s < 2 ? s : undefined, v: s < 2 && !gpc ? readCookie('id') : undefined });
      try {
        // a string body goes as text/plain;charset=UTF-8: a "simple" request, no CORS preflight
        fetch(api, { method: 'POST', body, keepalive: true })
          .then((res) => res.json())
          // 202 to a consented event: keep the id the server returned, or delete ours when it returned none
          // (without consent `sending` has deleted it already). Other answers change nothing.
          .then((answer: EventAccepted) => answer.m && s < 2 && setId(answer.v, answer.d), () => {});
      } catch {
        // fetch itself threw (absent or refused): hand the body to the browser instead
        navigator.sendBeacon(api, body);
      }
    }
};

export const send = (fields: Fields): void => {
  try {
    if (blocked || localStorage.ashiato_ignore == 1) return; // ashiato.optOut()
  } catch {
    // storage switched off: nobody could have opted out here
  }
  // the page as it is now (an SPA may move on while this waits). No `l`: fetch and sendBeacon send
  // Accept-Language, which the server reads instead.
  held.push({
    ...fields,
    s: data.site || location.hostname,
    u: location.href,
    ti: 'title' in data ? document.title : undefined,
    w: screen.width,
    g: gpc,
    h: hash,
  });
  flush();
};
