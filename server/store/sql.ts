import { PostgresAdapter, sql, type ColumnDataType, type ColumnDefinitionBuilder, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';

/**
 * Everything that differs between SQLite and PostgreSQL lives here, so queries and migrations stay
 * dialect-free. Add a branch here rather than `if (dialect === …)` anywhere else.
 */
export type DialectName = 'sqlite' | 'postgres';

export interface DialectSql {
  name: DialectName;
  /** auto-incrementing 64-bit primary key column type */
  serialId: ColumnDataType;
  /** integer wide enough for millisecond timestamps */
  bigint: ColumnDataType;
}

export const dialects: Record<DialectName, DialectSql> = {
  sqlite: { name: 'sqlite', serialId: 'integer', bigint: 'integer' },
  postgres: { name: 'postgres', serialId: 'bigserial', bigint: 'bigint' },
};

/** The auto-incrementing key's column options: AUTOINCREMENT in SQLite (ids never reused), bigserial in PostgreSQL. */
export function serialPrimaryKey(d: DialectSql): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return d.name === 'sqlite' ? (c) => c.primaryKey().autoIncrement() : (c) => c.primaryKey();
}

/** Scalar max/min of two values: max()/min() in SQLite, greatest()/least() in PostgreSQL. */
export function greatest<T>(d: DialectSql, a: Expression<T>, b: Expression<T>): RawBuilder<T> {
  return d.name === 'sqlite' ? sql<T>`max(${a}, ${b})` : sql<T>`greatest(${a}, ${b})`;
}

export function least<T>(d: DialectSql, a: Expression<T>, b: Expression<T>): RawBuilder<T> {
  return d.name === 'sqlite' ? sql<T>`min(${a}, ${b})` : sql<T>`least(${a}, ${b})`;
}

/**
 * A custom event property in its text form, whatever its type ('true', '42', 'pro'): what a filter value
 * is compared with. SQLite's json_extract gives 1 for true, so booleans are spelled out. The key is bound.
 */
export function jsonProp(d: DialectSql, column: Expression<string | null>, key: string): RawBuilder<string | null> {
  const path = `$."${key}"`;
  return d.name === 'sqlite'
    ? sql<string | null>`(case json_type(${column}, ${path}) when 'true' then 'true' when 'false' then 'false' else cast(json_extract(${column}, ${path}) as text) end)`
    : sql<string | null>`(${column}::jsonb ->> ${key})`;
}

/** A custom event property as JSON text ('true', '42', '"42"'): its type kept, so a breakdown row per typed value. */
export function jsonPropTyped(d: DialectSql, column: Expression<string | null>, key: string): RawBuilder<string | null> {
  return d.name === 'sqlite' ? sql<string | null>`(${column} -> ${`$."${key}"`})` : sql<string | null>`((${column}::jsonb -> ${key})::text)`;
}

/** Integer division (floor for the non-negative values it is used on): bound JS numbers reach SQLite as REAL. */
export function intDiv(d: DialectSql, numerator: Expression<number>, divisor: number): RawBuilder<number> {
  return d.name === 'sqlite' ? sql<number>`cast((${numerator}) / ${divisor} as integer)` : sql<number>`div(${numerator}, ${divisor})`;
}

/** Equality that treats two NULLs as equal: IS in SQLite, IS NOT DISTINCT FROM in PostgreSQL. */
export function nullSafeEq(d: DialectSql, a: Expression<unknown>, b: Expression<unknown>): RawBuilder<SqlBool> {
  return d.name === 'sqlite' ? sql<SqlBool>`${a} is ${b}` : sql<SqlBool>`${a} is not distinct from ${b}`;
}

export type ArrayElement = 'text' | 'bigint' | 'integer';

/**
 * PostgreSQL: the rows of a bulk INSERT as one array per column, unnested, so a batch of any size is one
 * statement with one fixed text and one bound value per column. `undefined` on SQLite, which has no arrays
 * and takes chunked multi-row VALUES instead (bulk-insert.ts).
 */
export function unnestRows(d: DialectSql, types: readonly ArrayElement[]): ((columns: readonly unknown[][]) => RawBuilder<unknown>) | undefined {
  if (d.name === 'sqlite') return undefined;
  return (columns) => sql`select * from unnest(${sql.join(columns.map((values, i) => sql`${sql.val(values)}::${sql.raw(types[i]!)}[]`))})`;
}

/**
 * What ends a CREATE TABLE of a table looked up only by its primary key: WITHOUT ROWID in SQLite, so each
 * insert writes one B-tree instead of a rowid table and an index beside it; nothing in PostgreSQL.
 */
export function keyedTableEnd(d: DialectSql): RawBuilder<unknown> {
  return d.name === 'sqlite' ? sql`without rowid` : sql``;
}

/**
 * After rows were inserted with their ids (a copy), the next generated id must follow the largest one:
 * PostgreSQL's sequence is set to it; SQLite's AUTOINCREMENT already follows the rows.
 */
export async function resetSerial(d: DialectSql, db: Kysely<any>, table: string, column: string): Promise<void> {
  if (d.name === 'sqlite') return;
  await sql`select setval(pg_get_serial_sequence(${table}, ${column}), coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false)`.execute(db);
}

/**
 * Serializes transactions that work on the same key until they end: PostgreSQL takes a transaction-level
 * advisory lock (several processes share the database); SQLite needs none, because the transaction holds the
 * process's one connection and only one process writes the file.
 */
export async function lockKey(trx: Kysely<any>, key: string): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
}

/**
 * After a deletion, no copy of the deleted rows may stay readable in a file. SQLite (with secure_delete on
 * every connection, see db.ts) zeroes them in the database file, but the WAL still holds the pages as they
 * were until a checkpoint: TRUNCATE copies the WAL back and cuts it to zero bytes. PostgreSQL keeps dead
 * tuples until VACUUM, which its autovacuum runs; nothing to do here.
 */
export async function scrubDeleted(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await sql`pragma wal_checkpoint(truncate)`.execute(db);
}
