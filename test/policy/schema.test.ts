import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { policyJsonSchema } from '../../policy/emit-json-schema.ts';
import { defaultPolicyPath, loadPolicy, parsePolicy, PolicyError } from '../../policy/load.ts';
import { consentModeFor } from '../../policy/consent-mode.ts';

const base = () => JSON.parse(readFileSync(defaultPolicyPath, 'utf8'));

function errorOf(doc: unknown): string {
  try {
    parsePolicy(doc, 'test.policy.json');
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return (err as Error).message;
  }
  throw new Error('expected the policy to be rejected');
}

describe('policy schema', () => {
  it('the bundled example policy is valid and has a stable revision id', () => {
    const a = loadPolicy();
    const b = parsePolicy(JSON.parse(JSON.stringify(base())));
    expect(a.revision).toMatch(/^[0-9a-f]{16}$/);
    expect(b.revision).toBe(a.revision);
  });

  it('the revision id changes when the content changes, not when keys are reordered', () => {
    const doc = base();
    const reordered = Object.fromEntries(Object.entries(doc).reverse());
    expect(parsePolicy(reordered).revision).toBe(loadPolicy().revision);
    doc.cookie.lifetimeDays = 30;
    expect(parsePolicy(doc).revision).not.toBe(loadPolicy().revision);
  });

  it('rejects an item without a purpose, naming where', () => {
    const doc = base();
    doc.items[1].purposes = [];
    expect(errorOf(doc)).toMatch(/items\.1\.purposes: every collected item needs at least one purpose/);
  });

  it('rejects an item whose purpose is not declared', () => {
    const doc = base();
    doc.items[0].purposes = ['marketing_profiles'];
    expect(errorOf(doc)).toMatch(/items\.0\.purposes\.0: unknown purpose "marketing_profiles"/);
  });

  it('rejects an item without a retention', () => {
    const doc = base();
    delete doc.items[2].retentionDays;
    expect(errorOf(doc)).toMatch(/items\.2\.retentionDays: is required but missing/);
  });

  it('requires the time and visitor identifier items', () => {
    const doc = base();
    doc.items = doc.items.filter((i: { id: string }) => i.id !== 'visitor_id');
    expect(errorOf(doc)).toMatch(/item "visitor_id" must be listed/);
  });

  it('allows a fee only for purpose notification and disclosure (APPI 38)', () => {
    const doc = base();
    doc.requests.fees.deletion = 500;
    expect(errorOf(doc)).toMatch(/requests\.fees\.deletion: a fee may be charged only for purpose_notification or disclosure/);
  });

  it('rejects unknown keys and untranslated text', () => {
    const doc = base();
    doc.controller.name = { ja: '株式会社テスト' };
    doc.extra = true;
    const message = errorOf(doc);
    expect(message).toMatch(/controller\.name\.en: is required but missing/);
    expect(message).toMatch(/Unrecognized key: "extra"/);
  });

  it('rejects an IP prefix that would store more than /24 or /48', () => {
    const doc = base();
    doc.ip.ipv4Prefix = 32;
    expect(errorOf(doc)).toMatch(/ip\.ipv4Prefix/);
  });

  it('rejects an external tag in an unknown consent category', () => {
    const doc = base();
    doc.externalTags[1].category = 'ads';
    expect(errorOf(doc)).toMatch(/externalTags\.1\.category: unknown consent category "ads"/);
  });

  it('reports unreadable files and bad JSON clearly', () => {
    expect(() => loadPolicy('/nonexistent/policy.json')).toThrow(/cannot read policy file/);
  });

  it('the committed JSON Schema is up to date (npm run policy:schema)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../policy/policy.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(policyJsonSchema())));
  });
});

describe('consent modes', () => {
  const { policy } = loadPolicy();
  it('by country, with a default and a cautious mode for unknown countries', () => {
    expect(consentModeFor(policy, 'DE')).toBe('opt-in');
    expect(consentModeFor(policy, 'GB')).toBe('opt-in');
    expect(consentModeFor(policy, 'US')).toBe('opt-out');
    expect(consentModeFor(policy, 'JP')).toBe('notice');
    expect(consentModeFor(policy, 'BR')).toBe('notice');
    expect(consentModeFor(policy, null)).toBe('opt-in');
  });
});
