import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Takes the named lease until `until` if it is free (never taken, or expired). One statement, so two
 * processes asking at once cannot both get it: the upsert's WHERE sees the other's committed row. A holder
 * does not re-take its own unexpired lease either, so a slow run is not overlapped by its next turn.
 */
export async function claimLease(db: Kysely<Database>, name: string, holder: string, now: number, until: number): Promise<boolean> {
  const res = await db
    .insertInto('job_leases')
    .values({ name, holder, until })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, until })
        .where('job_leases.until', '<=', now),
    )
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Shortens our lease to `until` (after a run: the next turn is free to anyone from then on). */
export async function setLeaseEnd(db: Kysely<Database>, name: string, holder: string, until: number): Promise<void> {
  await db.updateTable('job_leases').set({ until }).where('name', '=', name).where('holder', '=', holder).execute();
}
