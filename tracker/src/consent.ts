/** The consent gate and the visitor-id cookie: `c` from the banner's cookie; a denial removes the id at once. */
import type { EventPayload } from '../../server/ingest/wire.ts';
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
 * The wire's `c`: 1 granted, 0 denied (and the id deleted), undefined without a choice. Also the
 * `ashiato:consent` listener: the event arrives as the unused first parameter, so the second one is always
 * read afresh.
 */
export const consent = (_?: unknown, value = readCookie('consent')): EventPayload['c'] =>
  value == null ? undefined : ANALYTICS.test(value) ? 1 : (setId(), 0);
