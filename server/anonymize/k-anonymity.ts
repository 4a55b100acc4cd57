import { quasiIdentifiers, type QuasiIdentifier } from '../../policy/dataset-columns.ts';
import { ANY, coarserTime, OTHER } from './generalize.ts';
import type { Cell, DatasetRecord } from './records.ts';

/**
 * Standards 4 and 5: peculiar values generalized, then k-anonymity over the quasi-identifiers. A class is
 * the set of records sharing every quasi-identifier; its size is the number of distinct visitors in it
 * (ten records of one visitor protect no one), so every released record hides among at least k visitors.
 */

export const classKey = (qi: readonly string[]) => qi.join('\u0000');

/** Distinct visitors per class. */
export function classVisitors(records: readonly DatasetRecord[]): Map<string, Set<number>> {
  const classes = new Map<string, Set<number>>();
  for (const r of records) {
    const key = classKey(r.qi);
    let set = classes.get(key);
    if (!set) classes.set(key, (set = new Set()));
    set.add(r.visitor);
  }
  return classes;
}

function inSmallClasses(records: readonly DatasetRecord[], k: number): DatasetRecord[] {
  const classes = classVisitors(records);
  return records.filter((r) => classes.get(classKey(r.qi))!.size < k);
}

/** Values of one field held by fewer than k distinct visitors. */
function rareValues(records: readonly DatasetRecord[], get: (r: DatasetRecord) => Cell, k: number): Set<Cell> {
  const visitors = new Map<Cell, Set<number>>();
  for (const r of records) {
    const v = get(r);
    if (v === null || v === '') continue;
    let set = visitors.get(v);
    if (!set) visitors.set(v, (set = new Set()));
    set.add(r.visitor);
  }
  return new Set([...visitors].filter(([, set]) => set.size < k).map(([v]) => v));
}

/**
 * A quasi-identifier value seen with fewer than k visitors becomes (other) everywhere (global recoding);
 * the time is left to the ladder, which coarsens it instead. Returns the records changed per column.
 */
export function generalizeRareQuasiIdentifiers(records: readonly DatasetRecord[], k: number, active: ReadonlySet<QuasiIdentifier>): Record<string, number> {
  const changed: Record<string, number> = {};
  quasiIdentifiers.forEach((q, i) => {
    if (q === 'time' || !active.has(q)) return;
    const rare = rareValues(records, (r) => r.qi[i]!, k);
    if (!rare.size) return;
    let n = 0;
    for (const r of records) {
      if (rare.has(r.qi[i]!)) {
        r.qi[i] = OTHER;
        n++;
      }
    }
    changed[q] = n;
  });
  return changed;
}

/**
 * Other columns: a value held by fewer than k visitors becomes (other) for a category (section, event name)
 * or is removed for free text (title, props). Run after suppression, on exactly what is released.
 */
export function generalizeRareValues(records: readonly DatasetRecord[], k: number, columns: readonly string[], freeText: (column: string) => boolean): Record<string, number> {
  const changed: Record<string, number> = {};
  for (const column of columns) {
    const rare = rareValues(records, (r) => r.values[column] ?? null, k);
    if (!rare.size) continue;
    const replacement = freeText(column) ? null : OTHER;
    let n = 0;
    for (const r of records) {
      if (rare.has(r.values[column] ?? null)) {
        r.values[column] = replacement;
        n++;
      }
    }
    changed[column] = n;
  }
  return changed;
}

/** One generalization a record of a too-small class can take; `times` is how often it can be taken. */
interface Step {
  name: string;
  times: number;
  apply(qi: string[]): void;
}

const timeAt = quasiIdentifiers.indexOf('time');
const stepsFor = (active: ReadonlySet<QuasiIdentifier>): Step[] => [
  // hour → day → ISO week → `*`: the one generalization that can be taken more than once
  ...(active.has('time') ? [{ name: 'time', times: 3, apply: (qi: string[]) => (qi[timeAt] = coarserTime(qi[timeAt]!)) }] : []),
  ...(['source', 'entry_section', 'os', 'browser', 'country', 'device'] as const)
    .filter((q) => active.has(q))
    .map((q) => ({ name: q, times: 1, apply: (qi: string[]) => (qi[quasiIdentifiers.indexOf(q)] = ANY) })),
];

