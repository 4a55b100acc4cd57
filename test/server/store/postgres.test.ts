import { describe, expect, it } from 'vitest';
import { plainIdentifier, redactUrl } from '../../../server/store/postgres.ts';

describe('PostgreSQL connection settings', () => {
  it('the start-up log shows the database URL without its password', () => {
    expect(redactUrl('postgres://ashiato:s3cret@db.internal:5432/ashiato')).toBe('postgres://ashiato:***@db.internal:5432/ashiato');
    expect(redactUrl('postgres://db.internal/ashiato')).not.toContain('***');
    expect(redactUrl('not a url s3cret')).not.toContain('s3cret');
  });

  it('a schema name goes into the connection options only when it is a plain identifier', () => {
    expect(plainIdentifier('t_0a1b2c')).toBe('t_0a1b2c');
    for (const bad of ['public; drop table x', 'A', '"x"', '1abc', 'a b', '']) expect(() => plainIdentifier(bad)).toThrow();
  });
});
