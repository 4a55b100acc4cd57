import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { defaultLoginLimits } from './login-limiter.ts';
import { SESSION_IDLE_MS } from './sessions.ts';

/** Deletes ended staff sessions and sign-in failures older than the limiter's window (a job, every few minutes). */
export async function pruneAuth(db: Kysely<Database>, now: number, windowMs = defaultLoginLimits.windowMs): Promise<{ sessions: number; attempts: number }> {
  const sessions = await db
    .deleteFrom('staff_sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', now - SESSION_IDLE_MS)]))
    .executeTakeFirst();
  const attempts = await db.deleteFrom('login_attempts').where('at', '<=', now - windowMs).executeTakeFirst();
  return { sessions: Number(sessions.numDeletedRows), attempts: Number(attempts.numDeletedRows) };
}