/** How many of the small records would still be in a class under k after `step`, joining the big classes. */
function stillSmallAfter(step: Step, small: readonly DatasetRecord[], big: ReadonlyMap<string, ReadonlySet<number>>, k: number): number {
  const groups = new Map<string, { visitors: Set<number>; records: number }>();
  for (const r of small) {
    const qi = [...r.qi];
    step.apply(qi);
    const key = classKey(qi);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { visitors: new Set(), records: 0 }));
    g.visitors.add(r.visitor);
    g.records++;
  }
  let left = 0;
  for (const [key, g] of groups) {
    const joined = big.get(key);
    let size = joined?.size ?? 0;
    for (const v of g.visitors) if (!joined?.has(v)) size++;
    if (size < k) left += g.records;
  }
  return left;
}

export interface KAnonymityResult {
  kept: DatasetRecord[];
  suppressed: number;
  /** records generalized per step (`time` counts each coarsening) */
  generalized: Record<string, number>;
}

/**
 * Local recoding, then suppression. While some class has fewer than k visitors, its records take one more
 * generalization — whichever leaves the fewest records in small classes (time one level coarser: hour → day
 * → ISO week → `*`; or one of source, entry section, OS, browser, country, device → `*`) — and rejoin the classes
 * they now match; other records keep their detail. Whatever is still in a class under k is suppressed.
 */
export function enforceK(records: DatasetRecord[], k: number, active: ReadonlySet<QuasiIdentifier>): KAnonymityResult {
  const generalized: Record<string, number> = {};
  // a quasi-identifier that is not released cannot single anyone out: it is the same for everyone
  quasiIdentifiers.forEach((q, i) => {
    if (!active.has(q)) for (const r of records) r.qi[i] = ANY;
  });
  const steps = stepsFor(active);
  let small = inSmallClasses(records, k);
  while (small.length) {
    const usable = steps.filter((s) => s.times > 0);
    if (!usable.length) break;
    const smallSet = new Set(small);
    const big = classVisitors(records.filter((r) => !smallSet.has(r)));
    let best = usable[0]!;
    let bestLeft = Infinity;
    for (const step of usable) {
      const left = stillSmallAfter(step, small, big, k);
      if (left < bestLeft) [best, bestLeft] = [step, left];
    }
    best.times--;
    for (const r of small) {
      const before = classKey(r.qi);
      best.apply(r.qi);
      if (classKey(r.qi) !== before) generalized[best.name] = (generalized[best.name] ?? 0) + 1;
    }
    small = inSmallClasses(records, k);
  }
  const drop = new Set(small);
  return { kept: drop.size ? records.filter((r) => !drop.has(r)) : records, suppressed: drop.size, generalized };
}

export interface ClassReport {
  count: number;
  /** the smallest class: the k achieved; null when nothing is left */
  min: number | null;
  median: number | null;
  /** classes and records per band of class size, in multiples of k */
  histogram: { from: number; to: number | null; classes: number; records: number }[];
}

export function classReport(records: readonly DatasetRecord[], k: number): ClassReport {
  const visitors = classVisitors(records);
  const recordsPer = new Map<string, number>();
  for (const r of records) recordsPer.set(classKey(r.qi), (recordsPer.get(classKey(r.qi)) ?? 0) + 1);
  const sizes = [...visitors.values()].map((s) => s.size).sort((a, b) => a - b);
  const bands = [k, 2 * k, 5 * k, 10 * k];
  const histogram = bands.map((from, i) => ({ from, to: bands[i + 1] !== undefined ? bands[i + 1]! - 1 : null, classes: 0, records: 0 }));
  for (const [key, set] of visitors) {
    const band = histogram.findLast((b) => set.size >= b.from) ?? histogram[0]!;
    band.classes++;
    band.records += recordsPer.get(key)!;
  }
  return { count: sizes.length, min: sizes[0] ?? null, median: sizes.length ? sizes[Math.floor(sizes.length / 2)]! : null, histogram };
}

/**
 * What k-anonymity per record does not cover: with the release key, a visitor's records can be read
 * together, and the *set* of classes one visitor falls in may be shared by fewer than k visitors (someone
 * who knows three of a person's visit days could find them). Counted here so the risk report says how many;
 * leaving the `key` column out removes the risk (records can no longer be linked).
 */
export function classSetReport(records: readonly DatasetRecord[], k: number): { visitors: number; belowK: number } {
  const sets = new Map<number, Set<string>>();
  for (const r of records) {
    let set = sets.get(r.visitor);
    if (!set) sets.set(r.visitor, (set = new Set()));
    set.add(classKey(r.qi));
  }
  const bySignature = new Map<string, number>();
  const signatureOf = (set: Set<string>) => [...set].sort().join('\u0001');
  for (const set of sets.values()) bySignature.set(signatureOf(set), (bySignature.get(signatureOf(set)) ?? 0) + 1);
  let belowK = 0;
  for (const set of sets.values()) if (bySignature.get(signatureOf(set))! < k) belowK++;
  return { visitors: sets.size, belowK };
}
