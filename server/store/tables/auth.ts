import type { Generated } from 'kysely';
import type { Role } from '../../env.ts';

/**
 * Row types of the auth tables (their migration: server/store/migrations/2026-11-23-auth.ts).
 * No secret is stored as itself: passwords are scrypt hashes, session, API-token and shared-link tokens
 * are SHA-256 hashes of 32 random bytes. Booleans are 0/1 integers, the same on every dialect.
 */

export interface UsersTable {
  id: Generated<number>;
  /** lower-cased, unique */
  email: string;
  display_name: string | null;
  role: Role;
  /** `scrypt$N$r$p$salt$hash` (server/auth/passwords.ts) */
  password_hash: string;
  /** 1 after a generated one-time password, until the user sets their own */
  must_change_password: number;
  created_at: number;
  disabled_at: number | null;
  last_login_at: number | null;
  /** base32 TOTP secret (RFC 6238); set at enrolment, in use once totp_enabled_at is set */
  totp_secret: string | null;
  totp_enabled_at: number | null;
  /** the last 30-second step a code was accepted for: a code is good once */
  totp_last_step: number | null;
  /** JSON array of the site ids this user may read; null: every site (admins always read all) */
  sites: string | null;
}

/** Single-use codes for a staff member who lost their authenticator: stored as SHA-256 only. */
export interface StaffRecoveryCodesTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  used_at: number | null;
}

/** Signed-in staff (`sessions` holds visitors' visits). */
export interface StaffSessionsTable {
  /** SHA-256 (hex) of the cookie's random token; the token itself is never stored */
  id: string;
  user_id: number;
  created_at: number;
  last_seen_at: number;
  /** absolute end, created_at + 7 days; the idle limit is checked against last_seen_at */
  expires_at: number;
  /** random key; the CSRF token is HMAC(csrf_secret, cookie token), so this row alone cannot produce it */
  csrf_secret: string;
  /** e.g. "Chrome 131 / Windows": enough to recognise a session in a list, never the raw user agent */
  ua_summary: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** SHA-256 (hex) of the whole `ashiato_…` token */
  token_hash: string;
  /** JSON array of scopes, e.g. ["stats:read"] */
  scopes: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
  /** JSON array of site ids, within its owner's; null: the owner's sites */
  sites: string | null;
}

/** Failed sign-ins, one row each, kept for the limiter's window and then pruned. */
export interface LoginAttemptsTable {
  id: Generated<number>;
  /** `email:<sha256 of the address>` or `net:<truncated address>`: what was typed is never kept */
  key: string;
  at: number;
}

/** Read-only links to one site's statistics. */
export interface SharedLinksTable {
  /** SHA-256 (hex) of the link's random token */
  id: string;
  site_id: string;
  label: string | null;
  created_by: number;
  /** scrypt hash when the link is password-protected */
  password_hash: string | null;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
}

export interface AuthTables {
  users: UsersTable;
  staff_sessions: StaffSessionsTable;
  staff_recovery_codes: StaffRecoveryCodesTable;
  api_tokens: ApiTokensTable;
  login_attempts: LoginAttemptsTable;
  shared_links: SharedLinksTable;
}
