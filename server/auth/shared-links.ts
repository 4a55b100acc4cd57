import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { SharedLinksTable } from '../store/tables/auth.ts';
import { burnVerification, hashPassword, verifyPassword } from './passwords.ts';
import { randomToken, sha256 } from './secrets.ts';

/** A read-only link to one site's statistics, as listed: the id is the token's hash, never the token. */
export interface PublicSharedLink {
  id: string;
  siteId: string;
  label: string | null;
  createdBy: number;
  passwordProtected: boolean;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
}

const num = (v: number | null) => (v === null ? null : Number(v));
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

export function publicSharedLink(row: Selectable<SharedLinksTable>): PublicSharedLink {
  return {
    id: row.id,
    siteId: row.site_id,
    label: row.label,
    createdBy: Number(row.created_by),
    passwordProtected: row.password_hash !== null,
    createdAt: Number(row.created_at),
    expiresAt: num(row.expires_at),
    revokedAt: num(row.revoked_at),
  };
}

export interface NewSharedLink {
  siteId: string;
  createdBy: number;
  label?: string | null;
  password?: string | null;
  expiresAt?: number | null;
}

export async function createSharedLink(db: Kysely<Database>, spec: NewSharedLink, now: number): Promise<{ token: string; link: PublicSharedLink }> {
  const token = randomToken();
  const row = await db
    .insertInto('shared_links')
    .values({
      id: sha256(token),
      site_id: spec.siteId,
      label: spec.label?.trim() || null,
      created_by: spec.createdBy,
      password_hash: spec.password ? await hashPassword(spec.password) : null,
      created_at: now,
      expires_at: spec.expiresAt ?? null,
      revoked_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, link: publicSharedLink(row) };
}

export async function listSharedLinks(db: Kysely<Database>, siteId: string): Promise<PublicSharedLink[]> {
  const rows = await db.selectFrom('shared_links').selectAll().where('site_id', '=', siteId).orderBy('created_at').execute();
  return rows.map(publicSharedLink);
}

/** Revokes a link of that site. False when the site has no such live link. */
export async function revokeSharedLink(db: Kysely<Database>, siteId: string, id: string, now: number): Promise<boolean> {
  const done = await db
    .updateTable('shared_links')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('site_id', '=', siteId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return done.numUpdatedRows > 0n;
}

export type SharedLinkCheck = { ok: true; siteId: string } | { ok: false; reason: 'not_found' | 'password_required' | 'wrong_password' };

/**
 * What a shared-link token opens. `not_found` covers unknown, revoked and expired alike. A wrong password
 * costs a full scrypt verification, so guessing is slow; callers should still rate-limit (see README).
 */
export async function checkSharedLink(db: Kysely<Database>, token: string, password: string | undefined, now: number): Promise<SharedLinkCheck> {
  if (!tokenPattern.test(token)) return { ok: false, reason: 'not_found' };
  const row = await db.selectFrom('shared_links').selectAll().where('id', '=', sha256(token)).executeTakeFirst();
  if (!row || row.revoked_at !== null || (row.expires_at !== null && now >= Number(row.expires_at))) return { ok: false, reason: 'not_found' };
  if (row.password_hash === null) return { ok: true, siteId: row.site_id };
  if (password === undefined || password === '') return { ok: false, reason: 'password_required' };
  if (password.length > 1024) {
    await burnVerification('');
    return { ok: false, reason: 'wrong_password' };
  }
  const { ok } = await verifyPassword(row.password_hash, password);
  return ok ? { ok: true, siteId: row.site_id } : { ok: false, reason: 'wrong_password' };
}

/**
 * The site whose statistics a shared link may read, or null. The stats API serves a shared-link request
 * from this site id only, whatever site the request names.
 */
export async function resolveSharedLink(db: Kysely<Database>, token: string, password?: string, now = Date.now()): Promise<string | null> {
  const result = await checkSharedLink(db, token, password, now);
  return result.ok ? result.siteId : null;
}
