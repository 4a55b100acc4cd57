import { afterEach, describe, expect, it } from 'vitest';
import { addUser } from '../../../server/auth/users.ts';
import { createSaltStore } from '../../../server/ingest/salts.ts';
import { rollupAll } from '../../../server/jobs/rollup.ts';
import { loadSuppressions } from '../../../server/privacy/suppressions.ts';
import type { Runtime } from '../../../server/runtime.ts';
import { copyDatabase, ownTables } from '../../../server/store/copy.ts';
import type { Store } from '../../../server/store/db.ts';
import { createTestApp, HOUR, pageview, sendEvent } from '../../helpers/app.ts';
import { createTestDb, testDialect } from '../../helpers/test-db.ts';

let open: (Runtime | Store)[] = [];
afterEach(async () => {
  for (const s of open) await s.close();
  open = [];
});

const COOKIE = 'BBBBBBBBBBBBBBBBBBBBBB';

/** An SQLite installation with a little of everything: events, visits, salts, a user, a suppression, rollups. */
async function sqliteInstallation() {
  const rt = await createTestApp({ db: { kind: 'sqlite', file: ':memory:' } });
  open.push(rt);
  for (const peer of ['203.0.113.77', '198.51.100.23', '192.0.2.44']) {
    for (let i = 0; i < 3; i++) {
      rt.clock.advance(60_000);
      expect((await sendEvent(rt.app, pageview({ u: `https://example.com/p${i}` }), { peer })).status).toBe(202);
    }
  }
  await addUser(rt.store.db, { email: 'tanaka@example.co.jp', role: 'marketer' }, rt.clock());
  await rt.deps.suppressions.add(COOKIE, 'suspend', rt.clock());
  await rollupAll(rt.store.db, rt.store.dialect, rt.clock() + 2 * HOUR);
  return rt;
}

const counts = async (s: Store) => {
  const out: Record<string, number> = {};
  for (const { name: t } of await ownTables(s.db)) {
    if (t.startsWith('kysely_')) continue;
    out[t] = Number((await s.db.selectFrom(t as never).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  }
  return out;
};

describe.skipIf(testDialect !== 'postgres')('moving an SQLite installation to PostgreSQL', () => {
  it('copies every row, and what was keyed or chained stays valid', async () => {
    const source = await sqliteInstallation();
    const target = await createTestDb();
    open.push(target);
    await copyDatabase(source.store, target);

    expect(await counts(target)).toEqual(await counts(source.store));
    // cookieless visitors hash alike under the copied salt, and the copied key still recognises suppressions
    const [a, b] = [createSaltStore(source.store.db, 48), createSaltStore(target.db, 48)];
    await a.load(source.clock());
    await b.load(source.clock());
    const site = { id: 'example.com', timezone: 'Asia/Tokyo' };
    const hash = (s: typeof a) => s.visitorHashes(site, '203.0.113.77', 'UA', source.clock(), 0);
    expect(await hash(b)).toEqual(await hash(a));
    expect((await loadSuppressions(target.db)).has(COOKIE)).toBe(true);
    // new rows get ids after the copied ones
    const maxId = Number((await target.db.selectFrom('users').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m);
    const added = await addUser(target.db, { email: 'sato@example.co.jp', role: 'privacy' }, source.clock());
    expect(Number(added.user.id)).toBeGreaterThan(maxId);
  });

  it('refuses a target that already holds data', async () => {
    const source = await sqliteInstallation();
    const target = await createTestDb();
    open.push(target);
    await copyDatabase(source.store, target);
    await expect(copyDatabase(source.store, target)).rejects.toThrow(/already holds data/);
  });
});
