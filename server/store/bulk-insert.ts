import type { CompiledQuery, Compilable } from 'kysely';

/** Chunk sizes a batch is split into, largest first: few distinct statements, each prepared once. */
const CHUNKS = [256, 64, 16, 4, 1] as const;

export interface Statement {
  sql: string;
  parameters: readonly unknown[];
}

/**
 * Multi-row INSERTs without compiling a new query per batch. `build(rows)` returns the Kysely query for
 * the given rows; it is compiled once per chunk size from a template row, and later batches bind their own
 * values in the same column order. Works on every dialect because Kysely writes the SQL.
 */
export function bulkStatements<Row extends object>(columns: readonly (keyof Row & string)[], build: (rows: Row[]) => Compilable) {
  const compiled = new Map<number, string>();
  const template = Object.fromEntries(columns.map((c) => [c, null])) as Row;

  function sqlFor(n: number): string {
    let text = compiled.get(n);
    if (!text) {
      const query: CompiledQuery = build(Array.from({ length: n }, () => template)).compile();
      if (query.parameters.length !== n * columns.length) {
        throw new Error(`bulk statement template binds ${query.parameters.length} values, expected ${n * columns.length}`);
      }
      text = query.sql;
      compiled.set(n, text);
    }
    return text;
  }

  return function statements(rows: readonly Row[]): Statement[] {
    const out: Statement[] = [];
    let i = 0;
    for (const size of CHUNKS) {
      while (rows.length - i >= size) {
        const parameters: unknown[] = new Array(size * columns.length);
        let p = 0;
        for (let r = i; r < i + size; r++) {
          const row = rows[r] as Record<string, unknown>;
          for (const c of columns) parameters[p++] = row[c] ?? null;
        }
        out.push({ sql: sqlFor(size), parameters });
        i += size;
      }
    }
    return out;
  };
}

/**
 * One INSERT per batch with one array per column (PostgreSQL's unnest, see sql.ts): `build(arrays)` is
 * compiled once; each batch binds its columns as arrays in the same order.
 */
export function arrayStatements<Row extends object>(columns: readonly (keyof Row & string)[], build: (arrays: unknown[][]) => Compilable) {
  const query: CompiledQuery = build(columns.map(() => [])).compile();
  if (query.parameters.length !== columns.length) throw new Error(`array statement binds ${query.parameters.length} values, expected ${columns.length}`);
  return function statements(rows: readonly Row[]): Statement[] {
    if (rows.length === 0) return [];
    const parameters = columns.map((c) => rows.map((r) => (r as Record<string, unknown>)[c] ?? null));
    return [{ sql: query.sql, parameters }];
  };
}
