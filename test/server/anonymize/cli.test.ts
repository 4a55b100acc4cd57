import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../policy/load.ts';
import { exportAnonymizedCommand } from '../../../server/anonymize/index.ts';
import type { Store } from '../../../server/store/db.ts';
import { generateEvents } from './generate.ts';
import { START, storeWithSite } from './helpers.ts';

let store: Store;
let dir: string;
beforeAll(async () => {
  store = await storeWithSite();
  await generateEvents(store.db, { seed: 9, visitors: 300, start: START, days: 10 });
  dir = mkdtempSync(join(tmpdir(), 'ashiato-anon-'));
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(flags: Record<string, string | undefined>) {
  const out: string[] = [];
  const err: string[] = [];
  let progress = '';
  const code = exportAnonymizedCommand(store.db, loadPolicy(), {
    ...flags,
    now: START + 20 * 86_400_000,
    print: (l) => out.push(l),
    printError: (l) => err.push(l),
    progress: { write: (c) => (progress += c), isTTY: false },
  });
  return code.then((c) => ({ code: c, out, err, progress }));
}

describe('ashiato export anonymized', () => {
  it('writes the CSV, JSON Lines and manifest, shows progress per step and prints the risk report', async () => {
    const r = await run({ site: 'example.com', level: 'session', from: '2026-10-01', to: '2026-10-11', dir });
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['anonymized-1-session.csv', 'anonymized-1-session.jsonl', 'anonymized-1-session.manifest.json']);
    const manifest = JSON.parse(readFileSync(join(dir, files[2]!), 'utf8'));
    expect(manifest).toMatchObject({ release: 1, creator: expect.stringMatching(/^cli:.+/), level: 'session', k: { required: 10 } });
    // bare dates are the site's days (Asia/Tokyo), the end exclusive
    expect(manifest.period).toEqual({ from: '2026-09-30T15:00:00.000Z', to: '2026-10-10T15:00:00.000Z' });
    expect(readFileSync(join(dir, files[0]!), 'utf8')).toMatch(/^# このデータは/);
    expect(r.progress).toMatch(/read events\s+\[#+\] 100%/);
    expect(r.progress).toMatch(/k-anonymity/);
    expect(r.progress).toMatch(/write files/);
    expect(r.out[0]).toMatch(/^release 1: [\d,]+ records from [\d,]+, [\d,]+ visitors$/);
    expect(r.out.join('\n')).toMatch(/k required 10, achieved \d+/);
    expect(r.out.join('\n')).toContain('/privacy/anonymized');
    const audit = await store.db.selectFrom('audit_log').select(['actor', 'action']).where('action', '=', 'release.create').execute();
    expect(audit).toEqual([{ actor: expect.stringMatching(/^cli:.+/), action: 'release.create' }]);
  });

  it('explains a missing flag or a refusal and exits 1', async () => {
    const missing = await run({ site: 'example.com', from: '2026-10-01', to: '2026-10-11' });
    expect(missing.code).toBe(1);
    expect(missing.err.join('\n')).toMatch(/^level: /);
    expect(missing.err.join('\n')).toContain('usage: ashiato export anonymized');
    const empty = await run({ site: 'example.com', level: 'session', from: '2020-01-01', to: '2020-02-01', dir });
    expect(empty.code).toBe(1);
    expect(empty.err.join('\n')).toMatch(/^refused \(empty_dataset\)/);
    const column = await run({ site: 'example.com', level: 'session', from: '2026-10-01', to: '2026-10-11', columns: 'key,ip_trunc', dir });
    expect(column.err.join('\n')).toMatch(/^refused \(column_not_allowed\)/);
  });
});
