/** Row types of the auth tables (their migration: server/store/migrations/2026-11-23-auth.ts). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AuthTables {}
