import { toCsv } from './csv.ts';
import type { BreakdownItem } from './queries.ts';
import type { PublishedPoint } from './published.ts';

/** CSV of published statistics: withheld cells are empty, and say so in the `withheld` column. */
export function publishedSeriesCsv(points: readonly PublishedPoint[]): string {
  return toCsv(
    ['date', 'visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration_s', 'withheld'],
    points.map((p) =>
      'suppressed' in p ? [p.date, '', '', '', '', '', '', 'yes'] : [p.date, p.visitors, p.visits, p.pageviews, p.viewsPerVisit, p.bounceRate, p.visitDuration ?? '', ''],
    ),
  );
}

export function publishedBreakdownCsv(dimension: string, items: readonly BreakdownItem[]): string {
  return toCsv(
    [dimension, 'visitors', 'visits', 'pageviews', 'events', 'bounce_rate', 'visit_duration_s'],
    items.map((i) => [i.value ?? '(none)', i.visitors, i.visits, i.pageviews, i.events, i.bounceRate ?? '', i.visitDuration ?? '']),
  );
}
