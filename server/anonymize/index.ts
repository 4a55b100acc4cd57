/** The anonymize module's public surface: what app.ts, the CLI and the dashboard's types use. */
export { anonymizeRoutes, type AnonymizeDeps, type ReleaseColumnsView } from './routes.ts';
export { publishedDatasets } from './register.ts';
export { exportAnonymizedCommand } from './cli.ts';
export type { ReleaseView, ReleaseFileView, CreateReleaseInput } from './releases.ts';
export type { NoticeView, DisclosureView, NoticeInput, DisclosureInput } from './publication.ts';
export type { MethodSummary, RiskReport } from './build.ts';
