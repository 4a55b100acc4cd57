/** The dashboard's own API answers (type-only). */
export type { SiteInfo } from '../ingest/sites.ts';
export type { SitesApp } from './sites-routes.ts';
