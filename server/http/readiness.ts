/**
 * `/readyz`: may this node take traffic? Alive (`/healthz`) is not enough: a node whose disk is full or
 * read-only answers every event with 503 and stores nothing, and a load balancer must stop sending to it.
 * Ready means: the last commit succeeded (or a probe has succeeded since it failed), the probe of the
 * storage works, and the queue of events waiting for a commit is under its bound.
 */
export interface CommitHealth {
  /** the last commit's outcome, or null before the first */
  readonly lastCommit: { ok: boolean; at: number; error?: string } | null;
  readonly pending: number;
}

export type Readiness = { ready: true } | { ready: false; reason: 'storage' | 'last_commit_failed' | 'queue_full'; detail: string };

export interface ReadinessOptions {
  writer: CommitHealth;
  /** throws when the storage cannot be written (a write to the data directory, a query to the database) */
  probe: () => Promise<void>;
  /** events queued beyond this mean commits are not keeping up */
  maxPending?: number;
  /** a probe's result is reused this long, so a busy load balancer does not become the load */
  probeEveryMs?: number;
}

export function createReadiness(options: ReadinessOptions): () => Promise<Readiness> {
  const maxPending = options.maxPending ?? 20_000;
  const probeEveryMs = options.probeEveryMs ?? 2_000;
  let last: { at: number; error: string | null } | null = null;
  let running: Promise<void> | null = null;

  async function probe(now: number): Promise<string | null> {
    if (!last || now - last.at >= probeEveryMs) {
      running ??= options
        .probe()
        .then(
          () => void (last = { at: now, error: null }),
          (err: unknown) => void (last = { at: now, error: err instanceof Error ? err.message : String(err) }),
        )
        .finally(() => (running = null));
      await running;
    }
    return last!.error;
  }

  return async function readiness(): Promise<Readiness> {
    // wall-clock ms, as the writer stamps its commits: only their order matters here
    const now = Date.now();
    const failed = await probe(now);
    if (failed !== null) return { ready: false, reason: 'storage', detail: failed };
    const commit = options.writer.lastCommit;
    // a failed commit counts until a probe after it has succeeded: then the next commit will tell
    if (commit && !commit.ok && last!.at <= commit.at) return { ready: false, reason: 'last_commit_failed', detail: commit.error ?? 'the last commit failed' };
    if (options.writer.pending > maxPending) return { ready: false, reason: 'queue_full', detail: `${options.writer.pending} events wait for a commit` };
    return { ready: true };
  };
}
