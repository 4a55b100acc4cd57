import type { QuasiIdentifier } from '../../policy/dataset-columns.ts';
import { classKey, enforceK } from './k-anonymity.ts';
import type { DatasetRecord } from './records.ts';

/**
 * k-anonymity holds per record, but the release key links a visitor's records: someone who knows two of a
 * person's visits (two days, two devices) could look for the keys that have a record in both classes. So
 * when the key is released, every *pair* of classes one visitor has records in must also be shared by at
 * least k visitors (k^m-anonymity with m = 2). A visitor keeps their classes from the most populous down,
 * dropping the records of any class that would pair rarely with one already kept; per-record k is then
 * enforced again (a class may have lost visitors), until nothing changes.
 */

export interface LinkedPairsResult {
  kept: DatasetRecord[];
  /** records left out so that no pair of a visitor's classes is rarer than k */
  suppressed: number;
  /** records generalized or suppressed again by the per-record pass that follows */
  generalized: Record<string, number>;
  suppressedForK: number;
}

export function enforceLinkedPairs(records: DatasetRecord[], k: number, active: ReadonlySet<QuasiIdentifier>): LinkedPairsResult {
  let current = records;
  let suppressed = 0;
  let suppressedForK = 0;
  const generalized: Record<string, number> = {};
  // every round that changes anything removes records, so this ends; in practice after two or three rounds
  for (;;) {
    const visitorsOf = new Map<string, Set<number>>();
    const classesOf = new Map<number, Map<string, DatasetRecord[]>>();
    for (const r of current) {
      const c = classKey(r.qi);
      let vs = visitorsOf.get(c);
      if (!vs) visitorsOf.set(c, (vs = new Set()));
      vs.add(r.visitor);
      let mine = classesOf.get(r.visitor);
      if (!mine) classesOf.set(r.visitor, (mine = new Map()));
      let list = mine.get(c);
      if (!list) mine.set(c, (list = []));
      list.push(r);
    }
    const supportCache = new Map<string, number>();
    const support = (a: string, b: string) => {
      const key = a < b ? `${a}\u0002${b}` : `${b}\u0002${a}`;
      let n = supportCache.get(key);
      if (n === undefined) {
        const [small, large] = [visitorsOf.get(a)!, visitorsOf.get(b)!].sort((x, y) => x.size - y.size) as [Set<number>, Set<number>];
        n = 0;
        for (const v of small) if (large.has(v)) n++;
        supportCache.set(key, n);
      }
      return n;
    };

    const drop = new Set<DatasetRecord>();
    for (const mine of classesOf.values()) {
      if (mine.size < 2) continue;
      const byPopularity = [...mine.keys()].sort((a, b) => visitorsOf.get(b)!.size - visitorsOf.get(a)!.size || (a < b ? -1 : 1));
      const kept: string[] = [];
      for (const c of byPopularity) {
        if (kept.every((other) => support(other, c) >= k)) kept.push(c);
        else for (const r of mine.get(c)!) drop.add(r);
      }
    }
    if (!drop.size) break;
    suppressed += drop.size;
    const again = enforceK(
      current.filter((r) => !drop.has(r)),
      k,
      active,
    );
    current = again.kept;
    suppressedForK += again.suppressed;
    for (const [name, n] of Object.entries(again.generalized)) generalized[name] = (generalized[name] ?? 0) + n;
  }
  return { kept: current, suppressed, generalized, suppressedForK };
}
