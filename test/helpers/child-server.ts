import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createDb } from '../../server/store/db.ts';
import { upsertSite } from '../../server/store/sites.ts';
import { desktopChromeUa } from './app.ts';

const bin = fileURLToPath(new URL('../../bin/ashiato.js', import.meta.url));

export interface ChildServer {
  proc: ChildProcess;
  url: string;
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Prepares a data directory with the site `localhost` (hosts localhost, 127.0.0.1). */
export async function prepareDataDir(dataDir: string) {
  const store = await createDb({ kind: 'sqlite', file: `${dataDir}/ashiato.sqlite` });
  await upsertSite(store.db, { id: 'localhost', hosts: ['localhost', '127.0.0.1'] }, Date.now());
  await store.close();
}

/** Starts `ashiato start` as a real child process on a free port and waits until it listens. */
export async function startChild(dataDir: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ChildServer> {
  const proc = spawn(process.execPath, [...nodeArgs, bin, 'start', '--port', '0', '--data', dataDir], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr.join('')}`)), 30_000);
    proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr.push(chunk);
      const m = /"url":"(http:\/\/[^"]+)"/.exec(stderr.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.on('exit', () => reject(new Error(`server exited early: ${stderr.join('')}`)));
  });
  return { proc, url, stderr, exited };
}

/** Sends custom events named `e-<n>` from `workers` concurrent loops; returns the names acknowledged with 202. */
export function loadGenerator(url: string, workers = 32) {
  const acked: string[] = [];
  let next = 0;
  let stop = false;
  const loop = async () => {
    while (!stop) {
      const name = `e-${next++}`;
      try {
        const res = await fetch(`${url}/api/event`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'user-agent': desktopChromeUa },
          body: JSON.stringify({ s: 'localhost', t: 'event', n: name, u: 'http://127.0.0.1/load' }),
        });
        await res.arrayBuffer();
        if (res.status === 202) acked.push(name);
      } catch {
        // the server went away mid-request: this event was never acknowledged
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  };
  const running = Promise.all(Array.from({ length: workers }, loop));
  return {
    acked,
    sent: () => next,
    async stop() {
      stop = true;
      await running;
    },
  };
}
