/**
 * The privacy office's part of the contract with the dashboard: plain values and types only (no zod, no
 * kysely, nothing with runtime dependencies), so the browser bundle can import them.
 */

/**
 * The zone the privacy office counts its calendar in: case letters date their days here, and the dashboard
 * shows, defaults and sends the days of cases, the provision register, receipts and the audit log in it
 * (never the browser's zone, which may be a day behind or ahead).
 */
export const OFFICE_TIME_ZONE = 'Asia/Tokyo';
