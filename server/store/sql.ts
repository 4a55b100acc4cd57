import { sql, type ColumnDataType, type Expression, type RawBuilder } from 'kysely';

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

/** Scalar max/min of two values: max()/min() in SQLite, greatest()/least() in PostgreSQL. */
export function greatest<T>(d: DialectSql, a: Expression<T>, b: Expression<T>): RawBuilder<T> {
  return d.name === 'sqlite' ? sql<T>`max(${a}, ${b})` : sql<T>`greatest(${a}, ${b})`;
}

export function least<T>(d: DialectSql, a: Expression<T>, b: Expression<T>): RawBuilder<T> {
  return d.name === 'sqlite' ? sql<T>`min(${a}, ${b})` : sql<T>`least(${a}, ${b})`;
}
