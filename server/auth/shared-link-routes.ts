import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.ts';
import { type AuthDeps, recordStaffAction } from './deps.ts';
import { jsonBody } from '../http/validate.ts';
import { requireRole } from './middleware.ts';
import { requireSiteAccess } from './site-access.ts';
import { passwordProblem } from './passwords.ts';
import { createSharedLink, listSharedLinks, revokeSharedLink } from './shared-links.ts';

const DAY = 24 * 60 * 60 * 1000;

const newLinkBody = z.object({
  label: z.string().max(100).nullable().optional(),
  password: z.string().max(1024).nullable().optional(),
  /** omitted or null: until revoked */
  expiresInDays: z.number().int().min(1).max(3660).nullable().optional(),
});

const base = '/api/sites/:site/shared-links';

/** Read-only statistics links for one site: admins and marketers create, list and revoke them. */
export function sharedLinkRoutes(deps: AuthDeps) {
  return new Hono<AppEnv>()
    .use(base, requireRole('admin', 'marketer'), requireSiteAccess())
    .use(`${base}/*`, requireRole('admin', 'marketer'), requireSiteAccess())
    .post(base, jsonBody(newLinkBody), async function createLink(c) {
      const siteId = c.req.param('site');
      const site = await deps.db.selectFrom('sites').select('id').where('id', '=', siteId).executeTakeFirst();
      if (!site) return c.json({ error: 'unknown_site', message: `no site "${siteId}"` }, 404);
      const body = c.req.valid('json');
      if (body.password) {
        const weak = passwordProblem(body.password);
        if (weak) return c.json({ error: 'weak_password', message: weak }, 400);
      }
      const now = deps.clock();
      const expiresAt = body.expiresInDays ? now + body.expiresInDays * DAY : null;
      const caller = c.get('user')!;
      const { token, link } = await createSharedLink(deps.db, { siteId, createdBy: caller.id, label: body.label, password: body.password, expiresAt }, now);
      await recordStaffAction(deps, caller, 'shared_link.create', 'shared link created', { site: siteId, password: link.passwordProtected });
      // the only time the token is shown
      return c.json({ ...link, token }, 201);
    })
    .get(base, async function links(c) {
      return c.json({ links: await listSharedLinks(deps.db, c.req.param('site')) }, 200);
    })
    .delete(`${base}/:id{[0-9a-f]{64}}`, async function revokeLink(c) {
      const siteId = c.req.param('site');
      if (!(await revokeSharedLink(deps.db, siteId, c.req.param('id'), deps.clock()))) {
        return c.json({ error: 'not_found', message: 'no live link with that id for this site' }, 404);
      }
      await recordStaffAction(deps, c.get('user')!, 'shared_link.revoke', 'shared link revoked', { site: siteId });
      return c.json({ ok: true as const }, 200);
    });
}
