import type { Kysely } from 'kysely';
import type { LoadedPolicy } from '../../policy/load.ts';
import { pruneAuth } from '../auth/prune.ts';
import type { Logger } from '../log.ts';
import type { Database } from '../store/schema.ts';
import type { DialectSql } from '../store/sql.ts';
import { retentionTask } from './retention.ts';
import { rollupAll } from './rollup.ts';
import type { SaltStore } from '../ingest/salts.ts';
import type { SessionTracker } from '../ingest/sessions.ts';

export interface TaskContext {
  now(): number;
  db: Kysely<Database>;
  dialect: DialectSql;
  policy: LoadedPolicy;
  salts: SaltStore;
  sessions: SessionTracker;
  log: Logger;
}

export interface Task {
  name: string;
  everyMs: number;
  run(ctx: TaskContext): Promise<Record<string, number | boolean>>;
}

/** Every background job in one table: what runs, how often. */
export const tasks: readonly Task[] = [
  { name: 'rotate-salts', everyMs: 60_000, run: (ctx) => ctx.salts.rotate(ctx.now()) },
  { name: 'prune-sessions', everyMs: 60_000, run: async (ctx) => ({ pruned: ctx.sessions.prune(ctx.now()) }) },
  { name: 'rollup', everyMs: 60_000, run: (ctx) => rollupAll(ctx.db, ctx.dialect, ctx.now()) },
  { name: 'prune-auth', everyMs: 300_000, run: (ctx) => pruneAuth(ctx.db, ctx.now()) },
  // every data class of the policy's retention (consent receipts included), counts per class
  { name: 'retention', everyMs: 3_600_000, run: (ctx) => retentionTask(ctx) },
];

/** Runs each task on its interval; a failing task is logged and tried again next time. */
export function startJobs(ctx: TaskContext, table: readonly Task[] = tasks): () => void {
  const timers = table.map((task) => {
    const timer = setInterval(() => {
      task.run(ctx).then(
        (result) => ctx.log('debug', `job ${task.name}`, result),
        (err: unknown) => ctx.log('error', `job ${task.name} failed`, { error: (err as Error).message }),
      );
    }, task.everyMs);
    timer.unref();
    return timer;
  });
  return () => timers.forEach(clearInterval);
}
