// The dashboard still reads the site type from here; it moves to a wire.ts with issue 12's browser contract.
export type { SiteInfo } from '../store/sites.ts';
