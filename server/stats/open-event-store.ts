import { dirname, join, basename } from 'node:path';
import type { DbConfig, Store } from '../store/db.ts';
import { openDuckEventStore } from '../store/events/duckdb/engine.ts';
import type { EventStore } from '../store/events/event-store.ts';
import { sqliteLog } from '../store/events/sqlite-log.ts';
import { rowEventStore } from './row-store.ts';

export type EventEngine = 'duckdb' | 'row';

/** The DuckDB file beside an SQLite ledger: data/ashiato.sqlite → data/ashiato.events.duckdb. */
export const duckFileFor = (sqliteFile: string) => join(dirname(sqliteFile), `${basename(sqliteFile).replace(/\.[^.]*$/, '')}.events.duckdb`);

/**
 * The embedded default (an SQLite ledger) reports from DuckDB, fed by shipping the ledger's durable event
 * log; an in-memory ledger gets an in-memory DuckDB. PostgreSQL keeps its row store, which several
 * processes can share.
 */
export async function openEventStore(config: DbConfig, store: Store, engine: EventEngine = 'duckdb'): Promise<EventStore> {
  if (config.kind !== 'sqlite' || engine === 'row') return rowEventStore(store.db, store.dialect);
  const file = config.file === ':memory:' ? ':memory:' : duckFileFor(config.file);
  return openDuckEventStore({ file, source: sqliteLog(store.db) });
}

/** Ships every `ms` so the columnar copy stays seconds behind even when nobody looks at a report. */
export function startShipping(events: EventStore, ms = 2_000, onError: (err: unknown) => void = () => {}): () => void {
  const timer = setInterval(() => events.sync().catch(onError), ms);
  timer.unref();
  return () => clearInterval(timer);
}
