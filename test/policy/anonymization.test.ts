import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { datasetColumns } from '../../policy/dataset-columns.ts';
import { defaultPolicyPath, parsePolicy, PolicyError } from '../../policy/load.ts';
import { datasetK } from '../../policy/schema.ts';

const base = () => JSON.parse(readFileSync(defaultPolicyPath, 'utf8'));

describe('the policy’s anonymization section', () => {
  it('may be left out: a policy written before it still parses, with cautious defaults', () => {
    const doc = base();
    delete doc.anonymization;
    const { policy } = parsePolicy(doc);
    expect(policy.anonymization).toEqual({ time: 'day', props: [], titles: false, topCode: 20, durationTopMinutes: 60, maxRecordsPerVisitor: 30 });
    expect(datasetK(policy)).toBe(policy.statistics.minCellSize);
  });

  it('takes k from statistics.minCellSize unless it names its own', () => {
    const doc = base();
    doc.statistics.minCellSize = 25;
    expect(datasetK(parsePolicy(doc).policy)).toBe(25);
    doc.anonymization.k = 40;
    expect(datasetK(parsePolicy(doc).policy)).toBe(40);
  });

  it.each([
    [{ k: 1 }, /anonymization\.k/],
    [{ time: 'minute' }, /anonymization\.time/],
    [{ props: ['ok', 'not a key!'] }, /anonymization\.props\.1: expected a property key/],
    [{ maxRecordsPerVisitor: 0 }, /anonymization\.maxRecordsPerVisitor/],
    [{ surprise: true }, /anonymization/],
  ])('rejects %j, naming where', (change, message) => {
    const doc = base();
    Object.assign(doc.anonymization, change);
    expect(() => parsePolicy(doc, 'test.policy.json')).toThrow(PolicyError);
    expect(() => parsePolicy(doc, 'test.policy.json')).toThrow(message);
  });

  it('decides which columns a dataset may hold: only collected items, free text only where switched on', () => {
    const doc = base();
    const names = (level: 'pageview' | 'session') => datasetColumns(parsePolicy(doc).policy, level).map((c) => c.name);
    expect(names('session')).toEqual(['key', 'time', 'country', 'device', 'browser', 'os', 'entry_section', 'source', 'pageviews', 'events', 'duration_min']);
    expect(names('pageview')).toEqual(['key', 'seq', 'time', 'country', 'device', 'browser', 'os', 'entry_section', 'source', 'type', 'section', 'event', 'prop:plan']);
    doc.anonymization.titles = true;
    doc.items = doc.items.filter((i: { id: string }) => i.id !== 'country');
    expect(names('pageview')).toContain('title');
    expect(names('pageview')).not.toContain('country');
    for (const level of ['pageview', 'session'] as const) {
      for (const forbidden of ['visitor_id', 'session_id', 'ip_trunc', 'query', 'referrer_path', 'path', 'url']) expect(names(level)).not.toContain(forbidden);
    }
  });
});
