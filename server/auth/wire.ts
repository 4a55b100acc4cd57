/** The sign-in and shared-link answers the dashboard reads (type-only: nothing here runs server code). */
export type { Me } from './index.ts';
export type { PublicSharedLink } from './shared-links.ts';
