import { Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../env.ts';
import { isStorageError, logStorageError, storageUnavailable } from '../http/storage-errors.ts';
import { rateLimitedLogger } from '../log.ts';
import type { AuthDeps } from './deps.ts';
import type { ApiError } from './errors.ts';
import { authenticate, csrf } from './middleware.ts';
import { secondFactorRoutes } from './second-factor-routes.ts';
import { sessionRoutes } from './session-routes.ts';
import { sharedLinkRoutes } from './shared-link-routes.ts';
import { tokenRoutes } from './token-routes.ts';
import { userRoutes } from './user-routes.ts';

/** The paths served here. Middleware is bound to them, never to `*`: mounted at '/', that would run on every request. */
export const authPaths = [
  '/api/auth/*',
  '/api/users',
  '/api/users/*',
  '/api/tokens',
  '/api/tokens/*',
  '/api/sites/:site/shared-links',
  '/api/sites/:site/shared-links/*',
] as const;

const noStore: MiddlewareHandler = async function noStore(c, next) {
  await next();
  c.header('Cache-Control', 'no-store');
};

/**
 * Sign-in, sessions, users, API tokens and shared links. Brings its own authenticate() and csrf() for its
 * paths (both are no-ops when the app already ran them), so it works mounted alone in a test.
 */
export function authRoutes(deps: AuthDeps) {
  const app = new Hono<AppEnv>();
  const auth = authenticate(deps);
  const checkCsrf = csrf({ secureCookies: deps.secureCookies });
  for (const path of authPaths) app.use(path, noStore, auth, checkCsrf);
  const routes = app
    .route('/', sessionRoutes(deps))
    .route('/', secondFactorRoutes(deps))
    .route('/', userRoutes(deps))
    .route('/', tokenRoutes(deps))
    .route('/', sharedLinkRoutes(deps));
  const errorLog = rateLimitedLogger(deps.log);
  routes.onError((err, c) => {
    // hono's validator throws this for a body that is not JSON
    if (err instanceof HTTPException && err.status < 500) return c.json<ApiError>({ error: 'bad_request', message: err.message }, err.status);
    if (isStorageError(err)) {
      logStorageError(errorLog, c, err);
      return storageUnavailable(c);
    }
    errorLog('error', 'unhandled error', { route: c.req.routePath, error: err.message }); // the pattern, not the path: paths can carry shared-link tokens
    return c.json<ApiError>({ error: 'internal', message: 'something went wrong on our side' }, 500);
  });
  return routes;
}
