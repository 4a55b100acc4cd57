import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { LoadedPolicy } from '../../policy/load.ts';
import type { Database } from '../store/schema.ts';
import { audit, type AuditActor } from './audit.ts';
import { closedStatuses, documentView, type CaseDocumentView } from './cases.ts';
import { PrivacyError } from './http.ts';
import { documentMediaTypes, MAX_DOCUMENT_BYTES } from './wire.ts';

/**
 * Documents received with a case (request forms, identity documents, letters of authority), kept only as
 * long as the policy says: `retention.case_documents_days` after the case is answered or refused, then the
 * content, the file name, the requester's details and the linked ids are discarded, leaving a minimal
 * record (type, dates, outcome, and each document's size and SHA-256).
 */

export { documentMediaTypes, MAX_DOCUMENT_BYTES };
/** The upload's JSON body limit: base64 of the largest document, plus room for the rest. */
export const MAX_DOCUMENT_BODY = Math.ceil((MAX_DOCUMENT_BYTES * 4) / 3) + 4096;


export const documentBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  mediaType: z.enum(documentMediaTypes),
  /** the file, base64 */
  content: z.string().min(1).max(MAX_DOCUMENT_BODY),
});
export type DocumentInput = z.output<typeof documentBody>;

export async function addDocument(db: Kysely<Database>, caseId: number, input: DocumentInput, actor: AuditActor, now: number): Promise<CaseDocumentView> {
  const bytes = Buffer.from(input.content, 'base64');
  // Buffer.from skips what is not base64; re-encoding tells a clean value from one that lost characters
  if (bytes.toString('base64').replace(/=+$/, '') !== input.content.replace(/\s/g, '').replace(/=+$/, '')) {
    throw new PrivacyError('invalid_content', 'content is not valid base64');
  }
  if (bytes.length > MAX_DOCUMENT_BYTES) throw new PrivacyError('document_too_large', `a document may be at most ${MAX_DOCUMENT_BYTES} bytes`, 413);
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('privacy_cases').select(['status', 'purged_at']).where('id', '=', caseId).executeTakeFirst();
    if (!row) throw new PrivacyError('not_found', `no case ${caseId}`, 404);
    if (row.purged_at !== null) throw new PrivacyError('case_purged', `case ${caseId} has been purged`, 409);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const doc = await trx
      .insertInto('privacy_case_documents')
      .values({
        case_id: caseId,
        name: input.name,
        media_type: input.mediaType,
        size: bytes.length,
        sha256,
        content: bytes.toString('base64'),
        created_at: now,
        created_by: actor.id,
        purged_at: null,
      })
      .returning(['id', 'name', 'media_type', 'size', 'sha256', 'created_at', 'purged_at'])
      .executeTakeFirstOrThrow();
    await audit(trx, actor, 'case.document.add', { document: Number(doc.id), size: bytes.length, mediaType: input.mediaType }, { target: `case:${caseId}`, now });
    return documentView(doc);
  });
}

export interface DocumentContent {
  name: string;
  mediaType: string;
  bytes: Buffer;
}

/** Reading an identity document is itself an audited action. */
export async function readDocument(db: Kysely<Database>, caseId: number, documentId: number, actor: AuditActor, now: number): Promise<DocumentContent> {
  const doc = await db.selectFrom('privacy_case_documents').selectAll().where('id', '=', documentId).where('case_id', '=', caseId).executeTakeFirst();
  if (!doc) throw new PrivacyError('not_found', `case ${caseId} has no document ${documentId}`, 404);
  if (doc.content === null) throw new PrivacyError('document_purged', 'the document was discarded at the end of its retention period', 410);
  await audit(db, actor, 'case.document.read', { document: documentId }, { target: `case:${caseId}`, now });
  return { name: doc.name ?? `document-${documentId}`, mediaType: doc.media_type, bytes: Buffer.from(doc.content, 'base64') };
}

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CasePurge {
  cases: number;
  documents: number;
}

/**
 * Discards what a closed case no longer needs once `case_documents_days` have passed since its answer:
 * document content and names, the requester's name and contact, the case summary and answer note, and the
 * linked ids (their keyed hashes stay). `dryRun` only counts.
 */
export async function purgeClosedCases(db: Kysely<Database>, policy: LoadedPolicy, now: number, dryRun = false): Promise<CasePurge> {
  const cutoff = now - policy.policy.retention.case_documents_days * DAY_MS;
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('privacy_cases')
      .select('id')
      .where('status', 'in', [...closedStatuses])
      .where('closed_at', '<', cutoff)
      .where('purged_at', 'is', null)
      .execute();
    const ids = due.map((r) => r.id);
    if (!ids.length) return { cases: 0, documents: 0 };
    let documents = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      if (dryRun) {
        const row = await trx
          .selectFrom('privacy_case_documents')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('case_id', 'in', chunk)
          .where('purged_at', 'is', null)
          .executeTakeFirstOrThrow();
        documents += Number(row.n);
        continue;
      }
      const docs = await trx
        .updateTable('privacy_case_documents')
        .set({ content: null, name: null, purged_at: now })
        .where('case_id', 'in', chunk)
        .where('purged_at', 'is', null)
        .executeTakeFirst();
      documents += Number(docs.numUpdatedRows);
      await trx.updateTable('privacy_case_links').set({ value: null }).where('case_id', 'in', chunk).execute();
      await trx
        .updateTable('privacy_cases')
        .set({ requester_name: null, requester_contact: null, summary: null, answer_note: null, purged_at: now, updated_at: now })
        .where('id', 'in', chunk)
        .execute();
    }
    return { cases: ids.length, documents };
  });
}
