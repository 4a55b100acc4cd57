import type { Kysely } from 'kysely';
import { isQuasiIdentifier, quasiIdentifiers, type DatasetLevel, type QuasiIdentifier } from '../../policy/dataset-columns.ts';
import type { AnonymizationPolicy } from '../../policy/schema.ts';
import type { Database } from '../store/schema.ts';
import { classReport, classSetReport, enforceK, generalizeRareQuasiIdentifiers, generalizeRareValues, type ClassReport } from './k-anonymity.ts';
import { enforceLinkedPairs } from './linked-pairs.ts';
import { capSequences, createRecordShaper, type DatasetRecord } from './records.ts';
import { createReleaseKeyer } from './release-key.ts';
import { countSourceEvents, readSourceEvents, type SourceRange } from './source.ts';

/**
 * One dataset build, in memory: read → coarsen → cap sequences → rare quasi-identifier values → local
 * recoding and suppression to k → rare other values → key. The release key's salt exists only between the
 * last record read and the keys being drawn.
 */

export type Progress = (p: { step: string; done: number; total: number }) => void;

export interface BuildSpec extends SourceRange {
  level: DatasetLevel;
  /** the dataset's columns, already checked against what the policy allows */
  columns: readonly string[];
  timeZone: string;
  k: number;
  policy: AnonymizationPolicy;
}

/** How it was processed: rules and thresholds only, never a secret (the key's salt is gone anyway). */
export interface MethodSummary {
  level: DatasetLevel;
  timeZone: string;
  time: AnonymizationPolicy['time'];
  quasiIdentifiers: QuasiIdentifier[];
  k: number;
  generalization: Record<string, string>;
  rareValues: string;
  smallClasses: string;
  topCoding: Record<string, number>;
  maxRecordsPerVisitor: number;
  key: string;
}

export interface RiskReport {
  recordsBuilt: number;
  recordsReleased: number;
  visitors: number;
  /** records left out: past the sequence cap, for k per record, for k over pairs of a visitor's classes */
  suppressed: { sequenceCap: number; kAnonymity: number; linkage: number; share: number };
  generalized: { rareValues: Record<string, number>; smallClasses: Record<string, number> };
  classes: ClassReport;
  /**
   * visitors whose whole set of classes, linked by the key, fewer than k visitors share exactly (pairs are
   * held to k; longer combinations are only counted); 0 without the key
   */
  linkedVisitorsBelowK: number;
}

export interface BuiltDataset {
  records: DatasetRecord[];
  /** release key by visitor index */
  keys: string[];
  method: MethodSummary;
  risk: RiskReport;
  kAchieved: number | null;
}

export function methodSummary(spec: Pick<BuildSpec, 'level' | 'timeZone' | 'k' | 'policy' | 'columns'>): MethodSummary {
  const p = spec.policy;
  return {
    level: spec.level,
    timeZone: spec.timeZone,
    time: p.time,
    quasiIdentifiers: quasiIdentifiers.filter((q) => spec.columns.includes(q)),
    k: spec.k,
    generalization: {
      path: 'first path segment (section)',
      referrer: 'registrable domain, or the campaign source',
      browser: 'family without version',
      os: 'family without version',
      time: `${p.time} in the site's time zone`,
      freeText: 'titles and properties only where the policy allows them; identifier-like values removed',
    },
    rareValues: 'a value held by fewer than k visitors becomes (other); rare free text is removed',
    smallClasses: 'records of a class with fewer than k visitors take one generalization at a time, whichever leaves fewest records in small classes (time one level coarser: hour → day → ISO week → *; or source, entry section, OS, browser, country, device → *); what is still under k is suppressed',
    topCoding: spec.level === 'session' ? { pageviews: p.topCode, events: p.topCode, duration_min: p.durationTopMinutes } : {},
    maxRecordsPerVisitor: p.maxRecordsPerVisitor,
    key: 'per-release HMAC-SHA-256 of the visitor id under 32 random bytes drawn for this build and destroyed after it; with the key, every pair of classes one visitor has records in is shared by at least k visitors',
  };
}

