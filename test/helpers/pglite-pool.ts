import { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import { PG_INT8, PG_NUMERIC } from '../../server/store/postgres.ts';

/**
 * Kysely's PostgresDialect over PGlite (PostgreSQL compiled to wasm, in this process): the Postgres leg of
 * the tests without a server. PGlite has one connection, so it is lent to one borrower at a time, and each
 * borrower first switches to its own schema: many test databases share one PGlite per test file.
 */
let shared: Promise<PGlite> | undefined;
let busy: Promise<void> = Promise.resolve();

function instance(): Promise<PGlite> {
  // the same parsers as server/store/postgres.ts: int8 and numeric as numbers
  shared ??= PGlite.create({ parsers: { [PG_INT8]: Number, [PG_NUMERIC]: Number } });
  return shared;
}

/** Waits for the connection; the returned function gives it back. */
async function borrow(): Promise<() => void> {
  let giveBack!: () => void;
  const previous = busy;
  busy = new Promise<void>((r) => (giveBack = r));
  await previous;
  return giveBack;
}

export function pglitePool(schema: string): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const db = await instance();
      const giveBack = await borrow();
      try {
        await db.exec(`create schema if not exists ${schema}; set search_path to ${schema}`);
      } catch (err) {
        giveBack();
        throw err;
      }
      return {
        query: (async (text: string, parameters: readonly unknown[]) => {
          const r = await db.query<Record<string, unknown>>(text, [...parameters]);
          return { command: commandOf(text), rowCount: r.affectedRows ?? r.rows.length, rows: r.rows } satisfies PostgresQueryResult<unknown>;
        }) as PostgresPoolClient['query'],
        release: giveBack,
      };
    },
    async end() {
      const db = await instance();
      const giveBack = await borrow();
      try {
        await db.exec(`drop schema if exists ${schema} cascade`);
      } finally {
        giveBack();
      }
    },
  };
}

/** Kysely reads the affected-row count only for these commands. */
function commandOf(text: string): PostgresQueryResult<unknown>['command'] {
  const word = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase();
  return word === 'INSERT' || word === 'UPDATE' || word === 'DELETE' || word === 'MERGE' ? word : 'SELECT';
}
