import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../server/config.ts';

describe('database configuration', () => {
  it('SQLite under the data directory unless DATABASE_URL is set', () => {
    expect(resolveConfig({ data: '/tmp/x' }, {}).db).toEqual({ kind: 'sqlite', file: '/tmp/x/ashiato.sqlite' });
  });

  it('DATABASE_URL=postgres://… switches to PostgreSQL, with ASHIATO_PG_POOL connections', () => {
    const url = 'postgres://ashiato:secret@127.0.0.1:5432/ashiato';
    expect(resolveConfig({}, { DATABASE_URL: url }).db).toEqual({ kind: 'postgres', url, poolSize: 10 });
    expect(resolveConfig({}, { DATABASE_URL: url.replace('postgres:', 'postgresql:'), ASHIATO_PG_POOL: '4' }).db).toMatchObject({ poolSize: 4 });
  });

  it('refuses what it cannot use, with a message naming the setting', () => {
    expect(() => resolveConfig({}, { DATABASE_URL: 'mysql://x/y' })).toThrow(/DATABASE_URL/);
    expect(() => resolveConfig({}, { DATABASE_URL: 'postgres://x/y', ASHIATO_PG_POOL: '0' })).toThrow(/ASHIATO_PG_POOL/);
    expect(() => resolveConfig({ workers: '2' }, {})).toThrow(/DATABASE_URL/);
    expect(() => resolveConfig({ workers: 'many' }, { DATABASE_URL: 'postgres://x/y' })).toThrow(/workers/);
  });

  it('several workers on PostgreSQL', () => {
    expect(resolveConfig({ workers: '4' }, { DATABASE_URL: 'postgres://x/y' }).workers).toBe(4);
    expect(resolveConfig({}, { DATABASE_URL: 'postgres://x/y', ASHIATO_WORKERS: '3' }).workers).toBe(3);
  });
});
