import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyRow } from '../../../server/ingest/pipeline.ts';
import { createDb } from '../../../server/store/db.ts';
import { eventBatchStatements } from '../../../server/store/event-batch.ts';
import type { NewEvent } from '../../../server/store/schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'ashiato-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const event = (i: number, session = 's1'): NewEvent => ({
  ...emptyRow('example.com', 'pageview', 1_700_000_000_000 + i),
  path: `/p${i}`,
  utm_source: `src${i}`,
  country: 'JP',
  browser: 'Chrome',
  browser_version: '131',
  os: 'Windows',
  device: 'desktop',
  language: 'ja',
  ip_trunc: '203.0.113.0',
  visitor_id: 'v1',
  session_id: session,
});

describe('group commits on the SQLite writer thread', () => {
  it('stores every value in its own column, with sessions, and the main connection sees it', async () => {
    const store = await createDb({ kind: 'sqlite', file: join(dir, 'a.sqlite') });
    const statements = eventBatchStatements(store.db, store.dialect);
    const rows = Array.from({ length: 87 }, (_, i) => event(i, i < 50 ? 's1' : 's2'));
    await store.committer.commit(statements(rows));
    const stored = await store.db.selectFrom('events').selectAll().orderBy('id').execute();
    expect(stored).toHaveLength(87);
    expect(stored.map(({ id: _id, ...r }) => r)).toEqual(rows);
    const sessions = await store.db.selectFrom('sessions').selectAll().orderBy('id').execute();
    expect(sessions.map((s) => [s.id, s.pageviews, s.entry_path, s.exit_path])).toEqual([
      ['s1', 50, '/p0', '/p49'],
      ['s2', 37, '/p50', '/p86'],
    ]);
    await store.committer.commit(statements([event(100, 's1')]));
    const s1 = await store.db.selectFrom('sessions').selectAll().where('id', '=', 's1').executeTakeFirstOrThrow();
    expect([s1.pageviews, s1.exit_path, Number(s1.last_seen_at)]).toEqual([51, '/p100', 1_700_000_000_100]);
    await store.close();
  });

  it('a failing batch is rolled back whole and rejected; the next one goes through', async () => {
    const store = await createDb({ kind: 'sqlite', file: join(dir, 'b.sqlite') });
    const statements = eventBatchStatements(store.db, store.dialect);
    const bad = { ...event(1), visitor_id: null as unknown as string };
    await expect(store.committer.commit(statements([event(0), bad]))).rejects.toThrow(/NOT NULL/);
    expect(await store.db.selectFrom('events').selectAll().execute()).toHaveLength(0);
    await store.committer.commit(statements([event(2)]));
    expect(await store.db.selectFrom('events').selectAll().execute()).toHaveLength(1);
    await store.close();
  });
});
