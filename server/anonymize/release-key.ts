import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard 3 (no linking codes): the key that groups one release's records of the same visitor is an HMAC of
 * the visitor id under 32 random bytes drawn for this build alone. The salt never leaves this closure; once
 * the records are keyed, `destroy()` zeroes it and drops the reference, so no one — us included — can
 * compute the same key again, join two releases to each other, or map a key back to a raw visitor id.
 */
export interface ReleaseKeyer {
  key(visitorId: string): string;
  /** zeroes the salt; `key` throws afterwards */
  destroy(): void;
}

/** `drawSalt` is for tests that check the salt is zeroed and stored nowhere; it must return fresh random bytes. */
export function createReleaseKeyer(drawSalt: () => Buffer = () => randomBytes(32)): ReleaseKeyer {
  let salt: Buffer | null = drawSalt();
  const memo = new Map<string, string>();
  return {
    key(visitorId) {
      if (!salt) throw new Error('the release key salt was destroyed: keys can no longer be computed');
      let k = memo.get(visitorId);
      if (k === undefined) {
        // 80 bits of hex: collisions are negligible at any dataset size, the value stays short, and no key
        // can start with a character a spreadsheet would read as a formula
        k = createHmac('sha256', salt).update(visitorId).digest('hex').slice(0, 20);
        memo.set(visitorId, k);
      }
      return k;
    },
    destroy() {
      salt?.fill(0);
      salt = null;
      memo.clear();
    },
  };
}
