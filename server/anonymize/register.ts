import type { Kysely } from 'kysely';
import type { PublishedDataset } from '../../policy/notice/anonymized.ts';
import type { Database } from '../store/schema.ts';

/**
 * What /privacy/anonymized shows, read fresh on every request: a dataset is public from the transaction
 * that created it. Recipients' names stay in the staff register; the public sees whether a provision went
 * to a third party or to everyone, and when.
 */
export async function publishedDatasets(db: Kysely<Database>, limit = 500): Promise<PublishedDataset[]> {
  const releases = await db.selectFrom('releases').select(['id', 'level', 'items', 'method', 'published_at', 'from_ts', 'to_ts']).orderBy('id', 'desc').limit(limit).execute();
  if (!releases.length) return [];
  const ids = releases.map((r) => r.id);
  const [notices, provisions] = await Promise.all([
    db.selectFrom('release_notices').select(['release_id', 'method_ja', 'method_en', 'published_at']).where('release_id', 'in', ids).orderBy('id').execute(),
    db.selectFrom('release_disclosures').select(['release_id', 'recipient_kind', 'released_on']).where('release_id', 'in', ids).orderBy('released_on').orderBy('id').execute(),
  ]);
  return releases.map((r) => {
    const id = Number(r.id);
    return {
      id,
      level: r.level,
      items: JSON.parse(r.items) as string[],
      publishedAt: Number(r.published_at),
      from: Number(r.from_ts),
      to: Number(r.to_ts),
      timeZone: (JSON.parse(r.method) as { timeZone?: string }).timeZone ?? 'UTC',
      methods: notices.filter((n) => Number(n.release_id) === id).map((n) => ({ method: { ja: n.method_ja, en: n.method_en }, publishedAt: Number(n.published_at) })),
      provisions: provisions.filter((p) => Number(p.release_id) === id).map((p) => ({ recipient: p.recipient_kind, releasedOn: p.released_on })),
    };
  });
}
