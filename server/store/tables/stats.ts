/** Row types of the stats tables (their migration: server/store/migrations/2026-11-23-stats.ts). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface StatsTables {}
