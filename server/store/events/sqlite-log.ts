import { sql, type Kysely } from 'kysely';
import type { Database, NewEvent } from '../schema.ts';
import type { ShipSource } from './duckdb/engine.ts';

/**
 * The ledger's events table as the durable log DuckDB ships from. SQLite has one writer, so rows commit in
 * id order and "every id above the mark" is exactly what has not been shipped.
 */
export function sqliteLog(db: Kysely<Database>): ShipSource {
  return {
    name: 'sqlite:events',
    async next(after, limit) {
      const rows = await db.selectFrom('events').selectAll().where('id', '>', after).orderBy('id').limit(limit).execute();
      if (!rows.length) return null;
      const highWater = Number(rows[rows.length - 1]!.id);
      return { rows: rows.map(({ id: _id, ...r }) => r as NewEvent), highWater };
    },
    async purge() {
      // secure_delete zeroed the deleted rows' pages; the WAL still holds the frames that wrote them
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
    },
  };
}
