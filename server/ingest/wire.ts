/**
 * The tracker's wire format, typed once and shared (with `import type`) by tracker/ and server/.
 * Keys are one or two letters because every byte of the tracker counts; each is explained here.
 * The server validates a body against `payloadSchema` (payload.ts), which is checked to match this type.
 */

/** How the visitor's analytics consent stands, as the page knows it (the parsed form of `c`). */
export type ConsentState = 'granted' | 'denied' | 'unset';

export interface EventPayload {
  /** site id, from the script tag's `data-site` */
  s: string;
  /** type; optional: an event when `n` is present, a page view otherwise */
  t?: 'pageview' | 'event';
  /** event name (e.g. 'signup', 'Outbound Link: Click', 'File Download', '404'); the server adds prop `path` to '404' */
  n?: string;
  /** the page's absolute URL (the server drops query parameters that look like personal data) */
  u: string;
  /** document.referrer, if any */
  r?: string;
  /** document.title, if the site opts in (data-title) */
  ti?: string;
  /** custom event properties: at most 30 keys, keys ≤ 64 chars, values ≤ 256 chars */
  p?: Record<string, string | number | boolean>;
  /** screen width in CSS pixels (device class only; the number itself is not stored) */
  w?: number;
  /** navigator.language; when absent the server takes the first Accept-Language tag */
  l?: string;
  /** analytics consent: 1 granted, 0 denied (or withdrawn), absent when no choice was made */
  c?: 0 | 1;
  /** 1 when navigator.globalPrivacyControl is on: an opt-out, recorded as such */
  g?: 1;
  /** the first-party cookie id, sent only when consent (or the notice-only mode) allows it */
  v?: string;
  /** 1 when the page uses hash-based routing, so the URL's #fragment is part of the path */
  h?: 1;
}

/** Regional consent mode the policy applies to a visitor. */
export type ConsentMode = 'opt-in' | 'notice' | 'opt-out';

/** 202 body: the event is durable. */
export interface EventAccepted {
  ok: true;
  /** the consent mode that applies to this visitor (decided from their country) */
  m: ConsentMode;
  /**
   * the first-party cookie id to keep: the one sent (echoed) or a new random one. Present only when the
   * visitor may have a cookie under this mode and their consent. The tracker (re)writes its cookie when
   * `v` is present and deletes the cookie when it is absent.
   */
  v?: string;
  /** cookie lifetime in seconds (from the policy), present with `v`: the cookie's max-age */
  d?: number;
}

/** Names the tracker and the consent banner share on the visitor's device. */
export const deviceNames = {
  /** first-party cookie holding the random visitor id (only with consent or in notice/opt-out modes) */
  idCookie: 'ashiato_id',
  /**
   * first-party cookie holding the visitor's consent choice, written by the banner:
   * `<consentId>~<policyRevision>~<accepted categories joined by '+'>`, e.g. `k3J…~a1b2c3d4~necessary+analytics`
   */
  consentCookie: 'ashiato_consent',
  /** localStorage key: '1' when the visitor switched tracking off with ashiato.optOut() */
  optOutKey: 'ashiato_ignore',
} as const;

/** Format of a cookie id: 16 random bytes, base64url (never derived from IP or user agent). */
export const cookieIdPattern = /^[A-Za-z0-9_-]{22}$/;

/** 200 body: the request was fine but the event is deliberately not recorded (a bot, an opt-out). */
export interface EventIgnored {
  ok: true;
  dropped: string;
}

export type { ApiError } from '../http/wire.ts';
