import { CompiledQuery, type Compilable, type Kysely } from 'kysely';

/** Chunk sizes a batch is split into, largest first: few distinct statements, each prepared once. */
const CHUNKS = [256, 64, 16, 4, 1] as const;

/**
 * Multi-row INSERTs without compiling a new query per batch. `build(n)` returns the Kysely query for n
 * copies of a template row; it is compiled once per chunk size, and later batches bind their own values
 * in the same column order. Works on every dialect because Kysely writes the SQL.
 */
export function bulkInserter<Row extends object>(columns: readonly (keyof Row & string)[], build: (rows: Row[]) => Compilable) {
  const compiled = new Map<number, string>();
  const template = Object.fromEntries(columns.map((c) => [c, null])) as Row;

  function sqlFor(n: number): string {
    let text = compiled.get(n);
    if (!text) {
      const query = build(Array.from({ length: n }, () => template)).compile();
      if (query.parameters.length !== n * columns.length) {
        throw new Error(`bulk insert template binds ${query.parameters.length} values, expected ${n * columns.length}`);
      }
      text = query.sql;
      compiled.set(n, text);
    }
    return text;
  }

  return async function insert(db: Kysely<any>, rows: readonly Row[]): Promise<void> {
    let i = 0;
    for (const size of CHUNKS) {
      while (rows.length - i >= size) {
        const params: unknown[] = new Array(size * columns.length);
        let p = 0;
        for (let r = i; r < i + size; r++) {
          const row = rows[r] as Record<string, unknown>;
          for (const c of columns) params[p++] = row[c] ?? null;
        }
        await db.executeQuery(CompiledQuery.raw(sqlFor(size), params));
        i += size;
      }
    }
  };
}
