import { afterEach, describe, expect, it } from 'vitest';
import { createLoginLimiter, limiterKeys } from '../../../server/auth/index.ts';
import type { Store } from '../../../server/store/db.ts';
import { createTestDb, sharedTestDbConfigs, testDialect } from '../../helpers/test-db.ts';
import { createDb } from '../../../server/store/db.ts';

let stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.map((s) => s.close()));
  stores = [];
});

const limits = { windowMs: 15 * 60 * 1000, perAccount: 5, perNetwork: 20 };

describe('sign-in attempts are reserved atomically, on every dialect', () => {
  it('50 attempts at once for one account: exactly the limit get through', async () => {
    const store = await createTestDb();
    stores.push(store);
    const limiter = createLoginLimiter(store.db, limits);
    const keys = limiterKeys('alice@example.com', '203.0.113.9');
    const answers = await Promise.all(Array.from({ length: 50 }, () => limiter.reserve(keys, 1_000_000)));
    expect(answers.filter((a) => a.attempt).length).toBe(5);
    expect(answers.filter((a) => !a.attempt).every((a) => a.wait === 15 * 60)).toBe(true);
  });

  it('a success gives its reservation back, and forgets the account’s failures but not the network’s', async () => {
    const store = await createTestDb();
    stores.push(store);
    const limiter = createLoginLimiter(store.db, limits);
    const keys = limiterKeys('alice@example.com', '203.0.113.9');
    for (let i = 0; i < 4; i++) expect((await limiter.reserve(keys, 1_000_000)).attempt).toBeDefined();
    await (await limiter.reserve(keys, 1_000_000)).attempt!.succeeded();
    const left = await store.db.selectFrom('login_attempts').select('key').execute();
    expect(left.map((r) => r.key)).toEqual(Array(4).fill('net:203.0.113.0'));
  });

  it.skipIf(testDialect !== 'postgres')('two processes on one database share the limit', async () => {
    // one after the other: both would create the shared schema, and PostgreSQL's CREATE SCHEMA IF NOT EXISTS races
    const [first, second] = sharedTestDbConfigs(2);
    const a = await createDb(first!);
    const b = await createDb(second!);
    stores.push(a, b);
    const limiters = [createLoginLimiter(a!.db, limits), createLoginLimiter(b!.db, limits)];
    const keys = limiterKeys('bob@example.com', '198.51.100.4');
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => limiters[i % 2]!.reserve(keys, 2_000_000)));
    expect(answers.filter((a) => a.attempt).length).toBe(5);
  });
});
