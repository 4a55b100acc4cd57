import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url (43 characters): session, API-token and shared-link tokens. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** How every token is stored: SHA-256, hex. A token has 256 random bits, so no salt or slow hash is needed. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function hmac(key: string, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url');
}

/** Constant-time string comparison; hashing first makes both sides the same length. */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

// No 0/O, 1/l/I: generated passwords are read off a terminal and typed in by hand.
const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A one-time password: five groups of five (about 143 bits), e.g. `k7Hq2-…`. */
export function generatePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 5; g++) {
    let group = '';
    for (let i = 0; i < 5; i++) group += alphabet[randomInt(alphabet.length)];
    groups.push(group);
  }
  return groups.join('-');
}
