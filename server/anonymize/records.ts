import { quasiIdentifiers, type DatasetLevel } from '../../policy/dataset-columns.ts';
import type { AnonymizationPolicy } from '../../policy/schema.ts';
import { browserFamily, osFamily, sectionOf, sourceOf, timeBucketer, topCode } from './generalize.ts';
import { looksLikeIdentifier } from './identifier-like.ts';
import type { SourceEvent } from './source.ts';

/**
 * Raw events → dataset records, already coarsened (generalize.ts). A record knows its visitor only as an
 * index into `visitors`; the raw id is replaced by the release key when the files are written. Standard 1:
 * names and e-mails are never collected; free text (titles, props) is kept only where the policy allows it,
 * and never when it looks like an identifier.
 */

export type Cell = string | number | null;

export interface DatasetRecord {
  /** index into the shaper's visitors: counts distinct visitors per class */
  visitor: number;
  ts: number;
  /** the quasi-identifiers in `quasiIdentifiers` order; '' when unknown. Mutated as classes are generalized */
  qi: string[];
  /** every other column */
  values: Record<string, Cell>;
}

interface VisitAcc {
  visitor: number;
  first: number;
  last: number;
  qi: string[];
  pageviews: number;
  events: number;
}

export interface ShapeOptions {
  level: DatasetLevel;
  timeZone: string;
  policy: AnonymizationPolicy;
}

const MAX_TEXT = 128;
const freeText = (value: unknown): string | null => {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return null;
  const s = String(value).trim().slice(0, MAX_TEXT);
  return s && !looksLikeIdentifier(s) ? s : null;
};

function allowedProps(raw: string | null, keys: readonly string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  let parsed: Record<string, unknown> = {};
  try {
    parsed = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  } catch {
    // a props cell that is not JSON contributes nothing
  }
  for (const key of keys) out[`prop:${key}`] = freeText(parsed[key]);
  return out;
}

export function createRecordShaper({ level, timeZone, policy }: ShapeOptions) {
  const bucket = timeBucketer(timeZone, policy.time);
  const visitorIndex = new Map<string, number>();
  const visits = new Map<string, VisitAcc>();
  const records: DatasetRecord[] = [];

  const visitorOf = (id: string) => {
    let i = visitorIndex.get(id);
    if (i === undefined) visitorIndex.set(id, (i = visitorIndex.size));
    return i;
  };

  /** A visit's quasi-identifiers come from its first event (events arrive in time order). */
  const visitOf = (e: SourceEvent): VisitAcc => {
    let v = visits.get(e.session_id);
    if (!v) {
      const qi: Record<(typeof quasiIdentifiers)[number], string | null> = {
        time: bucket(e.ts),
        device: e.device,
        country: e.country,
        browser: browserFamily(e.browser),
        os: osFamily(e.os),
        entry_section: sectionOf(e.path),
        source: sourceOf(e.referrer_host, e.utm_source),
      };
      v = { visitor: visitorOf(e.visitor_id), first: e.ts, last: e.ts, qi: quasiIdentifiers.map((q) => qi[q] ?? ''), pageviews: 0, events: 0 };
      visits.set(e.session_id, v);
    }
    return v;
  };

  return {
    add(page: readonly SourceEvent[]): void {
      for (const e of page) {
        const v = visitOf(e);
        v.last = e.ts;
        if (e.type === 'pageview') v.pageviews++;
        else v.events++;
        if (level !== 'pageview') continue;
        const qi = [...v.qi];
        qi[0] = bucket(e.ts);
        records.push({
          visitor: v.visitor,
          ts: e.ts,
          qi,
          values: {
            type: e.type,
            section: sectionOf(e.path),
            event: e.type === 'event' ? freeText(e.name) : null,
            ...(policy.titles ? { title: freeText(e.title) } : {}),
            ...allowedProps(e.type === 'event' ? e.props : null, policy.props),
          },
        });
      }
    },

    /** The records, and the raw visitor ids by index (to be keyed, then dropped). */
    finish(): { records: DatasetRecord[]; visitorIds: string[] } {
      if (level === 'session') {
        for (const v of visits.values()) {
          records.push({
            visitor: v.visitor,
            ts: v.first,
            qi: v.qi,
            values: {
              pageviews: topCode(v.pageviews, policy.topCode),
              events: topCode(v.events, policy.topCode),
              duration_min: topCode(Math.round((v.last - v.first) / 60_000), policy.durationTopMinutes),
            },
          });
        }
      }
      visits.clear();
      const visitorIds = [...visitorIndex.keys()];
      visitorIndex.clear();
      return { records, visitorIds };
    },
  };
}

/**
 * Orders each visitor's records in time, numbers them (`seq`) and leaves out those past the cap (standard
 * 5: a long sequence is itself a fingerprint). Returns the kept records and how many were left out.
 */
export function capSequences(records: readonly DatasetRecord[], max: number): { kept: DatasetRecord[]; dropped: number } {
  const sorted = [...records].sort((a, b) => a.visitor - b.visitor || a.ts - b.ts);
  const kept: DatasetRecord[] = [];
  let current = -1;
  let n = 0;
  for (const r of sorted) {
    n = r.visitor === current ? n + 1 : 1;
    current = r.visitor;
    if (n > max) continue;
    r.values.seq = n;
    kept.push(r);
  }
  return { kept, dropped: records.length - kept.length };
}
