import type { Context } from 'hono';

export interface SameOriginOptions {
  /** the public URL is https though this process sees http: `https://<host>` is then our own origin too */
  secure: boolean;
  /** also accept `Sec-Fetch-Site: none` (a request the visitor started, not a page) */
  userInitiated?: boolean;
}

/**
 * Whether a browser sent this request from our own pages. Origin must equal the request's own origin
 * (or its https form behind a TLS proxy); without Origin, Sec-Fetch-Site must say same-origin; a client
 * that sends neither is not a browser (CSRF is a browser attack) and is let through to the next check.
 */
export function fromOwnOrigin(c: Context, { secure, userInitiated = false }: SameOriginOptions): boolean {
  const url = new URL(c.req.url);
  const origin = c.req.header('origin');
  if (origin !== undefined) return origin === url.origin || (secure && origin === `https://${url.host}`);
  const site = c.req.header('sec-fetch-site');
  return site === undefined || site === 'same-origin' || (userInitiated && site === 'none');
}
