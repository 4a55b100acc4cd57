import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { audit, type AuditActor } from '../privacy/audit.ts';
import { isoDate, PrivacyError } from '../privacy/http.ts';
import type { Database } from '../store/schema.ts';
import type { ReleaseDisclosuresTable, ReleaseNoticesTable } from '../store/tables/releases.ts';

/**
 * APPI 44: before anonymously processed information goes to a third party (or to everyone), the items it
 * contains and the method of provision are made public. A dataset's items are public from its creation;
 * the method is a notice published here; a provision is recorded only under a notice published on or
 * before its date, and the server refuses (409) anything else.
 */

const line = (max: number) => z.string().trim().min(1).max(max);

export const noticeBody = z.strictObject({
  /** how the dataset is provided (e.g. a file handed over by encrypted transfer), in both languages */
  method: z.strictObject({ ja: line(1000), en: line(1000) }),
});
export type NoticeInput = z.output<typeof noticeBody>;

export const disclosureBody = z.strictObject({
  /** the notice this provision is made under; the latest one of the dataset when omitted */
  noticeId: z.number().int().positive().optional(),
  recipient: z.union([z.literal('public'), z.strictObject({ name: line(200) })]),
  /** the day of provision, YYYY-MM-DD in the site's time zone; today there when omitted */
  releasedOn: isoDate.optional(),
  note: z.string().trim().max(2000).nullable().optional(),
});
export type DisclosureInput = z.output<typeof disclosureBody>;

export interface NoticeView {
  id: number;
  method: { ja: string; en: string };
  publishedAt: number;
  publishedBy: number | null;
}

export interface DisclosureView {
  id: number;
  noticeId: number;
  recipient: 'public' | { name: string };
  releasedOn: string;
  note: string | null;
  createdAt: number;
  createdBy: number | null;
}

export const noticeView = (r: Selectable<ReleaseNoticesTable>): NoticeView => ({
  id: Number(r.id),
  method: { ja: r.method_ja, en: r.method_en },
  publishedAt: Number(r.published_at),
  publishedBy: r.published_by === null ? null : Number(r.published_by),
});

export const disclosureView = (r: Selectable<ReleaseDisclosuresTable>): DisclosureView => ({
  id: Number(r.id),
  noticeId: Number(r.notice_id),
  recipient: r.recipient_kind === 'public' ? 'public' : { name: r.recipient_name ?? '' },
  releasedOn: r.released_on,
  note: r.note,
  createdAt: Number(r.created_at),
  createdBy: r.created_by === null ? null : Number(r.created_by),
});

/** The release, and the time zone its days are counted in (its site's, recorded in the method summary). */
async function requireRelease(db: Kysely<Database>, id: number): Promise<{ timeZone: string }> {
  const found = await db.selectFrom('releases').select('method').where('id', '=', id).executeTakeFirst();
  if (!found) throw new PrivacyError('not_found', `no release ${id}`, 404);
  return { timeZone: (JSON.parse(found.method) as { timeZone?: string }).timeZone ?? 'UTC' };
}

export async function publishNotice(db: Kysely<Database>, releaseId: number, input: NoticeInput, actor: AuditActor, now: number): Promise<NoticeView> {
  await requireRelease(db, releaseId);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('release_notices')
      .values({ release_id: releaseId, method_ja: input.method.ja, method_en: input.method.en, published_at: now, published_by: actor.id })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, 'release.method_published', { notice: Number(row.id) }, { target: `release:${releaseId}`, now });
    return noticeView(row);
  });
}

/** The calendar day of an instant in a zone, YYYY-MM-DD: staff date provisions by their own calendar. */
function dayOf(ms: number, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
  } catch {
    return new Date(ms).toISOString().slice(0, 10);
  }
}
const isCalendarDay = (day: string) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);

export async function recordDisclosure(db: Kysely<Database>, releaseId: number, input: DisclosureInput, actor: AuditActor, now: number): Promise<DisclosureView> {
  const { timeZone } = await requireRelease(db, releaseId);
  let q = db.selectFrom('release_notices').selectAll().where('release_id', '=', releaseId);
  if (input.noticeId !== undefined) q = q.where('id', '=', input.noticeId);
  const notice = await q.orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!notice) {
    throw new PrivacyError(
      'method_not_published',
      input.noticeId === undefined
        ? `publish the method of provision for release ${releaseId} first (POST /api/privacy/releases/${releaseId}/notices)`
        : `release ${releaseId} has no notice ${input.noticeId}`,
      409,
    );
  }
  const today = dayOf(now, timeZone);
  const releasedOn = input.releasedOn ?? today;
  if (!isCalendarDay(releasedOn)) {
    throw new PrivacyError('invalid_date', `${releasedOn} is not a day of the calendar`);
  }
  if (releasedOn > today) throw new PrivacyError('invalid_date', 'a provision is recorded when it is made, not in advance');
  const noticeDay = dayOf(Number(notice.published_at), timeZone);
  if (releasedOn < noticeDay) {
    throw new PrivacyError('provided_before_notice', `notice ${notice.id} was published on ${noticeDay}, after ${releasedOn}`, 409);
  }
  const recipient = input.recipient === 'public' ? { kind: 'public' as const, name: null } : { kind: 'third_party' as const, name: input.recipient.name };
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('release_disclosures')
      .values({
        release_id: releaseId,
        notice_id: Number(notice.id),
        recipient_kind: recipient.kind,
        recipient_name: recipient.name,
        released_on: releasedOn,
        note: input.note ?? null,
        created_at: now,
        created_by: actor.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, 'release.provided', { disclosure: Number(row.id), notice: Number(notice.id), recipient: recipient.kind, releasedOn }, { target: `release:${releaseId}`, now });
    return disclosureView(row);
  });
}
