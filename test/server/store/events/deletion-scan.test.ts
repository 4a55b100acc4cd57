import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDialect } from '../../../helpers/test-db.ts';
import { browse, myData, privacyApp } from '../../privacy/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'ashiato-erase-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every file of the data directory whose bytes contain `marker`. */
const filesHolding = (marker: string) => readdirSync(dir).filter((f) => readFileSync(join(dir, f)).includes(marker));

describe.skipIf(testDialect !== 'sqlite')('deletion really deletes', () => {
  it('a deleted visitor leaves no byte in any file of the data directory: SQLite, its WAL, DuckDB', { timeout: 60_000 }, async () => {
    const t = await privacyApp({ db: { kind: 'sqlite', file: join(dir, 'ashiato.sqlite') } }, { staff: false });
    try {
      const marker = `erase-me-${randomBytes(6).toString('hex')}`;
      const v = await browse(t, [`/${marker}/a`, `/${marker}/b`, '/products']);
      await browse(t, ['/careers', '/about']);
      await t.rt.deps.events.sync();
      expect(t.rt.deps.events.engine).toBe('duckdb');
      // before: in the ledger (or its WAL) and in DuckDB's file (or its WAL)
      expect(filesHolding(marker).some((f) => f.startsWith('ashiato.events.duckdb'))).toBe(true);
      expect(filesHolding(marker).some((f) => f.startsWith('ashiato.sqlite'))).toBe(true);

      const res = await myData(t, '/delete', { v });
      expect(res.status).toBe(200);
      expect(filesHolding(marker)).toEqual([]);
      expect(filesHolding(v)).toEqual([]);
      // the other visitor is still counted
      expect((await t.rt.deps.events.breakdown({ site: 'example.com', tz: 'UTC', from: 0, to: t.clock() + 1, fromDay: '1970-01-01', toDay: '2100-01-01', filters: [] }, { level: 'event', name: 'page', column: 'path' }, 10)).map((p) => p.value).sort()).toEqual(['/about', '/careers']);
    } finally {
      await t.close();
    }
  });
});
