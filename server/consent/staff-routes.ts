import { Hono, type MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';
import type { AppEnv } from '../env.ts';
import type { ApiError } from '../http/wire.ts';
import type { Logger } from '../log.ts';
import type { Database } from '../store/schema.ts';
import { listReceipts, receiptQuery } from './receipts.ts';
import { verifyReceiptChain } from './verify.ts';

export interface ConsentStaffDeps {
  db: Kysely<Database>;
  log: Logger;
  /**
   * Who may call these routes, e.g. `requireRole('privacy', 'admin')`. Required, and applied to each route
   * rather than with `.use()`: a sub-app's `.use()` mounted at '/' would also guard the parent's later routes.
   */
  guard: MiddlewareHandler<AppEnv>;
}

const unavailable: ApiError = { error: 'unavailable', message: 'storage is unavailable; retry later' };

/** Staff endpoints over the receipts. Mount with `app.route('/', consentStaffRoutes(deps))`. */
export function consentStaffRoutes(deps: ConsentStaffDeps) {
  return new Hono<AppEnv>()
    .get('/api/consent/verify', deps.guard, async function verifyConsentChain(c) {
      c.header('Cache-Control', 'no-store');
      try {
        const report = await verifyReceiptChain(deps.db);
        if (!report.ok) deps.log('warn', 'consent receipt chain broken', { seq: report.firstBadSeq, reason: report.reason });
        return c.json(report, 200);
      } catch (err) {
        deps.log('error', 'consent chain verification failed', { error: (err as Error).message });
        return c.json(unavailable, 503);
      }
    })
    .get('/api/consent/receipts', deps.guard, async function listConsentReceipts(c) {
      c.header('Cache-Control', 'no-store');
      const parsed = receiptQuery.safeParse(c.req.query());
      if (!parsed.success) {
        const first = parsed.error.issues[0]!;
        const where = first.path.length ? first.path.join('.') : 'query';
        return c.json<ApiError, 400>({ error: 'invalid_query', message: `${where}: ${first.message}` }, 400);
      }
      try {
        return c.json(await listReceipts(deps.db, parsed.data), 200);
      } catch (err) {
        deps.log('error', 'consent receipt listing failed', { error: (err as Error).message });
        return c.json(unavailable, 503);
      }
    });
}
