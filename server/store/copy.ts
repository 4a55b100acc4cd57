import type { Kysely } from 'kysely';
import { resetSerial } from './sql.ts';
import type { Store } from './db.ts';

const BATCH = 500;
/** Kysely's own bookkeeping: the target has run the same migrations itself */
const skip = (table: string) => table.startsWith('kysely_');

export interface CopyProgress {
  table: string;
  rows: number;
}

/**
 * Copies every row of one ashiato database into another, empty one that is migrated to the same version:
 * moving an SQLite installation to PostgreSQL. Ids, salts, hash chains and keyed hashes are copied as they
 * are, so visitor hashes, suppressions, receipts and the audit log stay valid. A table whose rows point at
 * a table not copied yet (a foreign key) is tried again after the others; each table is one transaction.
 */
export async function copyDatabase(from: Store, to: Store, progress: (p: CopyProgress) => void = () => {}): Promise<CopyProgress[]> {
  const target = await ownTables(to.db);
  const filled = [];
  for (const table of ['sites', 'events', 'users', 'consent_receipts'] as const) {
    const row = await to.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(row.n) > 0) filled.push(table);
  }
  if (filled.length) throw new Error(`the target database already holds data (${filled.join(', ')}): copy into a new one`);

  const targetColumns = new Map(target.map((t) => [t.name, t.columns]));
  let pending = (await ownTables(from.db)).map((t) => t.name).filter((name) => !skip(name) && targetColumns.has(name));
  const done: CopyProgress[] = [];
  while (pending.length) {
    const later: string[] = [];
    let lastError: unknown;
    for (const table of pending) {
      try {
        const rows = await copyTable(from.db, to, table, (n) => progress({ table, rows: n }));
        done.push({ table, rows });
      } catch (err) {
        later.push(table);
        lastError = err;
      }
    }
    if (later.length === pending.length) throw lastError instanceof Error ? lastError : new Error(String(lastError));
    pending = later;
  }
  // ids were copied as they were: auto-incrementing keys continue after the largest one
  for (const t of target) for (const c of t.columns) if (c.isAutoIncrementing) await resetSerial(to.dialect, to.db, t.name, c.name);
  return done;
}

async function copyTable(from: Kysely<any>, to: Store, table: string, onBatch: (rows: number) => void): Promise<number> {
  return to.db.transaction().execute(async (trx) => {
    // rows the migrations put there (a chain's genesis row, the id-hash key) are replaced by the source's
    await trx.deleteFrom(table as never).execute();
    let n = 0;
    let batch: Record<string, unknown>[] = [];
    const flush = async () => {
      if (!batch.length) return;
      await (trx as Kysely<any>).insertInto(table).values(batch).execute();
      n += batch.length;
      batch = [];
      onBatch(n);
    };
    for await (const row of from.selectFrom(table).selectAll().stream(BATCH)) {
      batch.push(row as Record<string, unknown>);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    return n;
  });
}

/** The tables of the database this connection works in (on PostgreSQL: its current schema only). */
export async function ownTables(db: Kysely<any>) {
  const tables = await db.introspection.getTables();
  const schemas = new Set(tables.map((t) => t.schema));
  // PostgreSQL lists every schema's tables: keep the connection's own
  if (schemas.size > 1 || (schemas.size === 1 && !schemas.has(undefined))) {
    const { sql } = await import('kysely');
    const current = (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s;
    return tables.filter((t) => t.schema === current);
  }
  return tables;
}
