import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runRetention } from '../../server/jobs/retention.ts';
import { browse, myData, privacyApp, type PrivacyTestApp } from '../server/privacy/helpers.ts';
import { DAY } from '../helpers/app.ts';

/** Every file under `dir` (the database, its WAL and shared memory) that holds `needle` anywhere in its bytes. */
function filesHolding(dir: string, needle: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const bytes = readFileSync(path);
    if (bytes.includes(Buffer.from(needle)) || bytes.includes(Buffer.from(needle, 'utf16le'))) found.push(name);
  }
  return found;
}

let t: PrivacyTestApp | undefined;
let dir: string | undefined;
afterEach(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  t = dir = undefined;
});

async function onDisk(): Promise<PrivacyTestApp> {
  dir = mkdtempSync(join(tmpdir(), 'ashiato-scan-'));
  return privacyApp({ db: { kind: 'sqlite', file: join(dir, 'ashiato.sqlite') } }, { staff: false });
}

describe('a deletion leaves no readable copy in any file of the data directory', () => {
  it('a visitor’s own deletion: their cookie id and a marker in their page addresses are gone from the database and the WAL', async () => {
    t = await onDisk();
    const marker = `zqxmarker${Date.now().toString(36)}`;
    const v = await browse(t, [`/${marker}/one?${marker}=1`, `/${marker}/two`, '/products']);
    const other = await browse(t, ['/careers']);
    expect(filesHolding(dir!, v).length).toBeGreaterThan(0);
    expect(filesHolding(dir!, marker).length).toBeGreaterThan(0);

    expect((await myData(t, '/delete', { v })).status).toBe(200);
    expect(filesHolding(dir!, v)).toEqual([]);
    expect(filesHolding(dir!, marker)).toEqual([]);
    // someone else's data is still there
    expect(filesHolding(dir!, other).length).toBeGreaterThan(0);
  });

  it('retention: events past their retention leave no copy behind', async () => {
    t = await onDisk();
    const marker = `zqyretained${Date.now().toString(36)}`;
    const v = await browse(t, [`/${marker}`]);
    t.clock.advance(400 * DAY);
    const report = await runRetention({ db: t.db, policy: t.policy, now: t.clock });
    expect(report.steps.find((s) => s.name === 'events')?.count ?? 0).toBeGreaterThan(0);
    expect(filesHolding(dir!, v)).toEqual([]);
    expect(filesHolding(dir!, marker)).toEqual([]);
  });
});

