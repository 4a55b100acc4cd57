/** Rollups (server/jobs/rollup.ts): what the stats API reads instead of raw events for closed hours. */
export interface StatsHourlyTable {
  site_id: string;
  /** UTC hour start, ms */
  hour: number;
  /** distinct visitors whose visits started in this hour */
  visitors: number;
  /** of those, the ones not seen earlier that local day: a day's hours add up to its unique visitors */
  day_visitors: number;
  visits: number;
  pageviews: number;
  bounces: number;
  /** summed visit durations, ms */
  duration: number;
  events: number;
}

export interface StatsDimsHourlyTable {
  site_id: string;
  hour: number;
  dimension: string;
  /** '' stands for "none" (direct traffic, unknown country…) */
  value: string;
  /** visitors first seen with this value that local day in this hour */
  visitors: number;
  visits: number;
  pageviews: number;
  events: number;
  bounces: number;
  duration: number;
}

export interface StatsDailyTable {
  site_id: string;
  /** local day in the site's zone, YYYY-MM-DD */
  day: string;
  /** HyperLogLog of the day's visitor ids (base64), for unique visitors over many days */
  hll: string;
}

export interface StatsStateTable {
  site_id: string;
  /** every hour before this instant is rolled up */
  rolled_until: number;
  /** stats_seen holds the pairs of the local day up to this instant (null: nothing yet) */
  seen_until: number | null;
}

/**
 * Visitors already counted on the current local day, per dimension value ('' for the totals): the rollup
 * counts an hour's visitors against it. Only the day being rolled up is kept.
 */
export interface StatsSeenTable {
  site_id: string;
  day: string;
  /** a rolled dimension's name, or '' for all visitors */
  dimension: string;
  /** '' stands for "none" */
  value: string;
  visitor_id: string;
}

export interface StatsTables {
  stats_hourly: StatsHourlyTable;
  stats_dims_hourly: StatsDimsHourlyTable;
  stats_daily: StatsDailyTable;
  stats_state: StatsStateTable;
  stats_seen: StatsSeenTable;
}
