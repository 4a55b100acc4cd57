/**
 * Shared links, pure: the public view at /share/<token> (its query string, its numbers with small cells
 * suppressed) and the staff dialog that creates them (what a new link's form accepts, how a link reads).
 */
import type { PublicSharedLink } from '../../../server/auth/wire.ts';
import type { Dimension } from '../../../server/stats/wire.ts';
import type { BreakdownItem } from '../../../server/stats/wire.ts';
import { OTHER } from '../../../server/stats/wire.ts';
import type { PublishedPoint, PublishedValue } from '../../../server/stats/wire.ts';
import { valueLabel } from '../cards.ts';
import { translate, type Locale } from '../i18n/translate.ts';
import type { Metric } from '../lib/format.ts';
import { metrics } from './view.ts';

export { OTHER } from '../../../server/stats/wire.ts';

/** A summary as a shared link answers it: the numbers, or `{ suppressed: true }` when withheld (server/stats/published.ts). */
export type SharedSummaryValue = PublishedValue;
/** A series point: the numbers, or only its date when withheld. */
export type SharedPoint = PublishedPoint;

export const isSuppressed = (s: SharedSummaryValue | SharedPoint): s is Extract<SharedSummaryValue | SharedPoint, { suppressed: true }> =>
  'suppressed' in s && s.suppressed === true;

/** A metric of a summary or point, or null where it is suppressed. */
export function metricValue(s: SharedSummaryValue | SharedPoint, metric: Metric): number | null {
  return isSuppressed(s) ? null : s[metric];
}

// ---- the public view's URL ----------------------------------------------------------------------------

/** The ranges a shared view offers (the API's own period names): today, 7 and 30 days, this month. */
export const sharePresets = ['day', '7d', '30d', 'month'] as const;
export type SharePreset = (typeof sharePresets)[number];
export const DEFAULT_SHARE_PRESET: SharePreset = '30d';

export interface ShareView {
  period: SharePreset;
  metric: Metric;
}

const oneOf = <T extends string>(list: readonly T[], value: string | null): T | undefined =>
  value !== null && (list as readonly string[]).includes(value) ? (value as T) : undefined;

/** `?period=7d&metric=pageviews` as a view; anything else in the query is ignored (the API takes no filters). */
export function parseShareView(search: string | URLSearchParams): ShareView {
  const q = typeof search === 'string' ? new URLSearchParams(search) : search;
  return { period: oneOf(sharePresets, q.get('period')) ?? DEFAULT_SHARE_PRESET, metric: oneOf(metrics, q.get('metric')) ?? 'visitors' };
}

/** The view as its query string (without `?`), defaults left out. */
export function printShareView(view: ShareView): string {
  const q = new URLSearchParams();
  if (view.period !== DEFAULT_SHARE_PRESET) q.set('period', view.period);
  if (view.metric !== 'visitors') q.set('metric', view.metric);
  return q.toString();
}

/** What the shared API is asked: the period only. */
export const shareParams = (view: ShareView): URLSearchParams => new URLSearchParams({ period: view.period });

/** The token of a /share/<token> path, or null for any other path. */
export function shareToken(path: string): string | null {
  const m = /^\/share\/([^/]+)\/?$/.exec(path);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
}

/** The address a link is opened at. */
export const shareUrl = (origin: string, token: string): string => `${origin.replace(/\/+$/, '')}/share/${encodeURIComponent(token)}`;

// ---- the public view's numbers ------------------------------------------------------------------------

/**
 * Percent change per metric, as the staff API computes it (null where the previous value is 0), and null
 * wherever either side is suppressed.
 */
export function sharedChange(current: SharedSummaryValue, previous: SharedSummaryValue): Record<Metric, number | null> {
  const out = {} as Record<Metric, number | null>;
  for (const m of metrics) {
    const c = metricValue(current, m);
    const p = metricValue(previous, m);
    out[m] = c === null || p === null || !p ? null : Math.round(((c - p) / p) * 100);
  }
  return out;
}

/** A breakdown value as people read it; the pool of small cells is "Other" / "その他". */
export function shareValueLabel(dimension: Dimension, value: string | null, locale: Locale): string {
  return value === OTHER ? translate(locale, 'share.other') : valueLabel(dimension, value, locale);
}

/**
 * The rows a card shows: the first `limit` unless expanded; a list only one row longer is shown whole
 * (a "show 1 more" button is no help). `hidden` is how many the button would add.
 */
export function visibleRows<T extends Pick<BreakdownItem, 'value'>>(items: readonly T[], expanded: boolean, limit: number): { rows: readonly T[]; hidden: number } {
  if (expanded || items.length <= limit + 1) return { rows: items, hidden: 0 };
  return { rows: items.slice(0, limit), hidden: items.length - limit };
}

// ---- the staff dialog ---------------------------------------------------------------------------------

export const LABEL_MAX = 100;
export const SHARE_PASSWORD_MIN = 12;
export const EXPIRY_MAX_DAYS = 3660;

/**
 * Whether a password can travel in the X-Share-Password header unchanged: a header value is bytes
 * (browsers refuse anything beyond Latin-1) and loses spaces at either end, so printable ASCII only,
 * no space first or last.
 */
export const isHeaderSafe = (password: string): boolean => /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(password);

export type NewLinkProblem = 'label_long' | 'password_short' | 'password_chars' | 'expiry_invalid';

export interface NewLinkForm {
  label: string;
  password: string;
  /** days as typed; empty: until revoked */
  expiresInDays: string;
}

export interface NewLinkBody {
  label: string | null;
  password: string | null;
  expiresInDays: number | null;
}

/** The form as the API's body, or the first thing wrong with it (the server checks password strength). */
export function newLinkBody(form: NewLinkForm): { ok: true; body: NewLinkBody } | { ok: false; problem: NewLinkProblem } {
  const label = form.label.trim();
  if (label.length > LABEL_MAX) return { ok: false, problem: 'label_long' };
  const password = form.password;
  if (password && !isHeaderSafe(password)) return { ok: false, problem: 'password_chars' };
  if (password && password.length < SHARE_PASSWORD_MIN) return { ok: false, problem: 'password_short' };
  const days = form.expiresInDays.trim();
  let expiresInDays: number | null = null;
  if (days) {
    if (!/^\d+$/.test(days)) return { ok: false, problem: 'expiry_invalid' };
    expiresInDays = Number(days);
    if (expiresInDays < 1 || expiresInDays > EXPIRY_MAX_DAYS) return { ok: false, problem: 'expiry_invalid' };
  }
  return { ok: true, body: { label: label || null, password: password || null, expiresInDays } };
}

export type LinkStatus = 'active' | 'expired' | 'revoked';

export function linkStatus(link: Pick<PublicSharedLink, 'expiresAt' | 'revokedAt'>, now: number): LinkStatus {
  if (link.revokedAt !== null) return 'revoked';
  if (link.expiresAt !== null && now >= link.expiresAt) return 'expired';
  return 'active';
}

/** Live links first, newest first within each group. */
export function sortLinks<T extends Pick<PublicSharedLink, 'createdAt' | 'expiresAt' | 'revokedAt'>>(links: readonly T[], now: number): { active: T[]; inactive: T[] } {
  const newest = [...links].sort((a, b) => b.createdAt - a.createdAt);
  return { active: newest.filter((l) => linkStatus(l, now) === 'active'), inactive: newest.filter((l) => linkStatus(l, now) !== 'active') };
}
