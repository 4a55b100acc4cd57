import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with node:crypto's scrypt (memory-hard). Stored as a self-describing string,
 * `scrypt$N$r$p$salt$hash` (salt and hash base64url), so the parameters can be raised later: a hash made
 * with other parameters still verifies and is replaced at the next successful sign-in.
 */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** 2^15 × 8 × 128 B = 32 MiB and roughly 50–100 ms a hash: the cost an attacker pays per guess too. */
export const currentParams: Readonly<ScryptParams> = { N: 2 ** 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // maxmem must exceed 128·N·r·p; node's default (32 MiB) is exactly the current cost, so give headroom
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r * params.p + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    // NFKC: the same password typed through different input methods (full-width digits, composed kana) matches
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string, params: ScryptParams = currentParams): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

interface ParsedHash extends ScryptParams {
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // bounds keep a damaged row from asking for gigabytes
  const ok = Number.isInteger(N) && N >= 2 && N <= 2 ** 20 && (N & (N - 1)) === 0 && Number.isInteger(r) && r >= 1 && r <= 32;
  if (!ok || !Number.isInteger(p) || p < 1 || p > 16) return null;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const key = Buffer.from(parts[5]!, 'base64url');
  if (salt.length < 8 || key.length < 16) return null;
  return { N, r, p, salt, key };
}

export interface Verified {
  ok: boolean;
  /** the hash was made with other parameters than currentParams: store a fresh one */
  needsRehash: boolean;
}

/** Timing-safe check of a password against a stored hash. A malformed hash never matches. */
export async function verifyPassword(stored: string, password: string): Promise<Verified> {
  const parsed = parseHash(stored);
  if (!parsed) return { ok: false, needsRehash: false };
  const key = await derive(password, parsed.salt, parsed);
  const ok = key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  const needsRehash = parsed.N !== currentParams.N || parsed.r !== currentParams.r || parsed.p !== currentParams.p;
  return { ok, needsRehash: ok && needsRehash };
}

let dummy: Promise<string> | undefined;

/**
 * Verifies against a throwaway hash, so that signing in as an unknown or disabled account costs the
 * same time as a wrong password for a real one.
 */
export async function burnVerification(password: string): Promise<void> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(await dummy, password);
}

/** The 20 commonest passwords of the public breach corpora (NordPass, SecLists top lists). */
export const commonPasswords: readonly string[] = [
  '123456', 'password', '123456789', '12345678', '12345', 'qwerty', '1234567', '111111', '1234567890', '123123',
  'abc123', '1234', 'password1', 'iloveyou', '1q2w3e4r', '000000', 'qwerty123', 'zaq12wsx', 'dragon', 'sunshine',
];

/**
 * Why a new password is refused, or null. Length first (12 characters, counted as code points), then the
 * common list, also when a common password is only repeated or followed by digits and symbols
 * ("passwordpassword", "Password2026!", "123456789012"), then one character repeated, then the account's own email address.
 */
export function passwordProblem(password: string, email?: string): string | null {
  const normalized = password.normalize('NFKC');
  const length = [...normalized].length;
  if (length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `a password may have at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = normalized.toLowerCase();
  for (const common of commonPasswords) {
    const padded = lower.startsWith(common) && /^[\d\W_]*$/u.test(lower.slice(common.length));
    if (padded || lower.split(common).every((rest) => rest === '')) {
      return 'this password is on the list of the most common passwords';
    }
  }
  if (new Set(lower).size === 1) return 'a password cannot be one character repeated';
  if (email && lower === email.trim().toLowerCase()) return 'a password cannot be the email address';
  return null;
}
