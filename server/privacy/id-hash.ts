import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

/**
 * A keyed hash of a visitor id (HMAC-SHA256 under `privacy_keys.id_hash_key`, hex): what the deletion log,
 * the suppression list and purged case links keep instead of the id. The same id always gives the same
 * hash, so a repeat can be recognised; without the key (and the id) it tells nothing.
 */
export type IdHasher = (id: string) => string;

export async function loadIdHasher(db: Kysely<Database>): Promise<IdHasher> {
  const row = await db.selectFrom('privacy_keys').select('id_hash_key').where('id', '=', 1).executeTakeFirstOrThrow();
  const key = Buffer.from(row.id_hash_key, 'hex');
  return (id) => createHmac('sha256', key).update(id, 'utf8').digest('hex');
}
