import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../server/auth/index.ts';
import { createReadiness } from '../../server/http/readiness.ts';
import { rateLimitedLogger } from '../../server/log.ts';
import { scrubDeleted } from '../../server/store/sql.ts';
import type { Runtime } from '../../server/runtime.ts';
import { createTestApp, desktopChromeUa, fakeClock } from '../helpers/app.ts';

const ORIGIN = 'http://localhost';
const password = 'correct horse battery staple';

describe('readiness', () => {
  const writer = { lastCommit: null as { ok: boolean; at: number; error?: string } | null, pending: 0 };
  let fail: string | null = null;
  const ready = createReadiness({ writer, probe: async () => void (fail && (() => { throw new Error(fail); })()), probeEveryMs: 0, maxPending: 10 });

  it('is ready when the probe works, the last commit succeeded and the queue is short', async () => {
    expect(await ready()).toEqual({ ready: true });
    writer.lastCommit = { ok: true, at: Date.now() };
    expect(await ready()).toEqual({ ready: true });
  });

  it('is not ready while the probe fails, nor after a failed commit until a probe succeeds after it, nor with a long queue', async () => {
    fail = 'ENOSPC';
    expect(await ready()).toMatchObject({ ready: false, reason: 'storage', detail: 'ENOSPC' });
    fail = null;
    writer.lastCommit = { ok: false, at: Date.now() + 60_000, error: 'SQLITE_FULL' };
    expect(await ready()).toMatchObject({ ready: false, reason: 'last_commit_failed' });
    writer.lastCommit = { ok: false, at: Date.now() - 1, error: 'SQLITE_FULL' };
    expect(await ready()).toEqual({ ready: true });
    writer.pending = 11;
    expect(await ready()).toMatchObject({ ready: false, reason: 'queue_full' });
    writer.pending = 0;
  });
});

describe('rate-limited logging', () => {
  it('writes the same message once per interval and then says how many were left out', () => {
    const lines: unknown[] = [];
    let now = 0;
    const log = rateLimitedLogger((level, msg, fields) => lines.push({ msg, ...fields }), 5_000, () => now);
    for (let i = 0; i < 1000; i++) log('error', 'event commit failed', { error: 'SQLITE_FULL' });
    log('error', 'another message');
    now = 5_000;
    log('error', 'event commit failed', { error: 'SQLITE_FULL' });
    expect(lines).toEqual([{ msg: 'event commit failed', error: 'SQLITE_FULL' }, { msg: 'another message' }, { msg: 'event commit failed', error: 'SQLITE_FULL', suppressed: 999 }]);
  });
});

/** A small tmpfs to fill: needs root (CI runs as root); elsewhere the test says why it is skipped. */
function mountSmallDisk(): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'ashiato-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
}

const disk = process.getuid?.() === 0 ? mountSmallDisk() : null;
if (!disk) console.warn('storage-faults: cannot mount a tmpfs here (needs root), the disk-full test is skipped');

describe.skipIf(!disk)('a full disk', () => {
  let rt: Runtime & { clock: ReturnType<typeof fakeClock> };
  const logLines: string[] = [];
  const login = () => rt.app.request(`${ORIGIN}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify({ email: 'admin@example.com', password }) });
  const event = () =>
    rt.app.request('/api/event', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'https://example.com', 'user-agent': desktopChromeUa, 'x-test-peer': '198.51.100.7' },
      body: JSON.stringify({ s: 'example.com', u: 'https://example.com/full' }),
    });

  beforeAll(async () => {
    rt = await createTestApp({ clock: fakeClock(Date.now()), db: { kind: 'sqlite', file: join(disk!, 'ashiato.sqlite') }, log: (level, msg, f) => logLines.push(JSON.stringify({ level, msg, ...f })) });
    await addUser(rt.store.db, { email: 'admin@example.com', role: 'admin', password }, rt.clock());
  });
  afterAll(async () => {
    await rt?.close();
    execFileSync('umount', ['-l', disk!]);
    rmSync(disk!, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After everywhere (never 500), is alive but not ready, and recovers when space returns', async () => {
    expect((await login()).status).toBe(200);
    expect((await rt.app.request('/readyz')).status).toBe(200);
    // an empty WAL: every write from now on needs new room on the disk (a grown WAL would take a few more)
    await scrubDeleted(rt.store.db);
    const filler = join(disk!, 'filler');
    const fd = openSync(filler, 'w');
    // large blocks, then small ones, until not even one byte fits (ENOSPC)
    for (const size of [1 << 16, 512, 1]) {
      try {
        for (;;) writeSync(fd, Buffer.alloc(size));
      } catch {
        // this size no longer fits
      }
    }
    closeSync(fd);
    for (let i = 0; i < 20; i++) {
      const res = await login();
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
    }
    // an event either fits in the WAL's room (then it is durable) or is refused with 503: never a 500
    expect([202, 503]).toContain((await event()).status);
    // the probe's result is reused for two seconds: the next probe finds the full disk
    await expect.poll(async () => (await rt.app.request('/readyz')).status, { timeout: 15_000 }).toBe(503);
    const state = (await (await rt.app.request('/readyz')).json()) as { ready: boolean; reason: string };
    expect(state.ready).toBe(false);
    expect(['storage', 'last_commit_failed']).toContain(state.reason);
    expect((await rt.app.request('/healthz')).status).toBe(200);
    // twenty failures in a row are one line (the rate limit lets one more through every five seconds)
    expect(logLines.filter((l) => l.includes('storage unavailable')).length).toBeLessThanOrEqual(2);

    rmSync(filler);
    await expect.poll(async () => (await rt.app.request('/readyz')).status, { timeout: 10_000 }).toBe(200);
    expect((await login()).status).toBe(200);
    expect((await event()).status).toBe(202);
  });
});
