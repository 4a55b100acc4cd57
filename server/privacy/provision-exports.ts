import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { LoadedPolicy } from '../../policy/load.ts';
import type { ItemId } from '../../policy/schema.ts';
import { toCsv } from '../stats/csv.ts';
import { eventColumnItems } from '../store/column-items.ts';
import type { Database, EventsTable } from '../store/schema.ts';
import { audit, type AuditActor } from './audit.ts';
import { instant, PrivacyError } from './http.ts';
import { provisionEnd } from './provisions.ts';
import type { ExportFile } from './visitor-export.ts';

/**
 * Exports of raw (non-statistical) event data to a named third party. Refused unless the provision is in
 * the register first (provisions.ts): the recipient named there, on the day the register gives, with only
 * the items it lists. Each export is recorded (privacy_exports: who, when, how many rows, the file's
 * SHA-256) against its register entry, and audited. Statistics are not exported here: they leave through
 * the stats module, which applies the minimum cell size.
 */

export const thirdPartyExportBody = z.strictObject({
  /** the register entry this export is made under */
  provisionId: z.number().int().positive().optional(),
  /** the recipient's name, as in the register */
  recipient: z.string().trim().min(1).max(200),
  site: z.string().min(1).max(128),
  /** inclusive */
  from: instant,
  /** exclusive */
  to: instant,
  format: z.enum(['json', 'csv']).default('json'),
});
export type ThirdPartyExportInput = z.output<typeof thirdPartyExportBody>;

type Column = Exclude<keyof EventsTable, 'id'>;

/** The event columns of the items a provision lists. */
export function columnsForItems(items: readonly ItemId[]): Column[] {
  return (Object.entries(eventColumnItems) as [keyof EventsTable, ItemId][])
    .filter(([column, item]) => column !== 'id' && items.includes(item))
    .map(([column]) => column as Column);
}

const DAY_MS = 24 * 60 * 60 * 1000;
const normalize = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
const PAGE = 5_000;

export interface ThirdPartyExport extends ExportFile {
  exportId: number;
}

export async function exportToRecipient(db: Kysely<Database>, policy: LoadedPolicy, input: ThirdPartyExportInput, actor: AuditActor, now: number): Promise<ThirdPartyExport> {
  if (input.provisionId === undefined) {
    throw new PrivacyError('provision_record_required', 'record the provision in the register (POST /api/privacy/provisions) before exporting data to a third party', 409);
  }
  const provision = await db.selectFrom('provisions').selectAll().where('id', '=', input.provisionId).executeTakeFirst();
  if (!provision) throw new PrivacyError('provision_record_required', `the register has no provision ${input.provisionId}`, 409);
  if (normalize(provision.recipient_name) !== normalize(input.recipient)) {
    throw new PrivacyError('recipient_mismatch', `provision ${input.provisionId} is to "${provision.recipient_name}", not "${input.recipient}"`, 409);
  }
  // a day's leeway either side: the register gives calendar days, the clock is UTC
  const start = Date.parse(`${provision.period_from}T00:00:00Z`) - DAY_MS;
  if (now < start || now >= provisionEnd(provision) + DAY_MS) {
    throw new PrivacyError('outside_provision_period', `provision ${input.provisionId} covers ${provision.period_from}${provision.period_to ? ` to ${provision.period_to}` : ''}, not today`, 409);
  }
  if (!(input.from < input.to)) throw new PrivacyError('invalid_range', 'from must be before to');
  const site = await db.selectFrom('sites').select('id').where('id', '=', input.site).executeTakeFirst();
  if (!site) throw new PrivacyError('unknown_site', `no site "${input.site}"`, 404);

  const items = JSON.parse(provision.items) as ItemId[];
  const columns = columnsForItems(items);
  const rows: Record<string, unknown>[] = [];
  let last: { ts: number; id: number } | null = null;
  for (;;) {
    let q = db
      .selectFrom('events')
      .select(['id', 'ts', ...columns])
      .where('site_id', '=', input.site)
      .where('ts', '>=', input.from)
      .where('ts', '<', input.to);
    if (last) {
      const { ts, id } = last;
      q = q.where((eb) => eb.or([eb('ts', '>', ts), eb.and([eb('ts', '=', ts), eb('id', '>', id)])]));
    }
    const page = await q.orderBy('ts').orderBy('id').limit(PAGE).execute();
    for (const r of page) rows.push(Object.fromEntries(columns.map((c) => [c, (r as Record<string, unknown>)[c]])));
    if (page.length < PAGE) break;
    const end = page[page.length - 1]!;
    last = { ts: Number(end.ts), id: Number(end.id) };
  }

  const day = new Date(now).toISOString().slice(0, 10).replaceAll('-', '');
  const body =
    input.format === 'json'
      ? `${JSON.stringify(
          {
            format: 'ashiato-provision-export-v1',
            provision: { id: Number(provision.id), recipient: provision.recipient_name, legalGround: provision.legal_ground },
            site: input.site,
            from: new Date(input.from).toISOString(),
            to: new Date(input.to).toISOString(),
            items,
            columns,
            rows,
          },
          null,
          2,
        )}\n`
      : toCsv(
          columns,
          rows.map((r) => columns.map((c) => r[c])),
        );
  const sha256 = createHash('sha256').update(body, 'utf8').digest('hex');
  const exportId = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('privacy_exports')
      .values({
        at: now,
        actor_id: actor.id,
        kind: 'third_party',
        case_id: null,
        provision_id: Number(provision.id),
        site_id: input.site,
        from_ts: input.from,
        to_ts: input.to,
        format: input.format,
        rows: rows.length,
        sha256,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      trx,
      actor,
      'export.third_party',
      { export: Number(row.id), site: input.site, rows: rows.length, format: input.format, sha256 },
      { target: `provision:${provision.id}`, now },
    );
    return Number(row.id);
  });
  return {
    body,
    contentType: input.format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8',
    fileName: `provision-${provision.id}-${input.site}-${day}.${input.format}`,
    rows: rows.length,
    sha256,
    exportId,
  };
}
