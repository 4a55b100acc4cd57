import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository's root; every path below is relative to it, with forward slashes. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The allowed order of the server's parts, lowest first, written once. A part may import its own files and
 * any part in a lower group; parts in one group may import each other as long as no cycle forms. A part is
 * a folder (`server/ingest`) or a single file at the top of `server/`. Feature folders each have a group of
 * their own, so their order is total: consent may use ingest's wire format, privacy the consent chain, jobs
 * everything they run.
 */
export const serverLayers: readonly (readonly string[])[] = [
  ['policy'],
  ['server/env.ts', 'server/log.ts', 'server/time.ts'],
  ['server/store'],
  ['server/http'],
  ['server/notice'],
  ['server/auth'],
  ['server/ingest'],
  ['server/consent'],
  ['server/stats'],
  ['server/privacy'],
  ['server/anonymize'],
  ['server/jobs'],
  ['server/tracker'],
  ['server/dashboard'],
  ['server/demo'],
  ['server/config.ts', 'server/app.ts', 'server/runtime.ts', 'server/workers.ts', 'server/main.ts', 'server/cli.ts'],
];

/** Files outside server/ and policy/ that server code may load: the build scripts whose bundles it serves. */
export const serverMayLoad: readonly string[] = ['dashboard/build.ts', 'tracker/build.ts'];

const codeFile = /\.(ts|tsx|mts|mjs|js)$/;

/** Every code file below `dir` (repo-relative), node_modules left out. */
export function codeFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(repoRoot, rel), { withFileTypes: true })) {
      const path = posix.join(rel, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
      } else if (codeFile.test(entry.name)) out.push(path);
    }
  };
  walk(dir);
  return out.sort();
}

export interface ImportEdge {
  /** the repo-relative file that imports */
  from: string;
  /** the specifier as written */
  specifier: string;
  /** the repo-relative file it resolves to */
  to: string;
}

const workerUrl = /new URL\(\s*['"](\.\.?\/[^'"]+\.(?:ts|mts|mjs|js))['"]\s*,\s*import\.meta\.url\s*\)/g;

/**
 * A file's relative imports, resolved to repo paths: static and dynamic imports, `export … from`, type-only
 * imports, and modules started as workers (`new URL('./x.mjs', import.meta.url)`). Package imports are left out.
 */
export function relativeImports(file: string): ImportEdge[] {
  const source = readFileSync(join(repoRoot, file), 'utf8');
  const specifiers = ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
  for (const m of source.matchAll(workerUrl)) specifiers.push(m[1]!);
  return specifiers
    .filter((s) => s.startsWith('./') || s.startsWith('../'))
    .map((specifier) => ({ from: file, specifier, to: relative(repoRoot, resolve(repoRoot, dirname(file), specifier)).split('\\').join('/') }));
}

/** The part of the server a repo path belongs to: its folder under server/, a top-level server file, or policy. */
export function partOf(path: string): string | null {
  const [top, second, third] = path.split('/');
  if (top === 'policy') return 'policy';
  if (top !== 'server' || !second) return null;
  return third === undefined ? path : `server/${second}`;
}

/** The group index of a part in `serverLayers`, or -1 when the order does not place it. */
export function layerOf(part: string): number {
  return serverLayers.findIndex((group) => group.includes(part));
}

/** The first import of each part-to-part edge, to name it in a message. */
export function partGraph(all: readonly ImportEdge[]) {
  const graph = new Map<string, Map<string, ImportEdge>>();
  for (const e of all) {
    const a = partOf(e.from);
    const b = partOf(e.to);
    if (!a || !b || a === b) continue;
    const out = graph.get(a) ?? new Map<string, ImportEdge>();
    if (!out.has(b)) out.set(b, e);
    graph.set(a, out);
  }
  return graph;
}

/** Each cycle between parts, as the imports that close it (one cycle per strongly connected knot is enough). */
export function cyclesIn(graph: Map<string, Map<string, ImportEdge>>): ImportEdge[][] {
  const cycles: ImportEdge[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: ImportEdge[] = [];
  const visit = (part: string) => {
    state.set(part, 'open');
    for (const [next, edge] of graph.get(part) ?? []) {
      if (state.get(next) === 'open') {
        const start = path.findIndex((e) => partOf(e.from) === next);
        cycles.push([...(start === -1 ? [] : path.slice(start)), edge]);
      } else if (!state.has(next)) {
        path.push(edge);
        visit(next);
        path.pop();
      }
    }
    state.set(part, 'done');
  };
  for (const part of [...graph.keys()].sort()) if (!state.has(part)) visit(part);
  return cycles;
}
