import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Moves one visit's stored rows from a cookie id to the browser's cookieless hash: a visitor who withdraws
 * consent mid-visit keeps one visit, and no cookie id stays on it. Only that visit's rows move (by its
 * session id), so the link between the two ids ends with the visit.
 */
export async function relinkVisit(db: Kysely<Database>, visit: { site: string; session: string; from: string; to: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('events')
      .set({ visitor_id: visit.to, visitor_kind: 'hash' })
      .where('session_id', '=', visit.session)
      .where('site_id', '=', visit.site)
      .where('visitor_id', '=', visit.from)
      .execute();
    await trx.updateTable('sessions').set({ visitor_id: visit.to, visitor_kind: 'hash' }).where('id', '=', visit.session).where('visitor_id', '=', visit.from).execute();
  });
}
