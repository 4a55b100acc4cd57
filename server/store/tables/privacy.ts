/** Row types of the privacy-office tables (their migration: server/store/migrations/2026-11-24-privacy.ts). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PrivacyTables {}
