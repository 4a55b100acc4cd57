import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { LoadedPolicy } from '../../policy/load.ts';
import type { Policy, PolicyItem } from '../../policy/schema.ts';
import { requireScope } from '../auth/index.ts';
import type { AppEnv } from '../env.ts';
import type { SessionTracker } from '../ingest/sessions.ts';
import type { ApiError } from '../ingest/wire.ts';
import type { Database } from '../store/schema.ts';
import type { ChainReport } from '../store/hash-chain.ts';
import { actorOf, audit, verifyAuditLog } from './audit.ts';
import { auditQuery, listAudit, type AuditPage } from './audit-log.ts';
import { deleteForCase, exportForCase, suspendForCase, type CaseDeletion } from './case-actions.ts';
import { addDocument, documentBody, MAX_DOCUMENT_BODY, readDocument } from './case-documents.ts';
import { buildLetter, letterHtml, letterText } from './case-letter.ts';
import {
  addLinks,
  caseListQuery,
  createCase,
  createCaseBody,
  getCase,
  linkBody,
  listCases,
  transitionBody,
  transitionCase,
  updateCase,
  updateCaseBody,
  type CaseDetail,
  type CaseView,
} from './cases.ts';
import { attachment, idParam, jsonBody, PrivacyError, queryOf, refusal } from './http.ts';
import { exportToRecipient, thirdPartyExportBody } from './provision-exports.ts';
import { createProvision, getProvision, listProvisions, provisionBody, type ProvisionView } from './provisions.ts';
import type { SuppressionList } from './suppressions.ts';
import { deletionLogView, type DeletionLogView } from './visitor-data.ts';
import type { ExportFile } from './visitor-export.ts';
import type { EventStore } from '../store/events/event-store.ts';

export interface PrivacyStaffDeps {
  db: Kysely<Database>;
  policy: LoadedPolicy;
  clock: () => number;
  suppressions: SuppressionList;
  sessions?: SessionTracker | undefined;
  events?: EventStore | undefined;
}

/** Reads need privacy:read, everything else privacy:write: privacy staff and admins, or tokens so scoped. */
const read = requireScope('privacy:read');
const write = requireScope('privacy:write');
const privacyGuard: MiddlewareHandler<AppEnv> = (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? read(c, next) : write(c, next));

const smallBody = bodyLimit({
  maxSize: 64 * 1024,
  onError: (c) => c.json<ApiError, 413>({ error: 'payload_too_large', message: 'at most 64 KB' }, 413),
});
const documentLimit = bodyLimit({
  maxSize: MAX_DOCUMENT_BODY + 1024,
  onError: (c) => c.json<ApiError, 413>({ error: 'document_too_large', message: `a document may be at most ${MAX_DOCUMENT_BODY} bytes of base64` }, 413),
});

const formatQuery = z.strictObject({ format: z.enum(['json', 'csv']).default('json') });
const letterQuery = z.strictObject({ lang: z.enum(['ja', 'en']).optional(), format: z.enum(['html', 'text']).default('html') });
const linksBody = z.strictObject({ links: z.array(linkBody).min(1).max(20) });
const deletionsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) });

function sendFile(c: Context, file: ExportFile) {
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Content-Type', file.contentType);
  c.header('X-Export-Sha256', file.sha256);
  attachment(c, file.fileName);
  return c.body(file.body, 200);
}

/**
 * The privacy office's API (the dashboard's privacy pages use it): cases, their documents, actions and
 * answer letters; the register of provision to third parties and exports made under it; the deletion log;
 * the audit log and its verification. Mount with `app.route('/', privacyStaffRoutes(deps))`.
 */
/** The parts of the policy the privacy office works with (request handling and third-party provision). */
export interface PrivacyPolicyView {
  revision: string;
  requests: Pick<Policy['requests'], 'responseDays' | 'fees' | 'identityDocuments' | 'agentDocuments' | 'nonDisclosureReasons'>;
  legalGrounds: Policy['thirdPartyProvision']['legalGrounds'];
  items: Pick<PolicyItem, 'id' | 'label'>[];
}

