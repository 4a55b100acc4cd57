import { describe, expect, it } from 'vitest';
import { quasiIdentifiers, type QuasiIdentifier } from '../../../policy/dataset-columns.ts';
import { classReport, enforceK, generalizeRareQuasiIdentifiers, generalizeRareValues } from '../../../server/anonymize/k-anonymity.ts';
import type { DatasetRecord } from '../../../server/anonymize/records.ts';

const all = new Set<QuasiIdentifier>(quasiIdentifiers);
/** time, device, country, browser, os, entry_section, source */
const rec = (visitor: number, qi: string[], values: DatasetRecord['values'] = {}): DatasetRecord => ({ visitor, ts: visitor, qi: [...qi], values });
const base = ['2026-11-22', 'desktop', 'JP', 'Chrome', 'Windows', '/', 'google.com'];

describe('k-anonymity over distinct visitors', () => {
  it('does not count one visitor’s many records as a class', () => {
    const records = Array.from({ length: 20 }, () => rec(1, base));
    const out = enforceK(records, 3, all);
    expect(out.kept).toEqual([]);
    expect(out.suppressed).toBe(20);
  });

  it('generalizes lone records until they form a class together, leaving the crowd’s detail alone', () => {
    const crowd = Array.from({ length: 5 }, (_, i) => rec(i, base));
    const loners = ['bing.com', 'duckduckgo.com', 'x.com'].map((source, i) => rec(90 + i, [...base.slice(0, 6), source]));
    const out = enforceK([...crowd, ...loners], 3, all);
    expect(out.suppressed).toBe(0);
    expect(out.generalized).toEqual({ source: 3 });
    expect(crowd.every((r) => r.qi[6] === 'google.com')).toBe(true);
    expect(loners.map((r) => r.qi[6])).toEqual(['*', '*', '*']);
    expect(classReport(out.kept, 3)).toMatchObject({ count: 2, min: 3 });
  });

  it('suppresses what no generalization can hide, and reports it', () => {
    const crowd = Array.from({ length: 4 }, (_, i) => rec(i, base));
    const out = enforceK(crowd, 5, all);
    expect(out.kept).toEqual([]);
    expect(out.suppressed).toBe(4);
    expect(classReport(out.kept, 5)).toMatchObject({ count: 0, min: null });
  });

  it('blanks quasi-identifiers the dataset does not hold, so they split no class', () => {
    const a = Array.from({ length: 3 }, (_, i) => rec(i, base));
    const b = Array.from({ length: 3 }, (_, i) => rec(10 + i, [...base.slice(0, 2), 'US', ...base.slice(3)]));
    const out = enforceK([...a, ...b], 5, new Set<QuasiIdentifier>(['time', 'device']));
    expect(out.suppressed).toBe(0);
    expect(out.generalized).toEqual({});
    expect(new Set(out.kept.map((r) => r.qi[2]))).toEqual(new Set(['*']));
  });

  it('turns rare values into (other), and rare free text into nothing', () => {
    const records = [...Array.from({ length: 6 }, (_, i) => rec(i, base, { section: '/news', title: 'News' })), rec(50, [...base.slice(0, 2), 'IS', ...base.slice(3)], { section: '/secret', title: 'Invoice for Ken' })];
    expect(generalizeRareQuasiIdentifiers(records, 3, all)).toEqual({ country: 1 });
    expect(records[6]!.qi[2]).toBe('(other)');
    expect(generalizeRareValues(records, 3, ['section', 'title'], (c) => c === 'title')).toEqual({ section: 1, title: 1 });
    expect(records[6]!.values).toEqual({ section: '(other)', title: null });
    expect(records[0]!.values).toEqual({ section: '/news', title: 'News' });
  });
});

describe('linkage through the release key', () => {
  it('counts visitors whose set of classes fewer than k visitors share', async () => {
    const { classSetReport } = await import('../../../server/anonymize/k-anonymity.ts');
    const day2 = ['2026-11-23', ...base.slice(1)];
    // five visitors seen on both days share their set; one seen only on day 2 with them is alone in hers
    const records = [...Array.from({ length: 5 }, (_, i) => [rec(i, base), rec(i, day2)]).flat(), rec(9, day2), ...Array.from({ length: 4 }, (_, i) => rec(20 + i, base))];
    expect(classSetReport(records, 5)).toEqual({ visitors: 10, belowK: 5 });
    expect(classSetReport(records, 1)).toEqual({ visitors: 10, belowK: 0 });
  });
});

describe('pairs of a visitor’s classes, when the key links them', () => {
  it('keeps pairs that k visitors share, and leaves out the rarer class of a rare pair', async () => {
    const { enforceLinkedPairs } = await import('../../../server/anonymize/linked-pairs.ts');
    const day2 = ['2026-11-23', ...base.slice(1)];
    const day3 = ['2026-11-24', ...base.slice(1)];
    // visitors 0–3 come on days 1 and 2 (a common pair); visitor 4 on days 1 and 3, where day 3 has its own crowd
    const records = [
      ...[0, 1, 2, 3].flatMap((v) => [rec(v, base), rec(v, day2)]),
      rec(4, base),
      rec(4, day3),
      ...[10, 11, 12, 13].map((v) => rec(v, day3)),
    ];
    const out = enforceLinkedPairs(records, 4, all);
    expect(out.suppressed).toBe(1);
    const kept4 = out.kept.filter((r) => r.visitor === 4).map((r) => r.qi[0]);
    expect(kept4).toHaveLength(1);
    expect(out.kept.filter((r) => r.visitor < 4)).toHaveLength(8);
    expect(classReport(out.kept, 4).min).toBeGreaterThanOrEqual(4);
  });
});
