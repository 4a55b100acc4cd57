import { eventColumns, visitColumns } from './columns.ts';

/**
 * The DuckDB tables. Events are appended in commit order (roughly time order, so zone maps on `ts` skip
 * most row groups of a short range); visits are recomputed from their events whenever a batch touches them.
 * `shipped` holds how far the SQLite log has been copied, written in the same transaction as the rows.
 */
const type = (c: string) => (c === 'ts' || c === 'started_at' || c === 'last_seen_at' ? 'BIGINT' : c === 'pageviews' || c === 'events' ? 'INTEGER' : 'VARCHAR');

export const schemaStatements = [
  `create table if not exists events (${eventColumns.map((c) => `${c} ${type(c)}`).join(', ')})`,
  `create table if not exists visits (${visitColumns.map((c) => `${c} ${type(c)}`).join(', ')})`,
  `create table if not exists shipped (source VARCHAR primary key, high_water BIGINT not null)`,
];
