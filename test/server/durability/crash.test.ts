import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../../server/store/db.ts';
import { loadGenerator, prepareDataDir, startChild } from '../../helpers/child-server.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function storedNames(dataDir: string): Promise<Set<string>> {
  const store = await createDb({ kind: 'sqlite', file: join(dataDir, 'ashiato.sqlite') });
  const rows = await store.db.selectFrom('events').select('name').execute();
  await store.close();
  return new Set(rows.map((r) => r.name!));
}

const waitFor = async (cond: () => boolean, ms = 20_000) => {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('durability of acknowledged events', () => {
  it('a SIGKILL under load loses no event that got a 202', { timeout: 90_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ashiato-kill-'));
    dirs.push(dataDir);
    await prepareDataDir(dataDir);
    const child = await startChild(dataDir);
    const load = loadGenerator(child.url);
    await waitFor(() => load.acked.length >= 1500);
    child.proc.kill('SIGKILL');
    const { signal } = await child.exited;
    await load.stop();
    expect(signal).toBe('SIGKILL');

    const stored = await storedNames(dataDir);
    const lost = load.acked.filter((n) => !stored.has(n));
    expect(load.acked.length).toBeGreaterThanOrEqual(1500);
    expect(lost).toEqual([]);
    // events sent but never acknowledged may or may not be stored; more stored than acked is fine
    expect(stored.size).toBeGreaterThanOrEqual(load.acked.length);
  });

  it('SIGTERM drains: every acknowledged event is stored and the process exits cleanly', { timeout: 90_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ashiato-term-'));
    dirs.push(dataDir);
    await prepareDataDir(dataDir);
    const child = await startChild(dataDir);
    const load = loadGenerator(child.url);
    await waitFor(() => load.acked.length >= 500);
    child.proc.kill('SIGTERM');
    const { code } = await child.exited;
    await load.stop();
    expect(code).toBe(0);
    const stored = await storedNames(dataDir);
    expect(load.acked.filter((n) => !stored.has(n))).toEqual([]);
    expect(child.stderr.join('')).toContain('"msg":"stopped"');
  });
});
