import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { myDataRoutes, type MyDataDeps } from './my-data-routes.ts';
import { privacyStaffRoutes } from './staff-routes.ts';

export type PrivacyDeps = MyDataDeps;

/**
 * Everything server/privacy serves: the visitor's /privacy/my-data (page, script, /api/my-data*) and the
 * privacy office's /api/privacy/* (guarded inside by role scopes). Mount with
 * `app.route('/', privacyRoutes(deps))`; /api/my-data* are visitor endpoints (no staff session needed).
 */
export function privacyRoutes(deps: PrivacyDeps) {
  return new Hono<AppEnv>().route('/', myDataRoutes(deps)).route('/', privacyStaffRoutes(deps));
}
