import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../../server/store/db.ts';
import { desktopChromeUa } from '../../helpers/app.ts';
import { prepareDataDir, startChild } from '../../helpers/child-server.ts';

const bin = fileURLToPath(new URL('../../../bin/ashiato.js', import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function dataDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ashiato-stop-'));
  dirs.push(dir);
  await prepareDataDir(dir);
  return dir;
}

/** A raw keep-alive connection that has sent a request's head and half its body, and collects the answer. */
function halfSent(url: URL, name: string): { socket: Socket; finish(): void; answer: Promise<string> } {
  const body = JSON.stringify({ s: 'localhost', t: 'event', n: name, u: 'http://127.0.0.1/stop' });
  const socket = connect(Number(url.port), url.hostname);
  const head = `POST /api/event HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: text/plain\r\nUser-Agent: ${desktopChromeUa}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n`;
  const half = Math.floor(body.length / 2);
  socket.write(head + body.slice(0, half));
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  const answer = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(received));
    socket.on('error', () => resolve(`${received}<reset>`));
  });
  return { socket, finish: () => socket.write(body.slice(half)), answer };
}

describe('shutdown and start-up edges', () => {
  it('SIGTERM answers every request it already received before it closes keep-alive connections', { timeout: 90_000 }, async () => {
    const dir = await dataDir();
    const child = await startChild(dir);
    const url = new URL(child.url);
    const requests = Array.from({ length: 10 }, (_, i) => halfSent(url, `half-${i}`));
    // wait until the server is handling all ten (each waits for the rest of its body); /healthz counts itself
    for (;;) {
      const health = (await (await fetch(`${child.url}/healthz`)).json()) as { inFlight: number };
      if (health.inFlight >= 11) break;
    }
    child.proc.kill('SIGTERM');
    // the server stops accepting before it looks at the requests it holds: only then send the rest
    for (;;) {
      const refused = await fetch(`${child.url}/healthz`, { headers: { connection: 'close' } }).then(() => false, () => true);
      if (refused) break;
    }
    for (const r of requests) r.finish();
    const answers = await Promise.all(requests.map((r) => r.answer));
    for (const a of answers) {
      expect(a).toMatch(/^HTTP\/1\.1 202 /);
      expect(a.toLowerCase()).toContain('connection: close');
    }
    expect((await child.exited).code).toBe(0);
    const store = await createDb({ kind: 'sqlite', file: join(dir, 'ashiato.sqlite') });
    const names = (await store.db.selectFrom('events').select('name').execute()).map((r) => r.name).sort();
    await store.close();
    expect(names).toEqual(Array.from({ length: 10 }, (_, i) => `half-${i}`).sort());
  });

  it('a port in use is one clear line and exit code 1, not a stack trace', { timeout: 60_000 }, async () => {
    const first = await startChild(await dataDir());
    const port = new URL(first.url).port;
    const second = spawn(process.execPath, [bin, 'start', '--port', port, '--data', await dataDir()], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    second.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
    first.proc.kill('SIGTERM');
    await first.exited;
    expect(code).toBe(1);
    expect(stderr).toContain(`ashiato: port ${port} on 127.0.0.1 is already in use by another program`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
