import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { SessionLookup } from './sessions.ts';

/**
 * The visitor's newest visit still open at `ts`, from the sessions table: through the visitor_id index,
 * asked only for a visitor this process has no open visit for.
 */
export function openSessionLookup(db: Kysely<Database>, idleMs: number): SessionLookup {
  return (site, visitor, ts) =>
    db
      .selectFrom('sessions')
      .select(['id', 'last_seen_at'])
      .where('visitor_id', '=', visitor)
      .where('site_id', '=', site)
      .where('last_seen_at', '>', ts - idleMs)
      .where('started_at', '<', ts + idleMs)
      .orderBy('last_seen_at', 'desc')
      .limit(1)
      .executeTakeFirst();
}
