import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Secret, TOTP } from 'otpauth';
import { renderSVG } from 'uqr';
import type { Database } from '../store/schema.ts';
import { sha256 } from './secrets.ts';

/**
 * Staff second factor: TOTP (RFC 6238: SHA-1, 6 digits, 30 s, as every authenticator app reads it) with
 * single-use recovery codes. A code is accepted once: the step it was made for is kept, and a code for that
 * step or an earlier one is refused, so a code seen over a shoulder cannot be replayed.
 */
const PERIOD_S = 30;
const ISSUER = 'ashiato';
const RECOVERY_CODES = 10;

const totp = (secret: string, label = '') => new TOTP({ issuer: ISSUER, label, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: PERIOD_S });

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** What an authenticator app scans: `otpauth://totp/ashiato:<email>?secret=…` */
export function otpauthUrl(secret: string, email: string): string {
  return totp(secret, email).toString();
}

export function otpauthQrSvg(secret: string, email: string): string {
  return renderSVG(otpauthUrl(secret, email));
}

/** The time step a 6-digit code is valid for (±1 step of clock drift), or null; steps not after `lastStep` are refused. */
export function acceptedStep(secret: string, code: string, lastStep: number | null, now: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secret).validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return null;
  const step = Math.floor(now / 1000 / PERIOD_S) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}

/** The current code, for tests and the CLI's own checks. */
export function currentCode(secret: string, now: number): string {
  return totp(secret).generate({ timestamp: now });
}

// No 0/O, 1/l/I: recovery codes are printed or written down and typed back by hand.
const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
const recoveryShape = /^[a-z2-9]{5}-[a-z2-9]{5}$/;

export const isRecoveryCode = (code: string) => recoveryShape.test(code.trim().toLowerCase());

function recoveryCode(): string {
  const part = () => Array.from({ length: 5 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return `${part()}-${part()}`;
}

/** Replaces the user's recovery codes with fresh ones, returned once; only their hashes are kept. */
export async function issueRecoveryCodes(db: Kysely<Database>, userId: number): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODES }, recoveryCode);
  await db.deleteFrom('staff_recovery_codes').where('user_id', '=', userId).execute();
  await db.insertInto('staff_recovery_codes').values(codes.map((c) => ({ user_id: userId, code_hash: sha256(c), used_at: null }))).execute();
  return codes;
}

/** Uses up a recovery code: true once per code. */
export async function useRecoveryCode(db: Kysely<Database>, userId: number, code: string, now: number): Promise<boolean> {
  const done = await db
    .updateTable('staff_recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', sha256(code.trim().toLowerCase()))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return done.numUpdatedRows > 0n;
}

/**
 * Checks a second factor for a user with TOTP on: a 6-digit code (recording its step) or a recovery code.
 * Each step and each recovery code is accepted once, also when two requests race (the update is conditional).
 */
export async function checkSecondFactor(db: Kysely<Database>, user: { id: number; totp_secret: string | null; totp_last_step: number | null }, code: string, now: number): Promise<boolean> {
  if (!user.totp_secret) return false;
  if (isRecoveryCode(code)) return useRecoveryCode(db, user.id, code, now);
  const step = acceptedStep(user.totp_secret, code.trim(), user.totp_last_step, now);
  if (step === null) return false;
  const done = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', user.id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return done.numUpdatedRows > 0n;
}

/** Turns the factor off (an admin's reset, or the user's own with password and code): secret and codes go. */
export async function clearSecondFactor(db: Kysely<Database>, userId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null }).where('id', '=', userId).execute();
    await trx.deleteFrom('staff_recovery_codes').where('user_id', '=', userId).execute();
  });
}
