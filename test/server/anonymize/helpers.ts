import type { LoadedPolicy } from '../../../policy/load.ts';
import { quasiIdentifiers } from '../../../policy/dataset-columns.ts';
import { createRelease, type CreateReleaseInput } from '../../../server/anonymize/releases.ts';
import type { BuildOptions } from '../../../server/anonymize/build.ts';
import type { Store } from '../../../server/store/db.ts';
import { upsertSite } from '../../../server/store/sites.ts';
import { DAY, policyWith } from '../../helpers/app.ts';
import { createTestDb } from '../../helpers/test-db.ts';

export const START = Date.UTC(2026, 9, 1);
export const staff = { id: null, label: 'test' };

/** A policy that lets the free-text columns in, so the tests see what happens to hostile free text. */
export const permissivePolicy = (k?: number): LoadedPolicy =>
  policyWith((p) => {
    p.anonymization = { ...p.anonymization, titles: true, props: ['plan', 'email', 'cid'], time: 'hour', ...(k ? { k } : {}) };
  });

export async function storeWithSite(): Promise<Store> {
  const store = await createTestDb();
  await upsertSite(store.db, { id: 'example.com', hosts: ['example.com'] }, START);
  return store;
}

export const range = (days: number): Pick<CreateReleaseInput, 'site' | 'from' | 'to'> => ({ site: 'example.com', from: START, to: START + days * DAY });

export interface ParsedDataset {
  notice: { ja: string; en: string };
  columns: string[];
  rows: Record<string, string | number | null>[];
}

export function parseJsonLines(content: string): ParsedDataset {
  const [head, ...lines] = content.trimEnd().split('\n');
  const meta = JSON.parse(head!) as { notice: ParsedDataset['notice']; columns: string[] };
  return { notice: meta.notice, columns: meta.columns, rows: lines.map((l) => JSON.parse(l) as ParsedDataset['rows'][number]) };
}

/** Distinct keys per combination of the quasi-identifier columns the dataset holds. */
export function classSizes(d: ParsedDataset): Map<string, Set<unknown>> {
  const qi = quasiIdentifiers.filter((q) => d.columns.includes(q));
  const classes = new Map<string, Set<unknown>>();
  for (const r of d.rows) {
    const key = JSON.stringify(qi.map((q) => r[q]));
    if (!classes.has(key)) classes.set(key, new Set());
    classes.get(key)!.add(r.key);
  }
  return classes;
}

export async function build(store: Store, policy: LoadedPolicy, input: Omit<CreateReleaseInput, 'site' | 'from' | 'to'> & Partial<CreateReleaseInput>, options: BuildOptions = {}) {
  const created = await createRelease(store.db, policy, { ...range(30), ...input }, staff, START + 40 * DAY, options);
  const jsonl = created.files.find((f) => f.name.endsWith('.jsonl'))!;
  const csv = created.files.find((f) => f.name.endsWith('.csv'))!;
  const manifest = created.files.find((f) => f.name.endsWith('.manifest.json'))!;
  return { ...created, dataset: parseJsonLines(jsonl.content), csv, jsonl, manifest };
}
