import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { ApiTokensTable } from '../store/tables/auth.ts';
import { effectiveScopes, isScope, type Scope } from './scopes.ts';
import { randomToken, sha256 } from './secrets.ts';
import { grantedSites, parseSites } from './site-access.ts';
import type { UserRow } from './users.ts';

/** `ashiato_` + 43 base64url characters: recognisable in a leaked-secret scan. */
export const TOKEN_PREFIX = 'ashiato_';
const tokenPattern = /^ashiato_[A-Za-z0-9_-]{43}$/;
const TOUCH_EVERY_MS = 60 * 1000;

/** A token as listed: never the token, never its hash. */
export interface PublicApiToken {
  id: number;
  userId: number;
  name: string;
  scopes: Scope[];
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
  /** the sites it may read; null: its owner's */
  sites: string[] | null;
}

function parseScopes(json: string): Scope[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((s): s is Scope => typeof s === 'string' && isScope(s)) : [];
}

const num = (v: number | null) => (v === null ? null : Number(v));

export function publicToken(row: Selectable<ApiTokensTable>): PublicApiToken {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    name: row.name,
    scopes: parseScopes(row.scopes),
    createdAt: Number(row.created_at),
    lastUsedAt: num(row.last_used_at),
    expiresAt: num(row.expires_at),
    revokedAt: num(row.revoked_at),
    sites: parseSites(row.sites),
  };
}

export interface NewApiToken {
  userId: number;
  name: string;
  scopes: readonly Scope[];
  expiresAt: number | null;
  /** limits the token to these sites (within its owner's); absent: the owner's sites */
  sites?: readonly string[] | null;
}

/** Mints a token: the plain token is returned this once; only its SHA-256 is stored. */
export async function createApiToken(db: Kysely<Database>, spec: NewApiToken, now: number): Promise<{ token: string; info: PublicApiToken }> {
  const token = TOKEN_PREFIX + randomToken();
  const row = await db
    .insertInto('api_tokens')
    .values({
      user_id: spec.userId,
      name: spec.name,
      token_hash: sha256(token),
      scopes: JSON.stringify([...new Set(spec.scopes)]),
      created_at: now,
      last_used_at: null,
      expires_at: spec.expiresAt,
      revoked_at: null,
      sites: spec.sites ? JSON.stringify([...new Set(spec.sites)]) : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, info: publicToken(row) };
}

/**
 * The owner and effective scopes of a bearer token, or null: unknown, revoked, expired, or its owner
 * disabled. Scopes are cut down to what the owner's role allows today.
 */
export async function lookupApiToken(
  db: Kysely<Database>,
  token: string,
  now: number,
): Promise<{ tokenId: number; user: UserRow; scopes: Scope[]; sites: readonly string[] | null } | null> {
  if (!tokenPattern.test(token)) return null;
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id as token_id', 't.scopes', 't.last_used_at', 't.expires_at', 't.revoked_at', 't.sites as token_sites'])
    .selectAll('u')
    .where('t.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || row.disabled_at !== null) return null;
  if (row.expires_at !== null && now >= Number(row.expires_at)) return null;
  const tokenId = Number(row.token_id);
  if (row.last_used_at === null || now - Number(row.last_used_at) >= TOUCH_EVERY_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', tokenId).execute();
  }
  const { token_id: _i, scopes, last_used_at: _l, expires_at: _e, revoked_at: _r, token_sites, ...user } = row;
  return { tokenId, user, scopes: effectiveScopes(user.role, parseScopes(scopes)), sites: grantedSites(user.role, user.sites, token_sites) };
}

export async function listApiTokens(db: Kysely<Database>): Promise<(PublicApiToken & { userEmail: string })[]> {
  const rows = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .selectAll('t')
    .select('u.email')
    .orderBy('t.id')
    .execute();
  return rows.map((r) => ({ ...publicToken(r), userEmail: r.email }));
}

/**
 * Revokes every live token of a user: a password reset or a disabled account means the credentials may be
 * in the wrong hands, and a token made with them must not outlive them (nor come back on re-enabling).
 */
export async function revokeUserTokens(db: Kysely<Database>, userId: number, now: number): Promise<number> {
  const done = await db.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(done.numUpdatedRows);
}

/** Revokes a token (kept, with revoked_at, for the record). False when there is no such live token. */
export async function revokeApiToken(db: Kysely<Database>, id: number, now: number): Promise<boolean> {
  const done = await db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return done.numUpdatedRows > 0n;
}
