/**
 * The stats API's part of the contract with the browser: the answer types the dashboard reads and the
 * values it shares with the server. Plain values and type-only exports: nothing here runs server code.
 */
import type { Dimension } from './dimensions.ts';
import type { PublishedInterval, PublishedPoint, PublishedSummaryReport } from './published.ts';
import type { BreakdownItem } from './queries.ts';

/** The row that pools what may not be shown on its own; the dashboards label it in the reader's language. */
export const OTHER = '(other)';

export type { Dimension, EventDimension, SessionDimension } from './dimensions.ts';
export type { Period } from './period.ts';
export type { PublishedPoint, PublishedValue } from './published.ts';
export type { BreakdownItem, Interval, Realtime, Summary, SummaryReport, TimeseriesPoint } from './queries.ts';

// ---- a shared link's answers (/api/shared/<token>/…): published statistics only, declared once here ----

/** How the numbers were protected: a minimum cell size with secondary suppression, or differential privacy. */
export type PublishMethod = { method: 'minimum-cell-size' } | { method: 'differential-privacy'; epsilon: number };

/** GET /api/shared/<token>/summary. Visitors over several days are each day's unique visitors added up. */
export type SharedSummaryReport = PublishMethod & PublishedSummaryReport & { site: string; minCellSize: number; visitorsAre: 'daily-unique-summed' };

/** GET /api/shared/<token>/timeseries */
export type SharedTimeseries = PublishMethod & { interval: PublishedInterval; minCellSize: number; points: PublishedPoint[] };

/** GET /api/shared/<token>/breakdown/<dimension> */
export type SharedBreakdown = PublishMethod & { dimension: Dimension; minCellSize: number; items: BreakdownItem[] };
