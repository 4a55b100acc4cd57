import { describe, expect, it } from 'vitest';
import { codeFilesUnder, cyclesIn, layerOf, partGraph, partOf, relativeImports, serverLayers, serverMayLoad, type ImportEdge } from './layers.ts';

const files = [...codeFilesUnder('server'), ...codeFilesUnder('policy')];
const edges = files.flatMap(relativeImports);
const show = (e: ImportEdge) => `${e.from} imports '${e.specifier}'`;

describe('the server is layered (test/architecture/layers.ts holds the order)', () => {
  it('reads the imports it judges', () => {
    // guards against a parser that finds nothing and so passes everything
    expect(files.length).toBeGreaterThan(100);
    expect(edges).toContainEqual({ from: 'server/ingest/pipeline.ts', specifier: '../http/request-facts.ts', to: 'server/http/request-facts.ts' });
    expect(edges.some((e) => e.from === 'server/jobs/rollup-thread.ts' && e.to === 'server/jobs/rollup-worker.mjs')).toBe(true);
  });

  it('places every part of the server in the order', () => {
    const unplaced = [...new Set(files.map((f) => partOf(f)!))].filter((p) => layerOf(p) === -1);
    expect(unplaced, 'add these to serverLayers in test/architecture/layers.ts').toEqual([]);
  });

  it('has no import of a higher layer', () => {
    const upward = edges
      .filter((e) => {
        const to = partOf(e.to);
        if (!to) return !serverMayLoad.includes(e.to);
        return layerOf(to) > layerOf(partOf(e.from)!);
      })
      .map((e) => `${show(e)}: ${partOf(e.to) ?? e.to} is above ${partOf(e.from)}`);
    expect(upward).toEqual([]);
  });

  it('has no cycle between parts', () => {
    const cycles = cyclesIn(partGraph(edges)).map((c) => c.map(show).join(' → '));
    expect(cycles).toEqual([]);
  });

  it('finds an upward import and a cycle when there is one', () => {
    const forged: ImportEdge = { from: 'server/store/db.ts', specifier: '../jobs/rollup-thread.ts', to: 'server/jobs/rollup-thread.ts' };
    expect(layerOf(partOf(forged.to)!)).toBeGreaterThan(layerOf(partOf(forged.from)!));
    const cycles = cyclesIn(partGraph([...edges, forged]));
    expect(cycles.length).toBeGreaterThan(0);
    const storeToJobs = (e: ImportEdge) => partOf(e.from) === 'server/store' && partOf(e.to) === 'server/jobs';
    expect(cycles.some((c) => c.some(storeToJobs))).toBe(true);
    expect(serverLayers.flat()).toContain('server/jobs');
  });
});
