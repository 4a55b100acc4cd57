/** Builds the payload and posts it. Never throws, never delays the page. */
import type { EventAccepted, EventPayload } from '../../server/ingest/wire.ts';
import { api, blocked, data, hash } from './config.ts';
import { consent, readCookie, setId } from './consent.ts';

/**
 * What differs between calls: the name and props of an event, or the referrer of a page view. No `t`: the
 * server takes a payload with `n` for an event, one without for a page view.
 */
export type Fields = Pick<EventPayload, 'n' | 'p' | 'r'>;

/** GPC (`g:1`) cannot change while the page lives; under it the id is not even sent. */
const gpc = (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl ? (1 as const) : undefined;

/**
 * The first exchange of this page load. Later events wait for its answer (a round trip, once) so that they
 * carry the cookie id it may bring: sent at the same time, each would be given a different new id.
 */
let first: Promise<void> | undefined;

export const send = (fields: Fields): void => {
  try {
    if (blocked || localStorage.ashiato_ignore == 1) return; // ashiato.optOut()
  } catch {
    // storage switched off: nobody could have opted out here; the event is still counted (without a cookie)
  }
  // the page as it is now (an SPA may move on while this waits); JSON.stringify leaves out what is undefined.
  // No `l`: fetch and sendBeacon send Accept-Language, which the server reads instead.
  const payload = {
    ...fields,
    s: data.site || location.hostname,
    u: location.href,
    ti: 'title' in data ? document.title : undefined,
    w: screen.width,
    g: gpc,
    h: hash,
  };
  const post = async (body?: string | 0 | void) => {
    try {
      // consent before the id: a denial deletes the cookie
      body = JSON.stringify({ ...payload, c: consent(), v: gpc ? undefined : readCookie('id') } satisfies EventPayload);
      // A string body goes as text/plain;charset=UTF-8: a "simple" request, no CORS preflight.
      // keepalive lets it outlive a navigation, so link clicks are never delayed.
      const res = fetch(api, { method: 'POST', body, keepalive: true });
      body = 0; // on its way: a failure from here on must not send it twice
      const answer: EventAccepted = await (await res).json();
      // 202: keep the id the server returned, or delete ours when it returned none. Other answers change nothing.
      if (answer.m) setId(answer.v, answer.d);
    } catch {
      // fetch itself threw (absent or refused): hand the body to the browser instead
      if (body) navigator.sendBeacon(api, body);
    }
  };
  first ? first.then(post) : (first = post());
};