const mergeCounts = (a: Record<string, number>, b: Record<string, number>) => {
  const out = { ...a };
  for (const [name, n] of Object.entries(b)) out[name] = (out[name] ?? 0) + n;
  return out;
};

const freeTextColumn = (c: string) => c === 'title' || c.startsWith('prop:');

export interface BuildOptions {
  onProgress?: Progress;
  /** see createReleaseKeyer */
  drawSalt?: () => Buffer;
}

export async function buildDataset(db: Kysely<Database>, spec: BuildSpec, { onProgress = () => {}, drawSalt }: BuildOptions = {}): Promise<BuiltDataset> {
  const total = await countSourceEvents(db, spec);
  const shaper = createRecordShaper({ level: spec.level, timeZone: spec.timeZone, policy: spec.policy });
  let read = 0;
  onProgress({ step: 'read events', done: 0, total });
  for await (const page of readSourceEvents(db, spec)) {
    shaper.add(page);
    read += page.length;
    onProgress({ step: 'read events', done: read, total });
  }
  const shaped = shaper.finish();
  const recordsBuilt = shaped.records.length;

  // Standard 3: draw the keys and destroy the salt before anything else happens; the raw ids go with it.
  const keyer = createReleaseKeyer(drawSalt);
  const keys = shaped.visitorIds.map((id) => keyer.key(id));
  keyer.destroy();
  shaped.visitorIds.length = 0;

  onProgress({ step: 'k-anonymity', done: 0, total: 1 });
  const capped = capSequences(shaped.records, spec.policy.maxRecordsPerVisitor);
  const active = new Set(quasiIdentifiers.filter((q) => spec.columns.includes(q)));
  const rareQi = generalizeRareQuasiIdentifiers(capped.kept, spec.k, active);
  const perRecord = enforceK(capped.kept, spec.k, active);
  // with the key released, records can be read together: pairs of a visitor's classes must be common too
  const linked = spec.columns.includes('key') ? enforceLinkedPairs(perRecord.kept, spec.k, active) : null;
  const k = {
    kept: linked?.kept ?? perRecord.kept,
    suppressed: perRecord.suppressed + (linked?.suppressedForK ?? 0),
    linkage: linked?.suppressed ?? 0,
    generalized: mergeCounts(perRecord.generalized, linked?.generalized ?? {}),
  };
  const others = spec.columns.filter((c) => !isQuasiIdentifier(c) && c !== 'key' && c !== 'seq' && !['pageviews', 'events', 'duration_min', 'type'].includes(c));
  const rareOther = generalizeRareValues(k.kept, spec.k, others, freeTextColumn);
  onProgress({ step: 'k-anonymity', done: 1, total: 1 });

  // Random keys first, then time: the file's order says nothing about the raw tables' order.
  const records = k.kept.sort((a, b) => (keys[a.visitor]! < keys[b.visitor]! ? -1 : keys[a.visitor]! > keys[b.visitor]! ? 1 : a.ts - b.ts));
  // numbered again after suppression: a gap in a visitor's sequence would tell that a record was left out
  records.forEach((r, i) => (r.values.seq = i > 0 && records[i - 1]!.visitor === r.visitor ? Number(records[i - 1]!.values.seq) + 1 : 1));
  const classes = classReport(records, spec.k);
  const suppressed = capped.dropped + k.suppressed + k.linkage;
  return {
    records,
    keys,
    method: methodSummary(spec),
    kAchieved: classes.min,
    risk: {
      recordsBuilt,
      recordsReleased: records.length,
      visitors: new Set(records.map((r) => r.visitor)).size,
      suppressed: { sequenceCap: capped.dropped, kAnonymity: k.suppressed, linkage: k.linkage, share: recordsBuilt ? Math.round((suppressed / recordsBuilt) * 10_000) / 10_000 : 0 },
      generalized: { rareValues: { ...rareQi, ...rareOther }, smallClasses: k.generalized },
      classes,
      linkedVisitorsBelowK: spec.columns.includes('key') ? classSetReport(records, spec.k).belowK : 0,
    },
  };
}
