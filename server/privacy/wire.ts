/**
 * The privacy office's part of the contract with the dashboard: plain values and types only (no zod, no
 * kysely, nothing with runtime dependencies), so the browser bundle can import them.
 */
import type { CaseChannel, CaseStatus, CheckStatus, IdentityMethod, IdentityStatus } from '../store/tables/privacy.ts';

/**
 * The zone the privacy office counts its calendar in: case letters date their days here, and the dashboard
 * shows, defaults and sends the days of cases, the provision register, receipts and the audit log in it
 * (never the browser's zone, which may be a day behind or ahead).
 */
export const OFFICE_TIME_ZONE = 'Asia/Tokyo';

export type { RequestType } from '../../policy/wire.ts';
export type { CaseChannel, CaseStatus, CheckStatus, IdentityMethod, IdentityStatus };

/** received → verifying → awaiting_fee → in_progress → answered | refused */
export const caseStatuses = ['received', 'verifying', 'awaiting_fee', 'in_progress', 'answered', 'refused'] as const satisfies readonly CaseStatus[];
export const caseChannels = ['email', 'mail', 'form'] as const satisfies readonly CaseChannel[];
export const identityStatuses = ['pending', 'verified', 'failed', 'not_required'] as const satisfies readonly IdentityStatus[];
export const identityMethods = ['document', 'cookie'] as const satisfies readonly IdentityMethod[];
export const checkStatuses = ['pending', 'verified', 'failed'] as const satisfies readonly CheckStatus[];
export const noticeLanguages = ['ja', 'en'] as const;

/** Which status may follow which. Guards on top: see server/privacy/cases.ts `transitionProblem`. */
export const transitions: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  received: ['verifying', 'in_progress', 'refused'],
  verifying: ['awaiting_fee', 'in_progress', 'refused'],
  awaiting_fee: ['in_progress', 'refused'],
  in_progress: ['answered', 'refused'],
  answered: [],
  refused: [],
};

export const closedStatuses: ReadonlySet<CaseStatus> = new Set<CaseStatus>(['answered', 'refused']);

/** The longest text each field of a case or a provision takes, in characters (the server's bodies check them). */
export const textLimits = { name: 200, contact: 500, summary: 2000, answerNote: 4000, recipientName: 200, address: 500, representative: 200, note: 2000 } as const;

/** Largest case document accepted, in bytes (a scanned form or a photo of an identity card). */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
export const documentMediaTypes = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp', 'image/heic', 'text/plain'] as const;
export type DocumentMediaType = (typeof documentMediaTypes)[number];

/** The provision register's legal ground that needs a record of how consent was confirmed. */
export const CONSENT_GROUND = 'consent';

/** The privacy office's answers, as the dashboard reads them (type-only). */
export type { CaseDeletion } from './case-actions.ts';
export type { CaseDocumentView } from './cases.ts';
export type { AuditEntryView, AuditPage, CaseDetail, CaseView, ProvisionView } from './index.ts';
export type { PrivacyPolicyView } from './staff-routes.ts';
export type { ChainReport } from '../store/hash-chain.ts';
