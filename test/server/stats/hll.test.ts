import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { Hll } from '../../../server/stats/hll.ts';

// Deterministic stand-ins for visitor ids (uniform bytes like the real random and HMAC ids), so the error
// bounds below are checked on fixed data and the test cannot flake.
let counter = 0;
const ids = (n: number) =>
  Array.from({ length: n }, () => createHash('sha256').update(`visitor-${counter++}`).digest().subarray(0, 16).toString('base64url'));

describe('HyperLogLog for unique visitors', () => {
  it('stays within 5 % (about three standard errors) from 1,000 to 200,000 visitors', () => {
    for (const n of [1_000, 10_000, 50_000, 200_000]) {
      const h = new Hll();
      for (const id of ids(n)) h.add(id);
      const error = Math.abs(h.estimate() - n) / n;
      expect(error, `n=${n} estimate=${h.estimate()}`).toBeLessThan(0.05);
    }
  });

  it('is exact enough for small counts and ignores repeats', () => {
    const h = new Hll();
    const some = ids(50);
    for (let i = 0; i < 10; i++) for (const id of some) h.add(id);
    // linear counting: within one of the truth at this size (two ids may share a register)
    expect(Math.abs(h.estimate() - 50)).toBeLessThanOrEqual(1);
    expect(h.estimate()).toBe(new Hll(h.registers).estimate());
  });

  it('merging day sketches counts a returning visitor once', () => {
    const shared = ids(5_000);
    const a = new Hll();
    const b = new Hll();
    for (const id of [...shared, ...ids(5_000)]) a.add(id);
    for (const id of [...shared, ...ids(5_000)]) b.add(id);
    const merged = Hll.fromBase64(a.toBase64()).merge(b);
    expect(Math.abs(merged.estimate() - 15_000) / 15_000).toBeLessThan(0.05);
  });

  it('round-trips through base64', () => {
    const h = new Hll();
    for (const id of ids(300)) h.add(id);
    expect(Hll.fromBase64(h.toBase64()).estimate()).toBe(h.estimate());
  });
});
