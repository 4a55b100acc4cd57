/**
 * The expected figures, worked out from the script by the rules a reader of the docs would apply, without
 * any of the server's code: a visit is one browser's events with gaps under 30 minutes; a visitor is a
 * cookie id, or a cookieless hash of one local day (its salt), and a consent choice mid-visit keeps the
 * visit's one visitor (a withdrawal moves it to the hash); visits count on the day they begin, visitors,
 * page views and events at their own time.
 */
// the report shapes are the API's (types only: every figure below is worked out here)
import type { BreakdownItem as Item, Summary } from '../../../server/stats/queries.ts';
import { countryOf, HOUR, MIN, type ScriptEvent, type SiteSpec } from './script.ts';

export type { Item, Summary };

export type Value = string | number | boolean | null;

export interface Visit {
  seq: number;
  visitor: string;
  events: ScriptEvent[];
  start: number;
  end: number;
  attrs: Record<string, string | null>;
  pageviews: number;
  customs: number;
}

export interface Filter {
  dim: string;
  op: 'is' | 'is_not';
  value: string;
}

// ---- calendar, from Intl alone

const parts = (t: number, tz: string) => {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
  return { day: `${p.year}-${p.month}-${p.day}`, hour: p.hour!, minute: p.minute! };
};

export const dayOf = (t: number, tz: string) => parts(t, tz).day;

/** The instant a local day begins: the one offset (in quarter hours) at which that instant reads 00:00 there. */
export function midnight(day: string, tz: string): number {
  const naive = Date.parse(`${day}T00:00:00Z`);
  for (let q = -14 * 4; q <= 14 * 4; q++) {
    const t = naive - q * 15 * MIN;
    const p = parts(t, tz);
    if (p.day === day && p.hour === '00' && p.minute === '00') return t;
  }
  throw new Error(`no midnight for ${day} in ${tz}`);
}

export function nextDay(day: string, n = 1): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// ---- visits

const deviceOf = (width: number) => (width < 576 ? 'mobile' : width < 992 ? 'tablet' : 'desktop');
const bare = (h: string) => h.replace(/^www\./, '');

function sourceOf(e: ScriptEvent): string | null {
  if (!e.referrer) return null;
  const host = new URL(e.referrer).hostname;
  return e.site.hosts.some((h) => bare(h) === bare(host)) ? null : host;
}

/** A visitor's key: their cookie, or their browser's hash of one local day. */
const hashVisitor = (e: ScriptEvent) => `${e.person}#hash#${dayOf(e.at, e.site.timezone)}`;

export function visitsOf(events: readonly ScriptEvent[]): Visit[] {
  const byBrowser = new Map<string, ScriptEvent[]>();
  for (const e of events) {
    const k = `${e.site.id}|${e.person}`;
    byBrowser.set(k, [...(byBrowser.get(k) ?? []), e]);
  }
  const visits: Visit[] = [];
  for (const list of byBrowser.values()) {
    let current: ScriptEvent[] = [];
    const close = () => {
      if (!current.length) return;
      const first = current[0]!;
      const withdrawal = current.find((e, i) => !e.cookie && current.slice(0, i).some((x) => x.cookie));
      const visitor = withdrawal ? hashVisitor(withdrawal) : first.cookie ? `${first.person}#cookie` : hashVisitor(first);
      const views = current.filter((e) => !e.name);
      visits.push({
        seq: visits.length,
        visitor,
        events: current,
        start: first.at,
        end: current.at(-1)!.at,
        attrs: {
          country: countryOf[first.peer] ?? null,
          device: deviceOf(first.width),
          source: sourceOf(first),
          entry_page: views[0]?.path ?? null,
          exit_page: views.at(-1)?.path ?? null,
        },
        pageviews: views.length,
        customs: current.length - views.length,
      });
      current = [];
    };
    for (const e of list) {
      if (current.length && e.at - current.at(-1)!.at >= 30 * MIN) close();
      current.push(e);
    }
    close();
  }
  return visits;
}

// ---- reports

const visitLevel = new Set(['country', 'device', 'source', 'entry_page', 'exit_page']);

function eventValue(e: ScriptEvent, dim: string): string | null {
  if (dim === 'page') return e.path;
  if (dim === 'event') return e.name ?? null;
  if (dim.startsWith('prop:')) {
    const v = e.props?.[dim.slice(5)];
    return v === undefined ? null : String(v);
  }
  throw new Error(dim);
}

const matches = (v: string | null, f: Filter) => (f.value === '(none)' ? (f.op === 'is') === (v === null) : f.op === 'is' ? v === f.value : v !== f.value);

export class Truth {
  readonly visits: Visit[];
  private readonly visitOf = new Map<ScriptEvent, Visit>();

  constructor(
    readonly site: SiteSpec,
    events: readonly ScriptEvent[],
  ) {
    this.visits = visitsOf(events.filter((e) => e.site === site));
    for (const v of this.visits) for (const e of v.events) this.visitOf.set(e, v);
  }

  private visitPasses(v: Visit, filters: readonly Filter[]) {
    return filters.every((f) => (visitLevel.has(f.dim) ? matches(v.attrs[f.dim]!, f) : v.events.some((e) => matches(eventValue(e, f.dim), { ...f, op: 'is' })) === (f.op === 'is')));
  }

  private eventPasses(e: ScriptEvent, filters: readonly Filter[]) {
    const v = this.visitOf.get(e)!;
    return filters.every((f) => (visitLevel.has(f.dim) ? matches(v.attrs[f.dim]!, f) : matches(eventValue(e, f.dim), f)));
  }

