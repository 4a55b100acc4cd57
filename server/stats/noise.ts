import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

/**
 * Laplace noise for the optional differential-privacy mode of published statistics. The noise of a cell is
 * derived from a secret key and the cell's identity, so asking again gives the same answer: repeating or
 * re-phrasing queries cannot average the noise away, and the budget is spent once, on the table of day
 * cells, however often it is read.
 */
export interface NoiseSource {
  /** Laplace(0, scale) for the cell named by `cell`, the same every time */
  laplace(cell: string, scale: number): number;
}

export function keyedNoise(key: Buffer): NoiseSource {
  return {
    laplace(cell, scale) {
      const digest = createHmac('sha256', key).update(cell, 'utf8').digest();
      // 52 random bits → a uniform in (0, 1), never exactly 0 or 1
      const u = (Number(digest.readBigUInt64BE(0) >> 12n) + 0.5) / 2 ** 52;
      const centred = u - 0.5;
      return -scale * Math.sign(centred) * Math.log(1 - 2 * Math.abs(centred));
    },
  };
}

/** The key of the published statistics' noise, derived from the installation's privacy key (never shown). */
export async function loadNoise(db: Kysely<Database>): Promise<NoiseSource> {
  const row = await db.selectFrom('privacy_keys').select('id_hash_key').where('id', '=', 1).executeTakeFirstOrThrow();
  return keyedNoise(createHmac('sha256', Buffer.from(row.id_hash_key, 'hex')).update('ashiato published statistics noise v1').digest());
}
