import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.ts';
import { type AuthDeps, recordStaffAction } from './deps.ts';
import { jsonBody } from '../http/validate.ts';
import { requireRole } from './middleware.ts';
import { mayReadSite } from './site-access.ts';
import { roleScopes, scopes } from './scopes.ts';

const DAY = 24 * 60 * 60 * 1000;
export const DEFAULT_TOKEN_DAYS = 90;

const newTokenBody = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(scopes)).min(1),
  /** limits the token to these sites (within its owner's); absent: the owner's sites */
  sites: z.array(z.string().min(1).max(253)).min(1).max(1000).optional(),
  /** omitted: 90 days; null: until revoked */
  expiresInDays: z.number().int().min(1).max(3660).nullable().optional(),
});

/**
 * API tokens for scripts and BI tools (`Authorization: Bearer ashiato_…`). Admin only; a token belongs to
 * the admin who made it, and its scopes are checked against its owner's role at every request.
 */
export function tokenRoutes(deps: AuthDeps) {
  return new Hono<AppEnv>()
    .use('/api/tokens', requireRole('admin'))
    .use('/api/tokens/*', requireRole('admin'))
    .post('/api/tokens', jsonBody(newTokenBody), async function mintToken(c) {
      const caller = c.get('user')!;
      const body = c.req.valid('json');
      const beyond = body.scopes.filter((s) => !roleScopes[caller.role].includes(s));
      if (beyond.length) return c.json({ error: 'scope_not_allowed', message: `your role cannot grant ${beyond.join(', ')}` }, 403);
      const outside = (body.sites ?? []).filter((s) => !mayReadSite(caller, s));
      if (outside.length) return c.json({ error: 'site_not_allowed', message: `you cannot grant ${outside.join(', ')}` }, 403);
      const now = deps.clock();
      const days = body.expiresInDays === undefined ? DEFAULT_TOKEN_DAYS : body.expiresInDays;
      const { token, info } = await createApiToken(deps.db, { userId: caller.id, name: body.name, scopes: body.scopes, expiresAt: days === null ? null : now + days * DAY, sites: body.sites }, now);
      await recordStaffAction(deps, caller, 'token.create', 'api token created', { tokenId: info.id, scopes: info.scopes.join(' ') });
      // the only time the token is shown
      return c.json({ ...info, token }, 201);
    })
    .get('/api/tokens', async function tokens(c) {
      return c.json({ tokens: await listApiTokens(deps.db) }, 200);
    })
    .delete('/api/tokens/:id{[0-9]+}', async function revokeToken(c) {
      const id = Number(c.req.param('id'));
      if (!(await revokeApiToken(deps.db, id, deps.clock()))) return c.json({ error: 'not_found', message: `no live token ${id}` }, 404);
      await recordStaffAction(deps, c.get('user')!, 'token.revoke', 'api token revoked', { tokenId: id });
      return c.json({ ok: true as const }, 200);
    });
}
