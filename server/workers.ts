import cluster from 'node:cluster';
import type { Logger } from './log.ts';

/**
 * `ashiato start --workers N`: this process becomes a supervisor that forks N copies of the same command.
 * They share the listening port (node's cluster hands connections round-robin) and one PostgreSQL, which
 * holds everything they must agree on (salts, sessions, job leases). A worker that dies is replaced;
 * SIGTERM/SIGINT is passed to every worker, and the supervisor exits once all have drained.
 */
export function superviseWorkers(n: number, log: Logger): void {
  let stopping = false;
  const fork = () => cluster.fork().on('exit', (code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    log('error', 'worker exited; starting another', { code, signal });
    // a worker that cannot start at all (bad config, database down) must not be restarted in a tight loop
    setTimeout(() => stopping || fork(), 1000).unref();
  });
  for (let i = 0; i < n; i++) fork();
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log('info', 'stopping workers', { signal });
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

export const isWorker = () => cluster.isWorker;
