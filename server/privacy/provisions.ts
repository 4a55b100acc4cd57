import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { LoadedPolicy } from '../../policy/load.ts';
import { itemIds, type ItemId } from '../../policy/schema.ts';
import type { Database } from '../store/schema.ts';
import type { PrivacyExportsTable, ProvisionsTable } from '../store/tables/privacy.ts';
import { audit, type AuditActor } from './audit.ts';
import { isoDate, PrivacyError } from './http.ts';
import { CONSENT_GROUND, textLimits } from './wire.ts';

/**
 * The register of provision to third parties (APPI 29–31): who received what, when, on which legal ground,
 * and — where the ground is the person's consent — how that consent was confirmed. A non-statistical
 * export to a named recipient (provision-exports.ts) needs an entry here first.
 */

export { CONSENT_GROUND };

const line = (max: number) => z.string().trim().min(1).max(max);

export const provisionBody = z.strictObject({
  recipient: z.strictObject({ name: line(textLimits.recipientName), address: line(textLimits.address), representative: line(textLimits.representative) }),
  items: z.array(z.enum(itemIds)).min(1).max(itemIds.length),
  /** the date of provision, or the first day of a period of regular provision */
  periodFrom: isoDate,
  /** the last day of the period; omitted for a single date */
  periodTo: isoDate.nullable().optional(),
  legalGround: z.string().min(1).max(64),
  consentConfirmation: z.string().trim().min(1).max(textLimits.note).nullable().optional(),
  note: z.string().trim().max(textLimits.note).nullable().optional(),
});
export type ProvisionInput = z.output<typeof provisionBody>;

export interface ExportView {
  id: number;
  at: number;
  kind: PrivacyExportsTable['kind'];
  caseId: number | null;
  provisionId: number | null;
  site: string | null;
  from: number | null;
  to: number | null;
  format: PrivacyExportsTable['format'];
  rows: number;
  sha256: string;
}

export interface ProvisionView {
  id: number;
  recipient: { name: string; address: string; representative: string };
  items: ItemId[];
  periodFrom: string;
  periodTo: string | null;
  legalGround: string;
  consentConfirmation: string | null;
  note: string | null;
  createdAt: number;
  createdBy: number | null;
  exports: ExportView[];
}

export function exportView(r: Selectable<PrivacyExportsTable>): ExportView {
  const n = (v: number | null) => (v === null ? null : Number(v));
  return {
    id: Number(r.id),
    at: Number(r.at),
    kind: r.kind,
    caseId: n(r.case_id),
    provisionId: n(r.provision_id),
    site: r.site_id,
    from: n(r.from_ts),
    to: n(r.to_ts),
    format: r.format,
    rows: Number(r.rows),
    sha256: r.sha256,
  };
}

export function provisionView(r: Selectable<ProvisionsTable>, exports: ExportView[] = []): ProvisionView {
  return {
    id: Number(r.id),
    recipient: { name: r.recipient_name, address: r.recipient_address, representative: r.recipient_representative },
    items: JSON.parse(r.items) as ItemId[],
    periodFrom: r.period_from,
    periodTo: r.period_to,
    legalGround: r.legal_ground,
    consentConfirmation: r.consent_confirmation,
    note: r.note,
    createdAt: Number(r.created_at),
    createdBy: r.created_by === null ? null : Number(r.created_by),
    exports,
  };
}

/** The policy's rules on top of the body's shape. */
export function checkProvision(policy: LoadedPolicy, input: ProvisionInput): void {
  const grounds = policy.policy.thirdPartyProvision.legalGrounds.map((g) => g.id);
  if (!grounds.includes(input.legalGround)) {
    throw new PrivacyError('unknown_legal_ground', `the policy lists no legal ground "${input.legalGround}" (one of: ${grounds.join(', ')})`);
  }
  if (input.legalGround === CONSENT_GROUND && !input.consentConfirmation) {
    throw new PrivacyError('consent_confirmation_required', 'provision on the ground of consent needs a record of how the consent was confirmed');
  }
  const collected = new Set(policy.policy.items.map((i) => i.id));
  const notCollected = input.items.find((id) => !collected.has(id));
  if (notCollected) throw new PrivacyError('item_not_collected', `the policy does not collect "${notCollected}"`);
  if (input.periodTo && input.periodTo < input.periodFrom) throw new PrivacyError('invalid_period', 'periodTo is before periodFrom');
}

export async function createProvision(db: Kysely<Database>, policy: LoadedPolicy, input: ProvisionInput, actor: AuditActor, now: number): Promise<ProvisionView> {
  checkProvision(policy, input);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('provisions')
      .values({
        recipient_name: input.recipient.name,
        recipient_address: input.recipient.address,
        recipient_representative: input.recipient.representative,
        items: JSON.stringify(input.items),
        period_from: input.periodFrom,
        period_to: input.periodTo ?? null,
        legal_ground: input.legalGround,
        consent_confirmation: input.consentConfirmation ?? null,
        note: input.note ?? null,
        created_at: now,
        created_by: actor.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, 'provision.create', { legalGround: input.legalGround, items: input.items }, { target: `provision:${row.id}`, now });
    return provisionView(row);
  });
}

export async function getProvision(db: Kysely<Database>, id: number): Promise<ProvisionView | null> {
  const row = await db.selectFrom('provisions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const exports = await db.selectFrom('privacy_exports').selectAll().where('provision_id', '=', id).orderBy('id').execute();
  return provisionView(row, exports.map(exportView));
}

export async function listProvisions(db: Kysely<Database>, limit = 500): Promise<ProvisionView[]> {
  const rows = await db.selectFrom('provisions').selectAll().orderBy('id', 'desc').limit(limit).execute();
  if (!rows.length) return [];
  const exports = await db
    .selectFrom('privacy_exports')
    .selectAll()
    .where(
      'provision_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('id')
    .execute();
  return rows.map((r) => provisionView(r, exports.filter((e) => Number(e.provision_id) === Number(r.id)).map(exportView)));
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The instant a provision record's retention starts: the end of its last day (UTC). */
export function provisionEnd(r: Pick<ProvisionsTable, 'period_from' | 'period_to'>): number {
  return Date.parse(`${r.period_to ?? r.period_from}T00:00:00Z`) + DAY_MS;
}
