/**
 * What ends a visit: this long without activity. The privacy notice states it (what a consent change during
 * a visit links) and the ingest applies it (server/ingest/sessions.ts), so the two cannot drift apart.
 */
export const VISIT_IDLE_MINUTES = 30;
