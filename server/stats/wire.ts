/**
 * The stats API's part of the contract with the browser: the answer types the dashboard reads and the
 * values it shares with the server. Plain values and type-only exports: nothing here runs server code.
 */

/** The row that pools what may not be shown on its own; the dashboards label it in the reader's language. */
export const OTHER = '(other)';

export type { Dimension, EventDimension, SessionDimension } from './dimensions.ts';
export type { Period } from './period.ts';
export type { PublishedPoint, PublishedValue } from './published.ts';
export type { BreakdownItem, Interval, Realtime, Summary, SummaryReport, TimeseriesPoint } from './queries.ts';
