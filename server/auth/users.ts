import type { Kysely, Selectable } from 'kysely';
import { roles, type Role } from '../env.ts';
import type { Logger } from '../log.ts';
import type { Database } from '../store/schema.ts';
import type { UsersTable } from '../store/tables/auth.ts';
import { AuthError } from './errors.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { generatePassword } from './secrets.ts';
import { endUserSessions } from './sessions.ts';
import { revokeUserTokens } from './api-tokens.ts';
import { parseSites } from './site-access.ts';

export type UserRow = Selectable<UsersTable>;

/** A user as the API shows it: never the hash. */
export interface PublicUser {
  id: number;
  email: string;
  displayName: string | null;
  role: Role;
  mustChangePassword: boolean;
  createdAt: number;
  disabledAt: number | null;
  lastLoginAt: number | null;
  /** the sites this user may read; null: every site */
  sites: string[] | null;
}

export function publicUser(row: UserRow): PublicUser {
  return {
    id: Number(row.id),
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    mustChangePassword: row.must_change_password === 1,
    createdAt: Number(row.created_at),
    disabledAt: row.disabled_at === null ? null : Number(row.disabled_at),
    lastLoginAt: row.last_login_at === null ? null : Number(row.last_login_at),
    sites: row.role === 'admin' ? null : parseSites(row.sites),
  };
}

export function normalizeEmail(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}

/** Deliberately loose (`local@host`): the address is a sign-in name, mail is never sent to it. */
export function emailProblem(email: string): string | null {
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email)) return `"${email.slice(0, 80)}" is not an email address`;
  return null;
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

export function findUserByEmail(db: Kysely<Database>, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
}

export function findUser(db: Kysely<Database>, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface NewUser {
  email: string;
  role: Role;
  /** omitted: a one-time password is generated, returned once, and must be changed at first sign-in */
  password?: string;
  displayName?: string | null;
  /** defaults to true when the password is generated, false when one is given */
  mustChangePassword?: boolean;
  /** the sites this user may read; absent or null: every site */
  sites?: readonly string[] | null;
}

export interface AddedUser {
  user: PublicUser;
  /** the generated one-time password, or null when one was given; shown once, never stored */
  generatedPassword: string | null;
}

/** Creates a user (the CLI's `ashiato user add`, the bootstrap admin, `POST /api/users`). */
export async function addUser(db: Kysely<Database>, spec: NewUser, now = Date.now()): Promise<AddedUser> {
  const email = normalizeEmail(spec.email);
  const emailError = emailProblem(email);
  if (emailError) throw new AuthError('invalid_email', emailError);
  if (!isRole(spec.role)) throw new AuthError('invalid_role', `role must be one of ${roles.join(', ')}`);
  const generatedPassword = spec.password === undefined ? generatePassword() : null;
  const password = spec.password ?? generatedPassword!;
  const weak = passwordProblem(password, email);
  if (weak) throw new AuthError('weak_password', weak);
  if (await findUserByEmail(db, email)) throw new AuthError('email_taken', `a user with the email ${email} exists`, 409);

  const row = await db
    .insertInto('users')
    .values({
      email,
      display_name: spec.displayName?.trim() || null,
      role: spec.role,
      password_hash: await hashPassword(password),
      must_change_password: (spec.mustChangePassword ?? generatedPassword !== null) ? 1 : 0,
      created_at: now,
      disabled_at: null,
      last_login_at: null,
      sites: sitesJson(spec.sites),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { user: publicUser(row), generatedPassword };
}

/** Sets a user's own new password: clears the must-change flag and ends all their sessions. */
export async function setPassword(db: Kysely<Database>, user: UserRow, password: string): Promise<void> {
  const weak = passwordProblem(password, user.email);
  if (weak) throw new AuthError('weak_password', weak);
  const hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash, must_change_password: 0 }).where('id', '=', user.id).execute();
    await endUserSessions(trx, user.id);
  });
}

/** An administrator's reset (or `ashiato user reset-password`): a new one-time password, sessions ended, tokens revoked. */
export async function resetPassword(db: Kysely<Database>, userId: number, now = Date.now()): Promise<string> {
  const password = generatePassword();
  const hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    const done = await trx.updateTable('users').set({ password_hash: hash, must_change_password: 1 }).where('id', '=', userId).executeTakeFirst();
    if (done.numUpdatedRows === 0n) throw new AuthError('not_found', `no user ${userId}`, 404);
    await endUserSessions(trx, userId);
    await revokeUserTokens(trx, userId, now);
  });
  return password;
}

export interface UserChange {
  role?: Role;
  disabled?: boolean;
  displayName?: string | null;
  /** null: every site */
  sites?: readonly string[] | null;
}

const sitesJson = (sites: readonly string[] | null | undefined) => (sites ? JSON.stringify([...new Set(sites)].sort()) : null);

/**
 * Changes role, name or disabled state. Disabling ends the user's sessions and revokes their tokens, so that
 * re-enabling the account does not bring old tokens back. The last active admin can be neither demoted nor disabled.
 */
export async function updateUser(db: Kysely<Database>, id: number, change: UserChange, now = Date.now()): Promise<PublicUser> {
  return db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!user) throw new AuthError('not_found', `no user ${id}`, 404);
    const losesAdmin = user.role === 'admin' && user.disabled_at === null && ((change.role !== undefined && change.role !== 'admin') || change.disabled === true);
    if (losesAdmin) {
      const others = await trx
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'admin')
        .where('disabled_at', 'is', null)
        .where('id', '!=', id)
        .executeTakeFirst();
      if (!others) throw new AuthError('last_admin', 'the last active admin cannot be demoted or disabled', 409);
    }
    const disabledAt = change.disabled === undefined ? user.disabled_at : change.disabled ? (user.disabled_at ?? now) : null;
    const updated = await trx
      .updateTable('users')
      .set({
        role: change.role ?? user.role,
        display_name: change.displayName === undefined ? user.display_name : change.displayName?.trim() || null,
        disabled_at: disabledAt,
        sites: change.sites === undefined ? user.sites : sitesJson(change.sites),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (change.disabled) {
      await endUserSessions(trx, id);
      await revokeUserTokens(trx, id, now);
    }
    return publicUser(updated);
  });
}

export interface EnsureAdminOptions {
  email?: string;
  /** where to sign in, printed with the password */
  loginUrl?: string;
  /** the console, not the structured log: the password must not end up in log files */
  print?: (line: string) => void;
  now?: number;
}

/**
 * On a fresh data directory (no users at all), creates an admin with a random one-time password and prints
 * it once. Later starts do nothing. Two processes starting together on one database: the email's unique
 * index lets only one of them create it.
 */
export async function ensureAdmin(db: Kysely<Database>, log: Logger, options: EnsureAdminOptions = {}): Promise<{ email: string; password: string } | null> {
  const any = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (any) return null;
  const email = normalizeEmail(options.email ?? 'admin@localhost');
  let added: AddedUser;
  try {
    added = await addUser(db, { email, role: 'admin', mustChangePassword: true }, options.now ?? Date.now());
  } catch (err) {
    if (await findUserByEmail(db, email)) return null; // another process won
    throw err;
  }
  const password = added.generatedPassword!;
  const print = options.print ?? ((line: string) => console.log(line));
  print('');
  print('ashiato: created the first admin account (shown only this once)');
  print(`  email:    ${email}`);
  print(`  password: ${password}`);
  if (options.loginUrl) print(`  sign in:  ${options.loginUrl}`);
  print('  You will be asked to choose your own password at first sign-in.');
  print('');
  log('info', 'created the first admin account', { email, userId: added.user.id });
  return { email, password };
}
