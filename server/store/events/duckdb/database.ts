import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { Gate } from './gate.ts';
import { schemaStatements } from './schema.ts';
import type { Fragment } from './fragment.ts';

export interface DuckOptions {
  /** a file under the data directory, or ':memory:' (tests) */
  file: string;
  /** DuckDB's buffer limit: the server's RSS has to stay under 400 MB with queries running */
  memoryLimit?: string;
  threads?: number;
}

export type Row = Record<string, unknown>;

/** BIGINT and HUGEINT arrive as bigint: every number the reports use fits a double. */
const plain = (v: unknown) => (typeof v === 'bigint' ? Number(v) : v);

/**
 * One DuckDB database: a connection per query (cheap in DuckDB, and queries on one connection would wait
 * for each other), the writer's own connection, and a gate so the file can be rewritten in place.
 */
export class DuckDatabase {
  private constructor(
    private instance: DuckDBInstance,
    private writer: DuckDBConnection,
    readonly options: DuckOptions,
    readonly gate = new Gate(),
  ) {}

  static async open(options: DuckOptions): Promise<DuckDatabase> {
    const { instance, writer } = await DuckDatabase.connect(options);
    return new DuckDatabase(instance, writer, options);
  }

  private static async connect(options: DuckOptions) {
    const instance = await DuckDBInstance.create(options.file, {
      memory_limit: options.memoryLimit ?? '256MB',
      threads: String(options.threads ?? 2),
      // nothing is ever fetched from the network: ICU and JSON are built into the npm package's binary
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    const writer = await instance.connect();
    for (const s of schemaStatements) await writer.run(s);
    return { instance, writer };
  }

  async all(query: Fragment): Promise<Row[]> {
    return this.gate.shared(async () => {
      const c = await this.instance.connect();
      try {
        const reader = await c.runAndReadAll(query.text, [...query.params]);
        return reader.getRowObjectsJS().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));
      } finally {
        c.closeSync();
      }
    });
  }

  /** Runs `fn` on the writer connection inside one transaction (the caller serializes writers). */
  async transaction<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.gate.shared(async () => {
      await this.writer.run('begin transaction');
      try {
        const out = await fn(this.writer);
        await this.writer.run('commit');
        return out;
      } catch (err) {
        await this.writer.run('rollback');
        throw err;
      }
    });
  }

  /**
   * With no query running: `copy` works on the open database, then it is closed, `swap` replaces its file
   * and it is opened again.
   */
  async rewrite(copy: (c: DuckDBConnection) => Promise<void>, swap: () => void): Promise<void> {
    await this.gate.alone(async () => {
      await copy(this.writer);
      this.writer.closeSync();
      this.instance.closeSync();
      try {
        swap();
      } finally {
        const { instance, writer } = await DuckDatabase.connect(this.options);
        this.instance = instance;
        this.writer = writer;
      }
    });
  }

  async run(query: Fragment): Promise<number> {
    return this.gate.shared(async () => (await this.writer.run(query.text, [...query.params])).rowsChanged);
  }

  close(): void {
    this.writer.closeSync();
    this.instance.closeSync();
  }
}
