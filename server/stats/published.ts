import { OTHER, protectDay, sumRows } from './cell-suppression.ts';
import { dailyBreakdown, dailyTotals } from './daily.ts';
import type { ParsedDimension } from './dimensions.ts';
import type { NoiseSource } from './noise.ts';
import { previousRange, type Range } from './period.ts';
import type { BreakdownItem, StatsContext, Summary } from './queries.ts';
import { addTotals, item, zero } from './queries.ts';
import type { BreakdownRow, BreakdownValue, Totals } from './raw-queries.ts';
import { ROLLUP_DELAY_MS } from './rollups.ts';
import { addDays, localDay } from '../time.ts';

/**
 * Statistics that leave the building (shared links, published exports). Every figure is a sum of
 * published day cells — a local day's totals, or a day's row of one dimension — and each day cell is
 * either shown or withheld the same way whatever was asked. Two overlapping queries therefore differ by a
 * sum of shown cells: a withheld cell cannot be recovered by differencing, nor from a total.
 *
 * - k mode (default): a day whose visitors are 1..k−1 is withheld whole; a dimension's cells below k are
 *   pooled into "(other)" with secondary suppression (cell-suppression.ts).
 * - differential-privacy mode (policy.statistics.differentialPrivacy): each day cell gets Laplace noise
 *   keyed to the cell (noise.ts), a value is shown only when its noisy visitor count reaches k (the rest
 *   pools into "(other)"), visit durations are not published.
 * Visitors over several days are the sum of each day's unique visitors (a visitor on three days counts
 * three times): unique counts over a range would let two ranges be differenced.
 */
export interface PublishRules {
  k: number;
  /** the current instant: days not complete by then are not published */
  now: number;
  dp?: { epsilon: number; noise: NoiseSource };
}

export type PublishedSummary = Omit<Summary, 'visitDuration'> & {
  /** mean visit length in seconds; null in differential-privacy mode */
  visitDuration: number | null;
};
export type Withheld = { suppressed: true };
export type PublishedValue = PublishedSummary | Withheld;
export type PublishedPoint = (PublishedSummary & { date: string }) | (Withheld & { date: string });

const noisyMetrics = ['visitors', 'visits', 'pageviews', 'events', 'bounces'] as const;

function noisy<T extends Totals | BreakdownRow>(row: T, cell: string, dp: NonNullable<PublishRules['dp']>): T {
  // the budget of one day cell is split over the metrics it publishes
  const scale = noisyMetrics.length / dp.epsilon;
  const out = { ...row, duration: 0 };
  for (const m of noisyMetrics) out[m] = Math.max(0, Math.round(row[m] + dp.noise.laplace(`${cell}|${m}`, scale)));
  out.bounces = Math.min(out.bounces, out.visits);
  return out;
}

/**
 * Each day's totals as published: withheld days (1..k−1 visitors) are absent and counted, and so are days
 * not complete yet (their last visits may still be going on). A growing day is never published: two
 * readings of it would differ by exactly the visits made in between, however few — and with noise, which
 * never changes for a cell, the difference would be exact too.
 */
async function publishedDays(ctx: StatsContext, range: Range, rules: PublishRules): Promise<{ days: Map<string, Totals>; withheld: Set<string>; pending: Set<string> }> {
  const days = new Map<string, Totals>();
  const withheld = new Set<string>();
  const pending = new Set<string>();
  const firstOpen = localDay(rules.now - ROLLUP_DELAY_MS, range.tz);
  for (const [day, t] of await dailyTotals(ctx, range)) {
    if (day >= firstOpen) pending.add(day);
    else if (rules.dp) days.set(day, noisy(t, `${ctx.site}|${day}|`, rules.dp));
    else if (t.visitors > 0 && t.visitors < rules.k) withheld.add(day);
    else days.set(day, t);
  }
  return { days, withheld, pending };
}

function summarize(t: Totals, rules: PublishRules): PublishedSummary {
  const per = (n: number) => (t.visits ? n / t.visits : 0);
  return {
    visitors: t.visitors,
    visits: t.visits,
    pageviews: t.pageviews,
    viewsPerVisit: Math.round(per(t.pageviews) * 100) / 100,
    bounceRate: Math.round(per(t.bounces) * 100),
    visitDuration: rules.dp ? null : Math.round(per(t.duration) / 1000),
  };
}

