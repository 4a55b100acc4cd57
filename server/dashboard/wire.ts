/** The dashboard's own API answers (type-only). */
export type { SiteInfo } from '../store/sites.ts';
export type { SitesApp } from './sites-routes.ts';
