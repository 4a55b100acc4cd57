import type { Kysely } from 'kysely';
import type { LoadedPolicy } from '../../policy/load.ts';
import { pruneAuth } from '../auth/prune.ts';
import type { Logger } from '../log.ts';
import type { SuppressionList } from '../privacy/suppressions.ts';
import { claimLease, setLeaseEnd } from '../store/leases.ts';
import type { Database } from '../store/schema.ts';
import type { DialectSql } from '../store/sql.ts';
import { retentionTask } from './retention.ts';
import type { RollupRunner } from './rollup-thread.ts';
import type { SaltStore } from '../ingest/salts.ts';
import type { SessionTracker } from '../ingest/sessions.ts';
import type { SiteDirectory } from '../ingest/sites.ts';
import type { EventStore } from '../store/events/event-store.ts';

export interface TaskContext {
  now(): number;
  db: Kysely<Database>;
  dialect: DialectSql;
  policy: LoadedPolicy;
  salts: SaltStore;
  sessions: SessionTracker;
  suppressions: SuppressionList;
  sites: SiteDirectory;
  log: Logger;
  /** this process's name in job leases (random per process) */
  holder: string;
  /** where the rollup job runs (store.rollups) */
  rollups: RollupRunner;
  /** the reports' event store (retention applies there too) */
  events?: EventStore;
}

export interface Task {
  name: string;
  everyMs: number;
  /**
   * `shared`: the work is on the database, so with several processes only the one holding the job's lease
   * runs it each turn. `local`: every process runs it on its own memory.
   */
  scope: 'shared' | 'local';
  run(ctx: TaskContext): Promise<Record<string, number | boolean>>;
}

/** Every background job in one table: what runs, how often, and whether once per database or per process. */
export const tasks: readonly Task[] = [
  { name: 'rotate-salts', everyMs: 60_000, scope: 'shared', run: (ctx) => ctx.salts.rotate(ctx.now()) },
  // other processes' new salt is loaded minutes before it takes effect (SALT_LEAD_MS)
  { name: 'load-salts', everyMs: 60_000, scope: 'local', run: (ctx) => ctx.salts.refresh() },
  { name: 'prune-sessions', everyMs: 60_000, scope: 'local', run: async (ctx) => ({ pruned: ctx.sessions.prune(ctx.now()) }) },
  // other processes' suppressions reach this one's ingest within a minute
  { name: 'load-suppressions', everyMs: 60_000, scope: 'local', run: async (ctx) => ({ suppressed: await ctx.suppressions.refresh() }) },
  // a site added or edited through another process (its hosts, its time zone) is read again within a minute
  { name: 'reload-sites', everyMs: 60_000, scope: 'local', run: async (ctx) => (ctx.sites.invalidate(), {}) },
  { name: 'rollup', everyMs: 60_000, scope: 'shared', run: (ctx) => ctx.rollups.run(ctx.now()) },
  { name: 'prune-auth', everyMs: 300_000, scope: 'shared', run: (ctx) => pruneAuth(ctx.db, ctx.now()) },
  // every data class of the policy's retention (consent receipts included), counts per class
  { name: 'retention', everyMs: 3_600_000, scope: 'shared', run: (ctx) => retentionTask(ctx) },
];

/** A run may take this many intervals before another process assumes its holder died and runs the job. */
const RUN_LEASE_INTERVALS = 10;

/**
 * Runs a task once, or skips it (`undefined`) when another process holds its lease. The lease is held for
 * the whole run, then shortened to 0.9 of the interval from its start: the next turn goes to whichever
 * process asks first after that, so the job keeps running if this process stops.
 */
export async function runTask(task: Task, ctx: TaskContext): Promise<Record<string, number | boolean> | undefined> {
  if (task.scope === 'local') return task.run(ctx);
  const start = ctx.now();
  if (!(await claimLease(ctx.db, task.name, ctx.holder, start, start + RUN_LEASE_INTERVALS * task.everyMs))) return undefined;
  try {
    return await task.run(ctx);
  } finally {
    await setLeaseEnd(ctx.db, task.name, ctx.holder, start + Math.floor(0.9 * task.everyMs));
  }
}

/** Runs each task on its interval; a failing task is logged and tried again next time. */
export function startJobs(ctx: TaskContext, table: readonly Task[] = tasks): () => void {
  const timers = table.map((task) => {
    const timer = setInterval(() => {
      runTask(task, ctx).then(
        (result) => ctx.log('debug', result ? `job ${task.name}` : `job ${task.name} skipped: another process holds it`, result ?? {}),
        (err: unknown) => ctx.log('error', `job ${task.name} failed`, { error: (err as Error).message }),
      );
    }, task.everyMs);
    timer.unref();
    return timer;
  });
  return () => timers.forEach(clearInterval);
}
