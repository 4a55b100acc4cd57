import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReleaseKeyer } from '../../../server/anonymize/release-key.ts';
import type { Store } from '../../../server/store/db.ts';
import { tablesHolding } from '../privacy/helpers.ts';
import { generateEvents, type Generated } from './generate.ts';
import { build, permissivePolicy, START, storeWithSite } from './helpers.ts';

/** Standard 3: a release's grouping key links nothing outside the release, and its salt is gone. */

describe('the per-release key', () => {
  it('is destroyed: the salt is zeroed and keys can no longer be drawn', () => {
    let salt: Buffer | undefined;
    const keyer = createReleaseKeyer(() => (salt = randomBytes(32)));
    const k = keyer.key('visitor-a');
    expect(keyer.key('visitor-a')).toBe(k);
    expect(keyer.key('visitor-b')).not.toBe(k);
    keyer.destroy();
    expect(salt!.every((b) => b === 0)).toBe(true);
    expect(() => keyer.key('visitor-a')).toThrow(/destroyed/);
  });
});

describe('two releases of the same data', () => {
  let store: Store;
  let gen: Generated;
  beforeAll(async () => {
    store = await storeWithSite();
    gen = await generateEvents(store.db, { seed: 5, visitors: 200, start: START, days: 10 });
  });
  afterAll(() => store.close());

  // scanning every column of every table for the salts takes a while on PostgreSQL
  it('share no grouping key, and neither key is the raw id or recomputable without the salt', { timeout: 60_000 }, async () => {
    const salts: Buffer[] = [];
    const originals: Buffer[] = [];
    const draw = () => {
      const s = randomBytes(32);
      salts.push(Buffer.from(s)); // the test's own copy: the build zeroes the original
      originals.push(s);
      return s;
    };
    const a = await build(store, permissivePolicy(2), { level: 'session' }, { drawSalt: draw });
    const b = await build(store, permissivePolicy(2), { level: 'session' }, { drawSalt: draw });
    expect(originals.map((s) => s.every((byte) => byte === 0))).toEqual([true, true]);
    const keysA = new Set(a.dataset.rows.map((r) => r.key));
    const keysB = new Set(b.dataset.rows.map((r) => r.key));
    expect(keysA.size).toBeGreaterThan(50);
    expect([...keysA].filter((k) => keysB.has(k))).toEqual([]);
    expect([...keysA].filter((k) => gen.visitorIds.includes(String(k)))).toEqual([]);

    // the keys are HMACs under each build's own salt: with the salt (which only this test kept) they
    // match visitors, without it nothing does
    const hmac = (salt: Buffer, id: string) => createHmac('sha256', salt).update(id).digest('hex').slice(0, 20);
    const matched = gen.visitorIds.filter((id) => keysA.has(hmac(salts[0]!, id)));
    expect(matched.length).toBe(keysA.size);
    expect(gen.visitorIds.filter((id) => keysA.has(hmac(salts[1]!, id)))).toEqual([]);

    // nothing stored holds either salt, in hex or base64
    for (const salt of salts) {
      for (const text of [salt.toString('hex'), salt.toString('base64'), salt.toString('base64url').slice(0, 32)]) {
        expect(await tablesHolding(store.db, text)).toEqual([]);
      }
    }
  });
});
