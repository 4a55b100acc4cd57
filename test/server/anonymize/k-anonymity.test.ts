import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quasiIdentifiers } from '../../../policy/dataset-columns.ts';
import type { Store } from '../../../server/store/db.ts';
import { generateEvents, type Generated } from './generate.ts';
import { build, classSizes, permissivePolicy, START, storeWithSite } from './helpers.ts';

/**
 * Property-style: on generated traffic with skewed, rare and hostile values, for several seeds, both levels
 * and several k, every released record's quasi-identifier class holds at least k distinct visitors, and no
 * cell carries an address, a cookie/session id or a raw query.
 */

const seeds = [1, 7, 42];
const ipLike = /\b\d{1,3}(\.\d{1,3}){3}\b/;

describe.each(seeds)('generated traffic, seed %i', (seed) => {
  let store: Store;
  let gen: Generated;
  beforeAll(async () => {
    store = await storeWithSite();
    gen = await generateEvents(store.db, { seed, visitors: 400, start: START, days: 30 });
  });
  afterAll(() => store.close());

  it.each([
    ['pageview', 2],
    ['pageview', 5],
    ['session', 5],
    ['session', 10],
    ['pageview', 25],
  ] as const)('%s level at k = %i: every class has ≥ k visitors, and the report says so', async (level, k) => {
    const { dataset, release } = await build(store, permissivePolicy(k), { level });
    expect(dataset.rows.length).toBeGreaterThan(0);
    const sizes = [...classSizes(dataset).values()].map((s) => s.size);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(k);
    expect(release.kAchieved).toBe(Math.min(...sizes));
    expect(release.records).toBe(dataset.rows.length);
    const { risk } = release;
    expect(risk.recordsReleased + risk.suppressed.kAnonymity + risk.suppressed.linkage + risk.suppressed.sequenceCap).toBe(risk.recordsBuilt);
    expect(risk.classes.histogram.reduce((n, b) => n + b.records, 0)).toBe(dataset.rows.length);
    expect(risk.classes.histogram.reduce((n, b) => n + b.classes, 0)).toBe(sizes.length);
    if (level === 'pageview') expect(risk.recordsBuilt).toBe(gen.events);
    // peculiar values: every other text value is held by ≥ k visitors, else it is (other) or gone
    for (const column of dataset.columns.filter((c) => ['section', 'event', 'title'].includes(c) || c.startsWith('prop:'))) {
      const holders = new Map<unknown, Set<unknown>>();
      for (const r of dataset.rows) if (r[column] !== null && r[column] !== '(other)') (holders.get(r[column]) ?? holders.set(r[column], new Set()).get(r[column])!).add(r.key);
      for (const [value, keys] of holders) expect(keys.size, `${column}=${value}`).toBeGreaterThanOrEqual(k);
    }
  });

  it('no cell holds an IP address, a visitor, session or consent id, a raw query, an e-mail or a path below its section', { timeout: 60_000 }, async () => {
    for (const level of ['pageview', 'session'] as const) {
      const { dataset, csv } = await build(store, permissivePolicy(3), { level });
      const ids = new Set([...gen.visitorIds, ...gen.sessionIds, ...gen.propIds]);
      // plain checks, one expect: half a million expect() calls would take seconds
      const offending: string[] = [];
      for (const row of dataset.rows) {
        for (const [column, value] of Object.entries(row)) {
          if (value === null || typeof value === 'number') continue;
          const bad =
            ids.has(value) ||
            ipLike.test(value) ||
            /@|\?|=|&/.test(value) ||
            /(?=[\w-]*[A-Z])(?=[\w-]*[a-z])(?=[\w-]*\d)[\w-]{22}/.test(value) || // ids are 22 random base64url characters
            ((column === 'section' || column === 'entry_section') && !/^(\/[^/]*|\(other\)|\*)$/.test(value));
          if (bad) offending.push(`${column}=${value}`);
        }
      }
      expect(offending).toEqual([]);
      expect([...gen.visitorIds, ...gen.ipTruncs, ...gen.queries].filter((secret) => csv.content.includes(secret))).toEqual([]);
      expect(dataset.columns).not.toEqual(expect.arrayContaining(['visitor_id']));
      for (const forbidden of ['visitor_id', 'session_id', 'ip_trunc', 'query', 'referrer_path', 'consent_id', 'url']) expect(dataset.columns).not.toContain(forbidden);
    }
  });

  it('caps each visitor’s sequence and top-codes per-visit counts', async () => {
    const policy = permissivePolicy(2);
    policy.policy.anonymization.maxRecordsPerVisitor = 5;
    policy.policy.anonymization.topCode = 7;
    policy.policy.anonymization.durationTopMinutes = 15;
    const pv = await build(store, policy, { level: 'pageview' });
    const perKey = new Map<unknown, number>();
    for (const r of pv.dataset.rows) perKey.set(r.key, (perKey.get(r.key) ?? 0) + 1);
    expect(Math.max(...perKey.values())).toBeLessThanOrEqual(5);
    expect(Math.max(...pv.dataset.rows.map((r) => Number(r.seq)))).toBeLessThanOrEqual(5);
    const seqs = new Map<unknown, number[]>();
    for (const r of pv.dataset.rows) (seqs.get(r.key) ?? seqs.set(r.key, []).get(r.key)!).push(Number(r.seq));
    for (const list of seqs.values()) expect(list).toEqual(list.map((_, i) => i + 1)); // no gaps where records were left out
    expect(pv.release.risk.suppressed.sequenceCap).toBeGreaterThan(0);

    const visits = await build(store, policy, { level: 'session' });
    expect(Math.max(...visits.dataset.rows.map((r) => Number(r.pageviews)))).toBe(7);
    expect(Math.max(...visits.dataset.rows.map((r) => Number(r.duration_min)))).toBeLessThanOrEqual(15);
  });

  it('keeps only the columns asked for, and counts classes over the quasi-identifiers among them', async () => {
    const few = await build(store, permissivePolicy(10), { level: 'session', columns: ['key', 'time', 'device', 'pageviews'] });
    expect(few.dataset.columns).toEqual(['key', 'time', 'device', 'pageviews']);
    expect(few.release.method.quasiIdentifiers).toEqual(['time', 'device']);
    expect(Math.min(...[...classSizes(few.dataset).values()].map((c) => c.size))).toBeGreaterThanOrEqual(10);
    expect(Object.keys(few.dataset.rows[0]!)).toEqual(['key', 'time', 'device', 'pageviews']);
    expect(few.release.risk.linkedVisitorsBelowK).toBeLessThanOrEqual(few.release.risk.visitors);
    const unlinked = await build(store, permissivePolicy(10), { level: 'session', columns: ['time', 'device', 'pageviews'] });
    expect(unlinked.release.risk.linkedVisitorsBelowK).toBe(0);
    expect(unlinked.dataset.rows.every((r) => !('key' in r))).toBe(true);
  });

  it.each(['session', 'pageview'] as const)('%s level: every pair of classes one key has records in is shared by ≥ k keys', async (level) => {
    const k = 5;
    const { dataset, release } = await build(store, permissivePolicy(k), { level });
    const qi = quasiIdentifiers.filter((q) => dataset.columns.includes(q));
    const classesOf = new Map<unknown, Set<string>>();
    for (const r of dataset.rows) {
      if (!classesOf.has(r.key)) classesOf.set(r.key, new Set());
      classesOf.get(r.key)!.add(JSON.stringify(qi.map((q) => r[q])));
    }
    const keysWith = new Map<string, Set<unknown>>();
    for (const [key, classes] of classesOf) for (const c of classes) (keysWith.get(c) ?? keysWith.set(c, new Set()).get(c)!).add(key);
    for (const classes of classesOf.values()) {
      const list = [...classes];
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const [a, b] = [keysWith.get(list[i]!)!, keysWith.get(list[j]!)!];
          expect([...a].filter((key) => b.has(key)).length).toBeGreaterThanOrEqual(k);
        }
      }
    }
    expect(Math.min(...[...classSizes(dataset).values()].map((s) => s.size))).toBeGreaterThanOrEqual(k);
    expect(release.method.key).toMatch(/every pair of classes/);
  });
});
