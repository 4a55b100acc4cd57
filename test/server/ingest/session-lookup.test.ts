import type { KyselyPlugin } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openSessionLookup } from '../../../server/ingest/session-lookup.ts';
import { SESSION_IDLE_MS } from '../../../server/ingest/sessions.ts';
import type { Store } from '../../../server/store/db.ts';
import { createTestDb } from '../../helpers/test-db.ts';

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const T = Date.UTC(2026, 10, 22, 3);
const MIN = 60_000;

function session(id: string, site: string, visitor: string, started: number, last: number) {
  return { id, site_id: site, visitor_id: visitor, started_at: started, last_seen_at: last, pageviews: 1, events: 0, visitor_kind: 'hash' as const };
}

describe('looking up open visits in the sessions table', () => {
  it('finds the newest open visit of that visitor on that site, and nothing closed or elsewhere', async () => {
    store = await createTestDb();
    await store.db
      .insertInto('sessions')
      .values([
        session('old', 'a', 'v1', T - 90 * MIN, T - 60 * MIN),
        session('open', 'a', 'v1', T - 20 * MIN, T - 10 * MIN),
        session('other-site', 'b', 'v2', T - 5 * MIN, T - 5 * MIN),
      ])
      .execute();
    const lookup = openSessionLookup(store.db, SESSION_IDLE_MS);
    expect(await lookup('a', 'v1', T)).toEqual({ id: 'open', last_seen_at: T - 10 * MIN });
    expect(await lookup('a', 'v2', T)).toBeUndefined();
    expect(await lookup('a', 'v1', T + 25 * MIN)).toBeUndefined();
  });

  it('a burst of questions costs one query', async () => {
    store = await createTestDb();
    let queries = 0;
    const counter: KyselyPlugin = {
      transformQuery: (args) => (queries++, args.node),
      transformResult: async (args) => args.result,
    };
    await store.db.insertInto('sessions').values(session('s7', 'a', 'v7', T - MIN, T - MIN)).execute();
    const lookup = openSessionLookup(store.db.withPlugin(counter), SESSION_IDLE_MS);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => lookup('a', `v${i}`, T)));
    expect(queries).toBe(1);
    expect(answers.filter(Boolean)).toEqual([{ id: 's7', last_seen_at: T - MIN }]);
  });
});
