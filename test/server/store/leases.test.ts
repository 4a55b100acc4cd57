import { afterEach, describe, expect, it } from 'vitest';
import { runTask, type Task, type TaskContext } from '../../../server/jobs/tasks.ts';
import type { Store } from '../../../server/store/db.ts';
import { claimLease } from '../../../server/store/leases.ts';
import { createTestDb } from '../../helpers/test-db.ts';

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const T = Date.UTC(2026, 10, 22, 3);

describe('job leases', () => {
  it('one holder at a time; free again once expired', async () => {
    store = await createTestDb();
    expect(await claimLease(store.db, 'rollup', 'a', T, T + 60_000)).toBe(true);
    expect(await claimLease(store.db, 'rollup', 'b', T + 1, T + 60_001)).toBe(false);
    // not even its holder re-takes an unexpired lease: a slow run is not overlapped by its own next turn
    expect(await claimLease(store.db, 'rollup', 'a', T + 2, T + 60_002)).toBe(false);
    expect(await claimLease(store.db, 'retention', 'b', T + 1, T + 60_001)).toBe(true);
    expect(await claimLease(store.db, 'rollup', 'b', T + 60_000, T + 120_000)).toBe(true);
  });

  it('two processes asking at once: exactly one gets it', async () => {
    store = await createTestDb();
    const s = store;
    const got = await Promise.all(['a', 'b', 'c', 'd'].map((h) => claimLease(s.db, 'rollup', h, T, T + 60_000)));
    expect(got.filter(Boolean)).toHaveLength(1);
  });

  it('a shared task runs in one process per turn, a local task in every process', async () => {
    store = await createTestDb();
    let now = T;
    const ran: string[] = [];
    const ctx = (holder: string) => ({ now: () => now, db: store!.db, holder }) as unknown as TaskContext;
    const task = (scope: Task['scope']): Task => ({ name: `t-${scope}`, everyMs: 60_000, scope, run: async (c) => (ran.push(`${scope}:${c.holder}`), {}) });
    for (const scope of ['shared', 'local'] as const) {
      await Promise.all([runTask(task(scope), ctx('a')), runTask(task(scope), ctx('b'))]);
    }
    expect(ran.filter((r) => r.startsWith('shared'))).toHaveLength(1);
    expect(ran.filter((r) => r.startsWith('local')).sort()).toEqual(['local:a', 'local:b']);
    // the next turn (0.9 of the interval after the last run began) is anyone's
    now += 54_000;
    expect(await runTask(task('shared'), ctx('b'))).toEqual({});
  });
});
