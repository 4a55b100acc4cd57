/**
 * What analytics may send, and the visitor-id cookie. With the consent banner on the page, the banner decides
 * (`ashiato.consent.sending`, tracker/banner/sending.ts); without it, the banner's cookie from another page.
 */
import type { Sending } from '../banner/sending.ts';
import { ANALYTICS } from './parse.ts';

/** Cookie `ashiato_<name>`: `id` (ours) or `consent` (the banner's). */
export const readCookie = (name: string): string | undefined =>
  document.cookie.match(`(^|; )ashiato_${name}=([^;]*)`)?.[2];

/**
 * Keeps visitor id `v` for `d` seconds (the server's answer gives both); without them, max-age=0
 * (`undefined | 0`) deletes the cookie (its value, "undefined", is never read: the cookie is gone).
 */
export const setId = (v?: string, d?: number) =>
  (document.cookie = `ashiato_id=${v};max-age=${d! | 0};path=/;SameSite=Lax${location.protocol == 'https:' ? ';Secure' : ''}`);

/**
 * What may be sent now (Sending: 1 with consent, 2 cookieless, 0 nothing, undefined not known yet). Without
 * the banner: its cookie's choice (1 with `analytics`, 0 without) and, with no choice, 2 (the server applies
 * the visitor's mode). Anything but a yes deletes the id at once; not knowing yet (a "yes" on its way) keeps it.
 */
export const sending = (
  banner = (window as { ashiato?: { consent?: { sending(): Sending } } }).ashiato?.consent,
  value = readCookie('consent'),
  s: Sending = banner ? banner.sending() : value == null ? 2 : ANALYTICS.test(value) ? 1 : 0,
): Sending => (s == 1 || s == null || setId(), s);
