/** Row types of the consent tables (their migration: server/store/migrations/2026-11-23-consent.ts). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ConsentTables {}