export function privacyPolicyView({ policy: p, revision }: LoadedPolicy): PrivacyPolicyView {
  const { responseDays, fees, identityDocuments, agentDocuments, nonDisclosureReasons } = p.requests;
  return {
    revision,
    requests: { responseDays, fees, identityDocuments, agentDocuments, nonDisclosureReasons },
    legalGrounds: p.thirdPartyProvision.legalGrounds,
    items: p.items.map(({ id, label }) => ({ id, label })),
  };
}

export function privacyStaffRoutes(deps: PrivacyStaffDeps) {
  const { db, policy } = deps;
  const actions = { db, policy, suppressions: deps.suppressions, sessions: deps.sessions, events: deps.events };
  const caseDeps = { db, policy, hash: deps.suppressions.hash };
  const actor = (c: Context<AppEnv>) => actorOf(c.get('user')!);

  return (
    new Hono<AppEnv>()
      .use('/api/privacy/*', privacyGuard)
      .use('/api/privacy/*', (c, next) => {
        c.header('Cache-Control', 'no-store');
        return next();
      })

      // ---- what the forms offer: the policy's lists, as privacy staff need them
      .get('/api/privacy/policy', (c) => c.json<PrivacyPolicyView, 200>(privacyPolicyView(policy), 200))

      // ---- cases
      .get('/api/privacy/cases', queryOf(caseListQuery), async function listPrivacyCases(c) {
        return c.json<{ cases: CaseView[] }, 200>({ cases: await listCases(db, c.req.valid('query'), deps.clock()) }, 200);
      })
      .post('/api/privacy/cases', smallBody, jsonBody(createCaseBody), async function createPrivacyCase(c) {
        try {
          return c.json<CaseView, 201>(await createCase(caseDeps, c.req.valid('json'), actor(c), deps.clock()), 201);
        } catch (err) {
          return refusal(c, err);
        }
      })
      .get('/api/privacy/cases/:id', async function getPrivacyCase(c) {
        try {
          return c.json<CaseDetail, 200>(await getCase(db, idParam(c), deps.clock()), 200);
        } catch (err) {
          return refusal(c, err);
        }
      })
      .patch('/api/privacy/cases/:id', smallBody, jsonBody(updateCaseBody), async function updatePrivacyCase(c) {
        try {
          return c.json<CaseView, 200>(await updateCase(caseDeps, idParam(c), c.req.valid('json'), actor(c), deps.clock()), 200);
        } catch (err) {
          return refusal(c, err);
        }
      })
      .post('/api/privacy/cases/:id/transition', smallBody, jsonBody(transitionBody), async function transitionPrivacyCase(c) {
        try {
          return c.json<CaseView, 200>(await transitionCase(caseDeps, idParam(c), c.req.valid('json'), actor(c), deps.clock()), 200);
        } catch (err) {
          return refusal(c, err);
        }
      })
      .post('/api/privacy/cases/:id/links', smallBody, jsonBody(linksBody), async function linkPrivacyCase(c) {
        try {
          const id = idParam(c);
          const now = deps.clock();
          const detail = await getCase(db, id, now);
          if (detail.purgedAt !== null) throw new PrivacyError('case_purged', `case ${id} has been purged`, 409);
          const { links } = c.req.valid('json');
          await db.transaction().execute(async (trx) => {
            const added = await addLinks(trx, id, links, deps.suppressions.hash, now);
            await audit(trx, actor(c), 'case.link', { added }, { target: `case:${id}`, now });
          });
          return c.json<CaseDetail, 201>(await getCase(db, id, now), 201);
        } catch (err) {
          return refusal(c, err);
        }
      })
      .post('/api/privacy/cases/:id/export', queryOf(formatQuery), async function exportPrivacyCase(c) {
        try {
          return sendFile(c, await exportForCase(actions, idParam(c), c.req.valid('query').format, actor(c), deps.clock()));
        } catch (err) {
          return refusal(c, err);
        }
      })
      .post('/api/privacy/cases/:id/delete', async function deleteForPrivacyCase(c) {
        try {
          return c.json<CaseDeletion, 200>(await deleteForCase(actions, idParam(c), actor(c), deps.clock()), 200);
        } catch (err) {
          return refusal(c, err);
        }
      })
      .post('/api/privacy/cases/:id/suspend', async function suspendForPrivacyCase(c) {
        try {
          return c.json<{ suppressed: number }, 200>(await suspendForCase(actions, idParam(c), actor(c), deps.clock()), 200);
        } catch (err) {
          return refusal(c, err);
        }
      })
      .get('/api/privacy/cases/:id/letter', queryOf(letterQuery), async function privacyCaseLetter(c) {
        try {
          const detail = await getCase(db, idParam(c), deps.clock());
          const q = c.req.valid('query');
          const letter = buildLetter(detail, policy, q.lang ?? detail.language);
          c.header('Content-Language', letter.lang);
          if (q.format === 'text') return c.text(letterText(letter), 200);
          c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'");
          return c.html(letterHtml(letter), 200);
        } catch (err) {
          return refusal(c, err);
        }
      })
      .post('/api/privacy/cases/:id/documents', documentLimit, jsonBody(documentBody), async function addPrivacyCaseDocument(c) {
        try {
          return c.json(await addDocument(db, idParam(c), c.req.valid('json'), actor(c), deps.clock()), 201);
        } catch (err) {
          return refusal(c, err);
        }
      })
      .get('/api/privacy/cases/:id/documents/:doc', async function readPrivacyCaseDocument(c) {
        try {
          const doc = await readDocument(db, idParam(c), idParam(c, 'doc'), actor(c), deps.clock());
          c.header('Content-Type', doc.mediaType);
          c.header('X-Content-Type-Options', 'nosniff');
          c.header('Content-Security-Policy', "default-src 'none'; sandbox");
          attachment(c, doc.name);
          return c.body(new Uint8Array(doc.bytes), 200);
        } catch (err) {
          return refusal(c, err);
        }
      })

      // ---- provision records and exports to third parties
      .get('/api/privacy/provisions', async function listPrivacyProvisions(c) {
        return c.json<{ provisions: ProvisionView[] }, 200>({ provisions: await listProvisions(db) }, 200);
      })
      .post('/api/privacy/provisions', smallBody, jsonBody(provisionBody), async function createPrivacyProvision(c) {
        try {
          return c.json<ProvisionView, 201>(await createProvision(db, policy, c.req.valid('json'), actor(c), deps.clock()), 201);
        } catch (err) {
          return refusal(c, err);
        }
      })
      .get('/api/privacy/provisions/:id', async function getPrivacyProvision(c) {
        try {
          const found = await getProvision(db, idParam(c));
          if (!found) throw new PrivacyError('not_found', `no provision ${c.req.param('id')}`, 404);
          return c.json<ProvisionView, 200>(found, 200);
        } catch (err) {
          return refusal(c, err);
        }
      })
      .post('/api/privacy/exports', smallBody, jsonBody(thirdPartyExportBody), async function exportToThirdParty(c) {
        try {
          const file = await exportToRecipient(db, policy, c.req.valid('json'), actor(c), deps.clock());
          c.header('X-Export-Id', String(file.exportId));
          return sendFile(c, file);
        } catch (err) {
          return refusal(c, err);
        }
      })

      // ---- deletions and the audit log
      .get('/api/privacy/deletions', queryOf(deletionsQuery), async function listPrivacyDeletions(c) {
        const rows = await db.selectFrom('deletion_log').selectAll().orderBy('id', 'desc').limit(c.req.valid('query').limit).execute();
        return c.json<{ deletions: DeletionLogView[] }, 200>({ deletions: rows.map(deletionLogView) }, 200);
      })
      .get('/api/privacy/audit', queryOf(auditQuery), async function listPrivacyAudit(c) {
        return c.json<AuditPage, 200>(await listAudit(db, c.req.valid('query')), 200);
      })
      .get('/api/privacy/audit/verify', async function verifyPrivacyAudit(c) {
        return c.json<ChainReport, 200>(await verifyAuditLog(db), 200);
      })
  );
}
