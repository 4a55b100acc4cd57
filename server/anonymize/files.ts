import { createHash } from 'node:crypto';
import { isQuasiIdentifier, quasiIdentifiers } from '../../policy/dataset-columns.ts';
import type { Localized } from '../../policy/schema.ts';
import type { Cell, DatasetRecord } from './records.ts';

/**
 * A dataset's files: CSV and JSON Lines with the same records, and a manifest. Each begins with the
 * statement APPI 44 asks a provider to make: this is anonymously processed information, and it must not be
 * used to identify anyone.
 */

export const STATEMENT: Localized = {
  ja: 'このデータは個人情報保護法にいう匿名加工情報です。受け取った方は、作成のもとになった本人を識別するために、このデータを他の情報と照合すること、また加工の方法に関する情報を入手することをしてはなりません。',
  en: 'This data is anonymously processed information under the Act on the Protection of Personal Information (Japan). Whoever receives it must not combine it with other information, or seek out how it was processed, in order to identify any person it was made from.',
};

export interface DatasetFile {
  name: string;
  mediaType: string;
  rows: number;
  content: string;
  sha256: string;
  size: number;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
export function datasetFile(name: string, mediaType: string, rows: number, content: string): DatasetFile {
  return { name, mediaType, rows, content, sha256: sha256(content), size: Buffer.byteLength(content, 'utf8') };
}

/** A record's cells in column order; the visitor index becomes the release key. */
function cellsOf(r: DatasetRecord, columns: readonly string[], keys: readonly string[]): Cell[] {
  return columns.map((c) => {
    if (c === 'key') return keys[r.visitor]!;
    if (isQuasiIdentifier(c)) return r.qi[quasiIdentifiers.indexOf(c)] || null;
    return r.values[c] ?? null;
  });
}

/** RFC 4180; a cell a spreadsheet would run as a formula gets a leading apostrophe. */
function csvCell(v: Cell): string {
  let s = v === null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r#]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderCsv(name: string, columns: readonly string[], records: readonly DatasetRecord[], keys: readonly string[]): DatasetFile {
  const lines = [`# ${STATEMENT.ja}`, `# ${STATEMENT.en}`, columns.map(csvCell).join(',')];
  for (const r of records) lines.push(cellsOf(r, columns, keys).map(csvCell).join(','));
  return datasetFile(name, 'text/csv; charset=utf-8', records.length, `${lines.join('\r\n')}\r\n`);
}

/** The first line is the statement and the column list; every other line is one record. */
export function renderJsonLines(name: string, release: number, columns: readonly string[], records: readonly DatasetRecord[], keys: readonly string[]): DatasetFile {
  const lines = [JSON.stringify({ notice: STATEMENT, release, columns })];
  for (const r of records) {
    const cells = cellsOf(r, columns, keys);
    lines.push(JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, cells[i]]))));
  }
  return datasetFile(name, 'application/x-ndjson; charset=utf-8', records.length, `${lines.join('\n')}\n`);
}

export function renderManifest(name: string, manifest: Record<string, unknown>, files: readonly DatasetFile[]): DatasetFile {
  const body = {
    format: 'ashiato-anonymized-v1',
    notice: STATEMENT,
    ...manifest,
    files: files.map((f) => ({ name: f.name, mediaType: f.mediaType, rows: f.rows, bytes: f.size, sha256: f.sha256 })),
  };
  return datasetFile(name, 'application/json; charset=utf-8', 0, `${JSON.stringify(body, null, 2)}\n`);
}
