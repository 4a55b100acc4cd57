/** The privacy module's public surface: what app.ts, runtime.ts, the CLI, the jobs and auth use. */
export { privacyRoutes, type PrivacyDeps } from './routes.ts';
export { myDataRoutes, type MyDataDeps } from './my-data-routes.ts';
export { privacyStaffRoutes, type PrivacyStaffDeps } from './staff-routes.ts';
export {
  actorOf,
  audit,
  auditPolicyRevision,
  cliActor,
  purgeExpiredAudit,
  systemActor,
  verifyAuditLog,
  type AuditActor,
  type AuditDetails,
} from './audit.ts';
export { loadSuppressions, type SuppressionList } from './suppressions.ts';
export { auditVerifyCommand } from './cli.ts';
export { deleteVisitorData, findVisitorData, type VisitorData, type VisitorKeys } from './visitor-data.ts';
export type { MyDataDeleted, MyDataRequest, MyDataSuspended, MyDataView, MyDataWithdrawn } from './my-data-wire.ts';
export type { CaseDetail, CaseView } from './cases.ts';
export type { ProvisionView } from './provisions.ts';
export type { AuditEntryView, AuditPage } from './audit-log.ts';
