import { Hono } from 'hono';
import { z } from 'zod';
import { roles, type AppEnv } from '../env.ts';
import { type AuthDeps, recordStaffAction } from './deps.ts';
import { AuthError } from './errors.ts';
import { jsonBody } from '../http/validate.ts';
import { requireRole } from './middleware.ts';
import { clearSecondFactor } from './second-factor.ts';
import { addUser, publicUser, resetPassword, updateUser, type PublicUser } from './users.ts';

const newUserBody = z.object({
  email: z.string().max(320),
  role: z.enum(roles),
  displayName: z.string().max(100).nullable().optional(),
  /** the sites this user may read; absent or null: every site (admins always read all) */
  sites: z.array(z.string().min(1).max(253)).max(1000).nullable().optional(),
});

const changeBody = z.object({
  role: z.enum(roles).optional(),
  disabled: z.boolean().optional(),
  displayName: z.string().max(100).nullable().optional(),
  /** a new one-time password, returned once; the user's sessions end */
  resetPassword: z.literal(true).optional(),
  sites: z.array(z.string().min(1).max(253)).max(1000).nullable().optional(),
  /** a user who lost their authenticator and recovery codes sets one up again at the next sign-in */
  resetSecondFactor: z.literal(true).optional(),
});

/** Admin only. New users get a generated one-time password (returned once) that they must replace. */
export function userRoutes(deps: AuthDeps) {
  return new Hono<AppEnv>()
    .use('/api/users', requireRole('admin'))
    .use('/api/users/*', requireRole('admin'))
    .get('/api/users', async function listUsers(c) {
      const rows = await deps.db.selectFrom('users').selectAll().orderBy('id').execute();
      return c.json({ users: rows.map(publicUser) }, 200);
    })
    .post('/api/users', jsonBody(newUserBody), async function createUser(c) {
      const body = c.req.valid('json');
      try {
        const { user, generatedPassword } = await addUser(deps.db, { email: body.email, role: body.role, displayName: body.displayName ?? null, sites: body.sites }, deps.clock());
        await recordStaffAction(deps, c.get('user')!, 'user.add', 'user added', { userId: user.id, role: user.role, sites: user.sites === null ? null : user.sites.join(' ') });
        return c.json({ user, password: generatedPassword! }, 201);
      } catch (err) {
        if (err instanceof AuthError) return c.json(err.toJSON(), err.status);
        throw err;
      }
    })
    .patch('/api/users/:id{[0-9]+}', jsonBody(changeBody), async function changeUser(c) {
      const id = Number(c.req.param('id'));
      const body = c.req.valid('json');
      try {
        const user: PublicUser = await updateUser(deps.db, id, { role: body.role, disabled: body.disabled, displayName: body.displayName, sites: body.sites }, deps.clock());
        const password = body.resetPassword ? await resetPassword(deps.db, id, deps.clock()) : null;
        if (body.resetSecondFactor) await clearSecondFactor(deps.db, id);
        await recordStaffAction(deps, c.get('user')!, 'user.change', 'user changed', {
          userId: id,
          role: user.role,
          disabled: user.disabledAt !== null,
          reset: password !== null,
          secondFactorReset: body.resetSecondFactor === true,
          sites: user.sites === null ? null : user.sites.join(' '),
        });
        return c.json({ user: password ? { ...user, mustChangePassword: true } : user, password }, 200);
      } catch (err) {
        if (err instanceof AuthError) return c.json(err.toJSON(), err.status);
        throw err;
      }
    });
}
