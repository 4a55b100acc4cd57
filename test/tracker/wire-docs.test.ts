/**
 * The README's event wire-format table follows the code: the keys are the ones the server's schema takes, and
 * every value it names for a key with fixed values is one the schema accepts (and the other way round).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { payloadSchema } from '../../server/ingest/payload.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Event wire format'), readme.indexOf('Answers:', readme.indexOf('## Event wire format')));
/** key → its meaning column */
const rows = new Map([...section.matchAll(/^\| `(\w+)` \| (.*) \|$/gm)].map((m) => [m[1]!, m[2]!]));
/** the object schema inside the refinements and the transform */
const fields = (payloadSchema as unknown as { in: { shape: Record<string, ZodType> } }).in.shape;

describe('the README’s event wire format', () => {
  it('lists exactly the keys the server accepts', () => {
    expect([...rows.keys()].sort()).toEqual(Object.keys(fields).sort());
  });

  it('names only values the schema accepts for the keys with fixed values, and all of them', () => {
    const literals: Record<string, unknown[]> = { t: ['pageview', 'event'], c: [0, 1], g: [1], h: [1] };
    for (const [key, expected] of Object.entries(literals)) {
      const named = [...rows.get(key)!.matchAll(/`([\w-]+)`/g)].map((m) => (/^\d+$/.test(m[1]!) ? Number(m[1]) : m[1]!));
      for (const value of named) expect(fields[key]!.safeParse(value).success, `${key}: \`${value}\``).toBe(true);
      expect(new Set(named), key).toEqual(new Set(expected));
      for (const value of expected) expect(fields[key]!.safeParse(value).success, `${key}: ${value}`).toBe(true);
    }
  });
});
