import { eventColumns, keyColumns, visitColumns } from './columns.ts';

/**
 * The DuckDB tables. Events are appended in commit order (roughly time order, so zone maps on `ts` skip
 * most row groups of a short range); visits are recomputed from their events whenever a batch touches them.
 * `shipped` holds how far the SQLite log has been copied, written in the same transaction as the rows.
 */
const type = (c: string) => (c === 'ts' || c === 'started_at' || c === 'last_seen_at' ? 'BIGINT' : c === 'pageviews' || c === 'events' ? 'INTEGER' : 'VARCHAR');
const columns = (names: readonly string[]) => names.map((c) => `${c} ${type(c)}`).join(', ');
const keys = keyColumns.map((c) => `${c} UBIGINT`).join(', ');

export const schemaStatements = [
  `create table if not exists events (${columns(eventColumns)}, ${keys})`,
  `create table if not exists visits (${columns(visitColumns)}, ${keys})`,
  `create table if not exists shipped (source VARCHAR primary key, high_water BIGINT not null)`,
  // per connection: a batch is appended here, then moved into events with its keys computed by DuckDB
  `create temp table if not exists staging (${columns(eventColumns)})`,
];
