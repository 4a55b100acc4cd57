import type { Kysely } from 'kysely';
import { commitEvents } from '../ingest/writer.ts';
import { rollupAll } from '../jobs/rollup.ts';
import type { Database, NewEvent } from '../store/schema.ts';
import type { DialectSql } from '../store/sql.ts';
import { upsertSite } from '../store/sites.ts';
import { demoEvents } from './generate.ts';

export const DEMO_SITE = { id: 'localhost', hosts: ['localhost', '127.0.0.1'], timezone: 'Asia/Tokyo' };

/** Creates the demo site and, unless it already has events, a few weeks of generated traffic. */
export async function seedDemo(db: Kysely<Database>, dialect: DialectSql, now: number, days = 28): Promise<number> {
  await upsertSite(db, DEMO_SITE, now);
  const existing = await db.selectFrom('events').select('id').where('site_id', '=', DEMO_SITE.id).limit(1).executeTakeFirst();
  if (existing) return 0;
  let batch: NewEvent[] = [];
  let total = 0;
  for (const row of demoEvents({ siteId: DEMO_SITE.id, days, now })) {
    batch.push(row);
    if (batch.length === 5000) {
      await commitEvents(db, dialect, batch);
      total += batch.length;
      batch = [];
    }
  }
  await commitEvents(db, dialect, batch);
  // roll the generated weeks up at once, so the dashboard answers from rollups from the first request
  await rollupAll(db, dialect, now, 100_000);
  return total + batch.length;
}
