/**
 * The anonymized-datasets page's logic, kept out of the component so it can be tested without a browser:
 * who may act, the forms' checks and the bodies they send, and where a dataset stands in the order the
 * law asks for (items published → method published → provision recorded).
 */
import type { CreateReleaseInput, DisclosureInput, NoticeInput, ReleaseView } from '../../../server/anonymize/wire.ts';
import { addDays, dayStartIn } from '../lib/days.ts';
import { isDay, type Checked, type Problem } from './privacy.ts';

export type { DisclosureView, NoticeView, ReleaseColumnsView, ReleaseView } from '../../../server/anonymize/wire.ts';
export type ReleaseBody = Omit<CreateReleaseInput, 'from' | 'to'> & { from: number; to: number };
export type NoticeBody = NoticeInput;
export type DisclosureBody = DisclosureInput;

/** Creating, providing and downloading datasets is for the privacy role alone (the server says so too). */
export const canHandleReleases = (who: { user: { role: string } } | null | undefined): boolean => who?.user.role === 'privacy';

const MAX_TEXT = 1000;

export interface ReleaseForm {
  site: string;
  level: 'pageview' | 'session';
  /** YYYY-MM-DD, days of the site's zone, both inclusive */
  from: string;
  to: string;
  /** the columns chosen; null for all the policy allows at the level */
  columns: string[] | null;
}

/** The last 30 days up to `today` (the site's today: todayIn(its zone)). */
export function emptyReleaseForm(today: string, site = ''): ReleaseForm {
  return { site, level: 'session', from: addDays(today, -30), to: today, columns: null };
}

/**
 * The form as POST /api/privacy/releases takes it. The days are the site's (`timeZone`, its zone): they go
 * as that zone's midnights, the server's day boundaries for the site, whatever zone the browser is in.
 */
export function newReleaseBody(form: ReleaseForm, timeZone: string): Checked<ReleaseBody, keyof ReleaseForm> {
  const problems: Partial<Record<keyof ReleaseForm, Problem>> = {};
  if (!form.site.trim()) problems.site = { key: 'problem.required' };
  if (!isDay(form.from)) problems.from = { key: 'problem.date' };
  if (!isDay(form.to)) problems.to = { key: 'problem.date' };
  else if (isDay(form.from) && form.to < form.from) problems.to = { key: 'problem.periodOrder' };
  if (form.columns?.length === 0) problems.columns = { key: 'problem.items' };
  if (Object.keys(problems).length) return { ok: false, problems };
  // the last day is inclusive in the form, the API's `to` is exclusive
  const body: ReleaseBody = { site: form.site.trim(), level: form.level, from: dayStartIn(form.from, timeZone), to: dayStartIn(addDays(form.to, 1), timeZone) };
  return { ok: true, body: form.columns ? { ...body, columns: form.columns } : body };
}

export interface NoticeForm {
  ja: string;
  en: string;
}

export function newNoticeBody(form: NoticeForm): Checked<NoticeBody, keyof NoticeForm> {
  const problems: Partial<Record<keyof NoticeForm, Problem>> = {};
  for (const lang of ['ja', 'en'] as const) {
    if (!form[lang].trim()) problems[lang] = { key: 'problem.required' };
    else if (form[lang].trim().length > MAX_TEXT) problems[lang] = { key: 'problem.tooLong', vars: { n: MAX_TEXT } };
  }
  if (Object.keys(problems).length) return { ok: false, problems };
  return { ok: true, body: { method: { ja: form.ja.trim(), en: form.en.trim() } } };
}

export interface DisclosureForm {
  to: 'public' | 'third_party';
  name: string;
  releasedOn: string;
}

/** `today` is the release's day now, in its site's zone (`release.method.timeZone`): the server checks the day there. */
export function newDisclosureBody(form: DisclosureForm, today: string): Checked<DisclosureBody, keyof DisclosureForm> {
  const problems: Partial<Record<keyof DisclosureForm, Problem>> = {};
  if (form.to === 'third_party' && !form.name.trim()) problems.name = { key: 'problem.required' };
  else if (form.name.trim().length > 200) problems.name = { key: 'problem.tooLong', vars: { n: 200 } };
  if (!isDay(form.releasedOn)) problems.releasedOn = { key: 'problem.date' };
  else if (form.releasedOn > today) problems.releasedOn = { key: 'problem.future' };
  if (Object.keys(problems).length) return { ok: false, problems };
  return { ok: true, body: { recipient: form.to === 'public' ? 'public' : { name: form.name.trim() }, releasedOn: form.releasedOn } };
}

/** Where a dataset stands: its items are public from creation; a provision needs a published method first. */
export type ReleaseStage = 'items_published' | 'method_published' | 'provided';
export function releaseStage(r: Pick<ReleaseView, 'notices' | 'disclosures'>): ReleaseStage {
  if (r.disclosures.length) return 'provided';
  return r.notices.length ? 'method_published' : 'items_published';
}

/** The share of built records left out (for k and past the sequence cap), as a percentage. */
/** Ticking a column on or off; null (all) turns into the explicit list first. */
export function toggleColumn(chosen: string[] | null, all: readonly string[], column: string, on: boolean): string[] {
  const current = chosen ?? [...all];
  const next = on ? [...new Set([...current, column])] : current.filter((c) => c !== column);
  return all.filter((c) => next.includes(c));
}

export const suppressedPercent = (r: Pick<ReleaseView, 'risk'>): number => Math.round(r.risk.suppressed.share * 10_000) / 100;
