import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;

/**
 * Hono's secure headers as defaults: a header a route set itself (the dashboard's stricter Referrer-Policy,
 * a page's own CSP) is the one sent. secureHeaders writes its values after the route ran, over whatever the
 * route had set, so the route's own are put back.
 */
export function defaultSecureHeaders(options: SecureHeadersOptions): MiddlewareHandler {
  const defaults = secureHeaders(options);
  return async function pageHeaders(c, next) {
    let own: [string, string][] = [];
    await defaults(c, async () => {
      await next();
      own = [...c.res.headers];
    });
    for (const [name, value] of own) if (name !== 'x-powered-by') c.res.headers.set(name, value);
  };
}