function rangeValue(days: Map<string, Totals>, held: Set<string>, rules: PublishRules): PublishedValue {
  const t = [...days.values()].reduce(addTotals, zero);
  return t.visitors === 0 && held.size ? { suppressed: true } : summarize(t, rules);
}

const union = (a: Set<string>, b: Set<string>) => new Set([...a, ...b]);

export interface PublishedSummaryReport {
  range: { from: string; to: string; tz: string };
  current: PublishedValue;
  previous: PublishedValue;
  /** days left out of the sums because they had fewer than k visitors */
  withheldDays: { current: number; previous: number };
  /** days left out because they are not complete yet (today, and yesterday for its first half hour) */
  pendingDays: { current: number; previous: number };
}

export async function publishedSummary(ctx: StatsContext, range: Range, rules: PublishRules): Promise<PublishedSummaryReport> {
  const [cur, prev] = await Promise.all([publishedDays(ctx, range, rules), publishedDays(ctx, previousRange(range), rules)]);
  return {
    range: { from: range.fromDay, to: range.toDay, tz: range.tz },
    current: rangeValue(cur.days, union(cur.withheld, cur.pending), rules),
    previous: rangeValue(prev.days, union(prev.withheld, prev.pending), rules),
    withheldDays: { current: cur.withheld.size, previous: prev.withheld.size },
    pendingDays: { current: cur.pending.size, previous: prev.pending.size },
  };
}

export type PublishedInterval = 'day' | 'week' | 'month';

/** Series of whole local days, or of weeks (from Monday) and months made of them. */
export async function publishedTimeseries(ctx: StatsContext, range: Range, interval: PublishedInterval, rules: PublishRules): Promise<PublishedPoint[]> {
  const published = await publishedDays(ctx, range, rules);
  const { days } = published;
  const withheld = union(published.withheld, published.pending);
  const buckets = new Map<string, { days: Map<string, Totals>; withheld: Set<string> }>();
  for (let day = range.fromDay; day <= range.toDay; day = addDays(day, 1)) {
    const label = interval === 'day' ? day : interval === 'month' ? `${day.slice(0, 8)}01` : addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
    let b = buckets.get(label);
    if (!b) buckets.set(label, (b = { days: new Map(), withheld: new Set() }));
    const t = days.get(day);
    if (t) b.days.set(day, t);
    if (withheld.has(day)) b.withheld.add(day);
  }
  return [...buckets].map(([date, b]) => ({ date, ...rangeValue(b.days, b.withheld, rules) }));
}

/** A dimension's values over the range: sums of each day's shown cells, the rest in "(other)". */
export async function publishedBreakdown(ctx: StatsContext, range: Range, dim: ParsedDimension, rules: PublishRules, limit: number): Promise<BreakdownItem[]> {
  const [published, cellsByDay] = await Promise.all([publishedDays(ctx, range, rules), dailyBreakdown(ctx, range, dim)]);
  const withheld = union(published.withheld, published.pending);
  const sums = new Map<BreakdownValue, BreakdownRow>();
  const others: BreakdownRow[] = [];
  for (const [day, cells] of cellsByDay) {
    if (withheld.has(day)) continue;
    let shown: BreakdownRow[];
    if (rules.dp) {
      const dp = rules.dp;
      // only values that occurred have a cell, so even a closed list's rare value (a country seen once) must
      // clear the threshold: otherwise its mere presence would tell that someone came from there
      const noisyCells = cells.map((c) => noisy(c, `${ctx.site}|${day}|${dim.name}|${c.value ?? ''}`, dp));
      shown = noisyCells.filter((c) => c.visitors >= rules.k);
      others.push(...noisyCells.filter((c) => c.visitors < rules.k));
    } else {
      const p = protectDay(cells, rules.k, OTHER);
      shown = p.shown;
      if (p.other) others.push(p.other);
    }
    for (const c of shown) sums.set(c.value, sumRows(c.value, [sums.get(c.value) ?? sumRows(c.value, []), c]));
  }
  const sorted = [...sums.values()].sort((a, b) => b.visitors - a.visitors || b.visits - a.visits || String(a.value).localeCompare(String(b.value)));
  const other = sumRows(OTHER, [...others, ...sorted.slice(limit)]);
  const rows = other.visitors > 0 ? [...sorted.slice(0, limit), other] : sorted.slice(0, limit);
  return rows.map((r) => item(r, dim.level === 'session', !rules.dp));
}
