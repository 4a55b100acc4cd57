import { randomBytes } from 'node:crypto';

/** 16 random bytes, base64url (22 chars): cookie ids and session ids, never derived from the visitor. */
export function randomId(): string {
  return randomBytes(16).toString('base64url');
}