  private scope(from: number, to: number, filters: readonly Filter[]) {
    const visits = this.visits.filter((v) => v.start >= from && v.start < to && this.visitPasses(v, filters));
    const events = this.visits.flatMap((v) => v.events).filter((e) => e.at >= from && e.at < to && this.eventPasses(e, filters));
    return { visits, events };
  }

  range(fromDay: string, toDay: string) {
    return { from: midnight(fromDay, this.site.timezone), to: midnight(nextDay(toDay), this.site.timezone) };
  }

  summary(from: number, to: number, filters: readonly Filter[] = []): Summary {
    const { visits, events } = this.scope(from, to, filters);
    const pageviews = events.filter((e) => !e.name).length;
    const n = visits.length;
    const bounces = visits.filter((v) => v.pageviews <= 1 && v.customs === 0).length;
    const duration = visits.reduce((s, v) => s + v.end - v.start, 0);
    return {
      visitors: new Set(events.map((e) => this.visitOf.get(e)!.visitor)).size,
      visits: n,
      pageviews,
      viewsPerVisit: n ? Math.round((pageviews / n) * 100) / 100 : 0,
      bounceRate: n ? Math.round((bounces / n) * 100) : 0,
      visitDuration: n ? Math.round(duration / n / 1000) : 0,
    };
  }

  /** The summary report of whole local days, with the same number of days before it. */
  summaryReport(fromDay: string, toDay: string, filters: readonly Filter[] = []) {
    const len = Math.round((Date.parse(toDay) - Date.parse(fromDay)) / 86_400_000) + 1;
    const cur = this.range(fromDay, toDay);
    const prev = this.range(nextDay(fromDay, -len), nextDay(fromDay, -1));
    const current = this.summary(cur.from, cur.to, filters);
    const previous = this.summary(prev.from, prev.to, filters);
    const change = Object.fromEntries(
      (Object.keys(current) as (keyof Summary)[]).map((k) => [k, previous[k] ? Math.round(((current[k] - previous[k]) / previous[k]) * 100) : null]),
    );
    return { range: { from: fromDay, to: toDay, tz: this.site.timezone }, current, previous, change };
  }

  daily(fromDay: string, toDay: string, filters: readonly Filter[] = []) {
    const out = [];
    for (let d = fromDay; d <= toDay; d = nextDay(d)) {
      const r = this.range(d, d);
      out.push({ date: d, ...this.summary(r.from, r.to, filters) });
    }
    return out;
  }

  hourly(day: string) {
    const out = [];
    const { from, to } = this.range(day, day);
    for (let t = from; t < to; t += HOUR) {
      const p = parts(t, this.site.timezone);
      out.push({ date: `${p.day}T${p.hour}:00`, ...this.summary(t, t + HOUR) });
    }
    return out;
  }

  breakdown(dim: string, from: number, to: number, filters: readonly Filter[] = []): Item[] {
    const { visits, events } = this.scope(from, to, filters);
    const rows = new Map<string, Item & { ids: Set<string>; seqs: Set<number>; bounces: number; duration: number }>();
    const row = (value: Value) => {
      const k = JSON.stringify(value);
      let r = rows.get(k);
      if (!r) rows.set(k, (r = { value, visitors: 0, visits: 0, pageviews: 0, events: 0, bounceRate: null, visitDuration: null, ids: new Set(), seqs: new Set(), bounces: 0, duration: 0 }));
      return r;
    };
    if (visitLevel.has(dim)) {
      for (const v of visits) {
        const r = row(v.attrs[dim]!);
        r.visits++;
        if (v.pageviews <= 1 && v.customs === 0) r.bounces++;
        r.duration += v.end - v.start;
      }
      for (const e of events) {
        const v = this.visitOf.get(e)!;
        const r = row(v.attrs[dim]!);
        r.ids.add(v.visitor);
        if (e.name) r.events++;
        else r.pageviews++;
      }
    } else {
      for (const e of events) {
        if (dim === 'page' ? e.name : !e.name) continue;
        const v = this.visitOf.get(e)!;
        const r = row(dim === 'page' ? e.path : dim === 'event' ? e.name! : (e.props?.[dim.slice(5)] ?? null));
        r.ids.add(v.visitor);
        r.seqs.add(v.seq);
        if (e.name) r.events++;
        else r.pageviews++;
      }
    }
    return [...rows.values()]
      .map((r) => {
        const item: Item = {
          value: r.value,
          visitors: r.ids.size,
          visits: visitLevel.has(dim) ? r.visits : r.seqs.size,
          pageviews: r.pageviews,
          events: r.events,
          bounceRate: visitLevel.has(dim) && r.visits ? Math.round((r.bounces / r.visits) * 100) : null,
          visitDuration: visitLevel.has(dim) && r.visits ? Math.round(r.duration / r.visits / 1000) : null,
        };
        return item;
      })
      .sort(byRank);
  }

  /** Visitors with an event in the last five minutes; pages viewed in the last 30. */
  realtime(now: number) {
    const recent = this.visits.flatMap((v) => v.events.filter((e) => e.at >= now - 5 * MIN && e.at <= now).map(() => v.visitor));
    return { visitors: new Set(recent).size, pages: this.breakdown('page', now - 30 * MIN, now + 1).slice(0, 10) };
  }
}

/** The documented order of a breakdown: visitors, then visits, then page views and events, then the value. */
export function byRank(a: Item, b: Item): number {
  const key = (v: Value) => (v === null ? '' : String(v));
  return b.visitors - a.visitors || b.visits - a.visits || b.pageviews + b.events - (a.pageviews + a.events) || (a.value === null ? -1 : b.value === null ? 1 : key(a.value) < key(b.value) ? -1 : key(a.value) > key(b.value) ? 1 : 0);
}
