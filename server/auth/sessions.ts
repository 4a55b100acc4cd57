import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { hmac, randomToken, sha256 } from './secrets.ts';
import type { UserRow } from './users.ts';

export const SESSION_COOKIE = 'ashiato_staff';
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
/** last_seen_at is written at most this often: one write a minute per user, not one per request */
const TOUCH_EVERY_MS = 60 * 1000;

const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

export interface StaffSession {
  /** SHA-256 of the cookie token: the row's key */
  id: string;
  userId: number;
  /** HMAC(csrf_secret, token): known to whoever holds the cookie, derivable from neither alone */
  csrfToken: string;
  expiresAt: number;
}

/** Starts a session; the returned token goes into the cookie and is never stored. */
export async function createSession(db: Kysely<Database>, userId: number, now: number, userAgent: string | null): Promise<{ token: string; session: StaffSession }> {
  const token = randomToken();
  const csrfSecret = randomToken();
  const row = { id: sha256(token), user_id: userId, created_at: now, last_seen_at: now, expires_at: now + SESSION_ABSOLUTE_MS, csrf_secret: csrfSecret, ua_summary: userAgent };
  await db.insertInto('staff_sessions').values(row).execute();
  return { token, session: { id: row.id, userId, csrfToken: hmac(csrfSecret, token), expiresAt: row.expires_at } };
}

/**
 * The live session a cookie token names, with its user, or null: unknown, idle for 8 hours, older than 7
 * days, or its user disabled. Dead rows are deleted on sight (and by pruneAuth).
 */
export async function lookupSession(db: Kysely<Database>, token: string, now: number): Promise<{ session: StaffSession; user: UserRow } | null> {
  if (!tokenPattern.test(token)) return null;
  const id = sha256(token);
  const row = await db
    .selectFrom('staff_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id as session_id', 's.last_seen_at', 's.expires_at', 's.csrf_secret'])
    .selectAll('u')
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const lastSeen = Number(row.last_seen_at);
  const expiresAt = Number(row.expires_at);
  if (now >= expiresAt || now - lastSeen >= SESSION_IDLE_MS || row.disabled_at !== null) {
    await db.deleteFrom('staff_sessions').where('id', '=', id).execute();
    return null;
  }
  if (now - lastSeen >= TOUCH_EVERY_MS) await db.updateTable('staff_sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
  const { session_id: _s, last_seen_at: _l, expires_at: _e, csrf_secret: secret, ...user } = row;
  return { session: { id, userId: Number(user.id), csrfToken: hmac(secret, token), expiresAt }, user };
}

export async function endSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('id', '=', sessionId).execute();
}

/** After a password change, a reset or disabling: every browser of that user is signed out. */
export async function endUserSessions(db: Kysely<Database>, userId: number): Promise<number> {
  const done = await db.deleteFrom('staff_sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(done.numDeletedRows);
}
