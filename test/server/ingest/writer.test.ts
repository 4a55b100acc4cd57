import { afterEach, describe, expect, it } from 'vitest';
import { emptyRow } from '../../../server/ingest/pipeline.ts';
import { commitEvents, createWriter } from '../../../server/ingest/writer.ts';
import { eventBatchStatements, sessionDeltas } from '../../../server/store/event-batch.ts';
import type { Store } from '../../../server/store/db.ts';
import { createTestDb } from '../../helpers/test-db.ts';
import type { NewEvent } from '../../../server/store/schema.ts';

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

function row(i: number, extra: Partial<NewEvent> = {}): NewEvent {
  return { ...emptyRow('s', 'pageview', 1_000_000 + i), path: `/p${i}`, visitor_id: `v${i}`, session_id: `s${i}`, ...extra };
}

const commitTo = (s: Store) => (rows: NewEvent[]) => commitEvents(s.db, s.dialect, rows);
const count = async (s: Store) => Number((await s.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('group commit', () => {
  it('acknowledges a write only after its transaction has committed', async () => {
    store = await createTestDb();
    const writer = createWriter(commitTo(store), { maxWaitMs: 50 });
    let acked = false;
    const done = writer.write(row(1)).then(() => {
      acked = true;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(acked).toBe(false);
    expect(await count(store)).toBe(0);
    await done;
    expect(await count(store)).toBe(1);
  });

  it('commits concurrent writes together, in few transactions', async () => {
    store = await createTestDb();
    const writer = createWriter(commitTo(store), { maxWaitMs: 20, maxBatch: 1000 });
    let transactions = 0;
    const original = store.db.transaction.bind(store.db);
    store.db.transaction = () => {
      transactions++;
      return original();
    };
    await Promise.all(Array.from({ length: 2500 }, (_, i) => writer.write(row(i))));
    expect(await count(store)).toBe(2500);
    expect(transactions).toBeLessThanOrEqual(4);
  });

  it('a failed commit rejects every waiting write, and the writer recovers', async () => {
    store = await createTestDb();
    const writer = createWriter(commitTo(store), { maxWaitMs: 5 });
    const bad = row(1, { visitor_id: null as unknown as string });
    const results = await Promise.allSettled([writer.write(bad), writer.write(row(2))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await count(store)).toBe(0);
    await writer.write(row(3));
    expect(await count(store)).toBe(1);
  });

  it('drain commits what is queued, then refuses new writes', async () => {
    store = await createTestDb();
    const writer = createWriter(commitTo(store), { maxWaitMs: 10_000 });
    const pending = Array.from({ length: 10 }, (_, i) => writer.write(row(i)));
    await writer.drain();
    await Promise.all(pending);
    expect(await count(store)).toBe(10);
    await expect(writer.write(row(99))).rejects.toThrow(/shutting down/);
  });
});

describe('commits in flight', () => {
  /** a commit that finishes only when the test says so, and a count of how many are running */
  function heldCommits() {
    const held: (() => void)[] = [];
    let running = 0;
    let most = 0;
    const commit = () =>
      new Promise<void>((resolve) => {
        most = Math.max(most, ++running);
        held.push(() => (running--, resolve()));
      });
    return { commit, held, most: () => most };
  }
  const tick = () => new Promise((r) => setTimeout(r, 5));

  it('one at a time by default (SQLite has one writer)', async () => {
    const c = heldCommits();
    const writer = createWriter(c.commit);
    const writes = [writer.write(row(1))];
    await tick();
    writes.push(writer.write(row(2)));
    await tick();
    expect(c.most()).toBe(1);
    while (c.held.length) (c.held.shift()!(), await tick());
    await Promise.all(writes);
  });

  it('up to `concurrency` at once (PostgreSQL commits on several pooled connections)', async () => {
    const c = heldCommits();
    const writer = createWriter(c.commit, { concurrency: 2 });
    const writes = [writer.write(row(1))];
    await tick();
    writes.push(writer.write(row(2)));
    await tick();
    writes.push(writer.write(row(3)));
    await tick();
    expect(c.most()).toBe(2);
    const drained = writer.drain();
    while (c.held.length) (c.held.shift()!(), await tick());
    await drained;
    await Promise.all(writes);
    expect(c.most()).toBe(2);
  });
});

describe('session folding', () => {
  it('upserts sessions in id order, so two processes committing the same sessions lock them in one order', async () => {
    store = await createTestDb();
    const statements = eventBatchStatements(store.db, store.dialect)([row(1, { session_id: 'zz' }), row(2, { session_id: 'aa' }), row(3, { session_id: 'mm' })]);
    const upserts = statements.filter((st) => /insert into "sessions"/i.test(st.sql));
    const ids = upserts.flatMap((st) => st.parameters.flat()).filter((p) => p === 'aa' || p === 'mm' || p === 'zz');
    expect(ids).toEqual(['aa', 'mm', 'zz']);
  });

  it('folds a batch into one row per session with entry and exit pages', () => {
    const deltas = sessionDeltas([
      row(3, { session_id: 'a', path: '/second' }),
      row(1, { session_id: 'a', path: '/first' }),
      row(5, { session_id: 'a', type: 'event', name: 'x', path: '/second' }),
      row(2, { session_id: 'b', path: '/only' }),
    ]);
    expect(deltas).toEqual([
      expect.objectContaining({ id: 'a', started_at: 1_000_001, last_seen_at: 1_000_005, entry_path: '/first', exit_path: '/second', pageviews: 2, events: 1 }),
      expect.objectContaining({ id: 'b', entry_path: '/only', exit_path: '/only', pageviews: 1, events: 0 }),
    ]);
  });
});
