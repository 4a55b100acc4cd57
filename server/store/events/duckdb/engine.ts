import type { NewEvent } from '../../schema.ts';
import type { EventStore } from '../event-store.ts';
import { appendBatch } from './append.ts';
import { compact } from './compact.ts';
import { DuckDatabase, type DuckOptions } from './database.ts';
import { Mutex } from './gate.ts';
import { funnel, journey } from './paths.ts';
import { blankColumnsBefore, deleteRowsBefore, deleteVisitorRows, visitorRows } from './privacy.ts';
import { breakdown, currentVisitors, series, totals } from './reports.ts';
import { sql } from './fragment.ts';

/** Where shipped rows come from: the next committed rows after a high-water mark (the SQLite log). */
export interface ShipSource {
  name: string;
  /** rows with ids above `after`, in id order, at most `limit`; `highWater` is the last one's id */
  next(after: number, limit: number): Promise<{ rows: NewEvent[]; highWater: number } | null>;
  /** after a deletion: make the source's files forget the deleted rows' bytes too */
  purge?(): Promise<void>;
}

export interface DuckEventStore extends EventStore {
  readonly db: DuckDatabase;
  /** how far `source` has been shipped (kept in DuckDB, written with the rows) */
  shippedUntil(source: string): Promise<number>;
  /** rewrites the file without deleted rows' bytes */
  compact(): Promise<void>;
}

export interface DuckEventStoreOptions extends DuckOptions {
  source?: ShipSource;
  /** rows per shipped transaction */
  shipBatch?: number;
  /** test hook: runs inside the ship transaction after the rows went in and before the mark is written */
  beforeMark?: () => void;
}

/**
 * The embedded columnar engine. Writes (appends, shipping, deletions, compaction) go one at a time through
 * a mutex; reports run concurrently on connections of their own, each first shipping what is pending so
 * an answer includes every acknowledged event.
 */
export async function openDuckEventStore(options: DuckEventStoreOptions): Promise<DuckEventStore> {
  const db = await DuckDatabase.open(options);
  const writes = new Mutex();
  // a batch is converted on the event loop: small ones keep ingest's latency low while a backlog drains
  const limit = options.shipBatch ?? 10_000;

  async function shippedUntil(source: string): Promise<number> {
    const [row] = await db.all(sql`select high_water from shipped where source = ${source}`);
    return Number(row?.high_water ?? 0);
  }

  /** the mark as last committed by this process (read once from DuckDB, then kept) */
  let mark: number | undefined;

  async function ship(): Promise<void> {
    const source = options.source;
    if (!source) return;
    let after = (mark ??= await shippedUntil(source.name));
    for (;;) {
      const batch = await source.next(after, limit);
      if (!batch) return;
      await db.transaction(async (c) => {
        await appendBatch(c, batch.rows);
        options.beforeMark?.();
        await appendBatch(c, [], { source: source.name, highWater: batch.highWater });
      });
      after = mark = batch.highWater;
      if (batch.rows.length < limit) return;
    }
  }

  /**
   * Reports that arrive together share one ship: a caller joins a ship that has not started yet (it will
   * read everything committed before the call), never one already running (it may have read too early).
   */
  let queued: Promise<void> | null = null;
  const sync = () =>
    (queued ??= writes.run(async () => {
      queued = null;
      await ship();
    }));
  const shipped = <T>(fn: () => Promise<T>) => sync().then(fn);

  /** Ships first (a row in flight must not land after its deletion), deletes, then packs the file. */
  const deleting = <T extends { events: number } | number>(fn: () => Promise<T>) =>
    writes.run(async () => {
      await ship();
      const out = await fn();
      if (typeof out === 'number' ? out > 0 : out.events > 0) await compact(db);
      await options.source?.purge?.();
      return out;
    });

  return {
    engine: 'duckdb',
    db,
    append: (rows) => writes.run(() => db.transaction((c) => appendBatch(c, rows))),
    sync,
    totals: (q) => shipped(() => totals(db, q)),
    series: (q, interval) => shipped(() => series(db, q, interval)),
    breakdown: (q, d, limit) => shipped(() => breakdown(db, q, d, limit)),
    currentVisitors: (site, since) => shipped(() => currentVisitors(db, site, since)),
    funnel: (q, pages) => shipped(() => funnel(db, q, pages)),
    journey: (q, page, limit) => shipped(() => journey(db, q, page, limit)),
    visitorRows: (id) => shipped(() => visitorRows(db, id)),
    deleteVisitor: (id) => deleting(() => deleteVisitorRows(db, id)),
    deleteBefore: (cutoff) => deleting(() => deleteRowsBefore(db, cutoff)),
    blankEventColumns: (columns, cutoff) => deleting(() => blankColumnsBefore(db, columns, cutoff)),
    shippedUntil,
    compact: () => writes.run(() => compact(db)),
    async close() {
      await writes.run(async () => db.close());
    },
  };
}
