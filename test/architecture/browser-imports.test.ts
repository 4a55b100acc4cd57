/**
 * The browser's code (dashboard/, tracker/) talks to the server through one contract: it may import from
 * server/ and policy/ only `wire.ts` files (answer types, shared enums and limits; no zod, no kysely) and
 * `import type { AppType }` from server/app.ts. Anything else would pull server code into a bundle or tie the
 * browser to server internals.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BROWSER_DIRS = ['dashboard', 'tracker'];

export interface ImportRef {
  /** repository-relative path of the importing file */
  file: string;
  /** the specifier as written */
  specifier: string;
  /** repository-relative path it resolves to (relative specifiers only) */
  target: string | null;
  /** the statement's clause: `type { AppType }`, `{ a, b }`, … ('' for a side-effect or dynamic import) */
  clause: string;
}

const importPattern = /^\s*(?:import|export)\s+([^'";]*?)\s*from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Every static import, re-export and literal dynamic import of a TypeScript source, resolved from its file. */
export function importsOf(file: string, source: string): ImportRef[] {
  const refs: ImportRef[] = [];
  for (const m of source.matchAll(importPattern)) {
    const specifier = (m[2] ?? m[3] ?? m[4])!;
    const target = specifier.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), specifier)) : null;
    refs.push({ file, specifier, target, clause: (m[1] ?? '').replace(/\s+/g, ' ').trim() });
  }
  return refs;
}

function sourcesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** Why an import is not allowed in browser code, or null when it is. */
export function browserImportProblem(ref: ImportRef): string | null {
  if (!ref.target || !/^(server|policy)\//.test(ref.target)) return null;
  if (ref.target.endsWith('/wire.ts')) return null;
  if (ref.target === 'server/app.ts' && /^type \{\s*AppType\s*\}$/.test(ref.clause)) return null;
  return `${ref.file} imports ${ref.target} (only wire.ts files and \`import type { AppType }\` from server/app.ts)`;
}

describe('the browser imports only the contract', () => {
  const refs = BROWSER_DIRS.flatMap(sourcesUnder).flatMap((file) => importsOf(file, readFileSync(join(ROOT, file), 'utf8')));

  it('reads the imports of the browser code', () => {
    expect(refs.some((r) => r.target === 'server/app.ts')).toBe(true);
    expect(refs.length).toBeGreaterThan(100);
  });

  it('holds no import of server/ or policy/ other than wire.ts files and AppType', () => {
    expect(refs.map(browserImportProblem).filter((p) => p !== null)).toEqual([]);
  });

  it('reaches no server code through a wire.ts: those import only types, or other wire.ts files', () => {
    const wires = ['server', 'policy'].flatMap(sourcesUnder).filter((f) => f.endsWith('/wire.ts'));
    expect(wires.length).toBeGreaterThanOrEqual(8);
    const runtime = wires
      .flatMap((file) => importsOf(file, readFileSync(join(ROOT, file), 'utf8')))
      .filter((r) => !r.clause.startsWith('type ') && !r.target?.endsWith('/wire.ts'))
      .map((r) => `${r.file} imports ${r.specifier} at run time`);
    expect(runtime).toEqual([]);
  });

  it('tells a forbidden import from an allowed one', () => {
    const at = (source: string) => importsOf('dashboard/src/lib/x.ts', source).map(browserImportProblem);
    expect(at(`import type { AppType } from '../../../server/app.ts';`)).toEqual([null]);
    expect(at(`import { cookieIdPattern } from '../../../server/ingest/wire.ts';`)).toEqual([null]);
    expect(at(`import { feeableTypes } from '../../../policy/wire.ts';`)).toEqual([null]);
    expect(at(`import { h } from 'preact';\nimport { t } from '../i18n/index.ts';`)).toEqual([null, null]);
    for (const forbidden of [
      `import { createApp } from '../../../server/app.ts';`,
      `import type { AppType, AppDeps } from '../../../server/app.ts';`,
      `import type { ChainReport } from '../../../server/store/hash-chain.ts';`,
      `import {\n  caseView,\n} from '../../../server/privacy/cases.ts';`,
      `export { itemIds } from '../../../policy/schema.ts';`,
      `import '../../../server/stats/queries.ts';`,
      `const m = await import('../../../server/privacy/cases.ts');`,
    ]) {
      expect(at(forbidden)[0], forbidden).toMatch(/^dashboard\/src\/lib\/x\.ts imports (server|policy)\//);
    }
  });
});
