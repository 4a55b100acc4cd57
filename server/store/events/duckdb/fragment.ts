import type { DuckDBValue } from '@duckdb/node-api';

/**
 * A piece of DuckDB SQL and the values bound to its `?` placeholders, in order. Built with the `sql` tag:
 * interpolated fragments are spliced, every other value becomes a parameter. Identifiers enter only through
 * `ident`, which takes them from an allow-list.
 */
export class Fragment {
  constructor(
    readonly text: string,
    readonly params: readonly DuckDBValue[],
  ) {}
}

export type Bindable = string | number | bigint | boolean | null | Fragment;

/** Whole numbers (timestamps, limits) bind as BIGINT so DuckDB compares them with BIGINT columns as they are. */
const bind = (v: Exclude<Bindable, Fragment>): DuckDBValue => (typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : v);

export function sql(strings: TemplateStringsArray, ...values: Bindable[]): Fragment {
  let text = strings[0]!;
  const params: DuckDBValue[] = [];
  values.forEach((v, i) => {
    if (v instanceof Fragment) {
      text += v.text;
      params.push(...v.params);
    } else {
      text += '?';
      params.push(bind(v));
    }
    text += strings[i + 1]!;
  });
  return new Fragment(text, params);
}

export function join(parts: readonly Fragment[], separator: string): Fragment {
  return new Fragment(parts.map((p) => p.text).join(separator), parts.flatMap((p) => p.params));
}

export const raw = (text: string) => new Fragment(text, []);

/**
 * A whole number written into the SQL. Only for numbers the server computes (zone offsets, bucket sizes):
 * DuckDB evaluates an expression with bound parameters in GROUP BY about ten times slower than one with
 * literals (measured: 1.3–2 s against 0.2 s over 1 M events).
 */
export function int(n: number): Fragment {
  if (!Number.isSafeInteger(n)) throw new Error(`not a whole number: ${n}`);
  return raw(String(n));
}

/** `alias.column`, only for a column named in `allowed`. */
export function ident(alias: string, column: string, allowed: ReadonlySet<string>): Fragment {
  if (!allowed.has(column)) throw new Error(`column "${column}" is not on the allow-list`);
  return raw(`${alias}.${column}`);
}
