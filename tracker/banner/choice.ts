/**
 * The banner's decisions as pure functions: strings and config in, values out, no DOM. Covered in plain Node
 * by test/tracker/banner-choice.test.ts. Written for size: every byte ships (tracker/banner/README.md).
 */
import type { BannerCategory, BannerConfig, BannerLanguage, ConsentAction } from '../../server/consent/wire.ts';

/**
 * The choice kept in the cookie `ashiato_consent=<consentId>~<revision>~<accepted joined by '+'>`. It is
 * written before its receipt is sent: until the server's answer issues a consent id, `id` is ''.
 */
export interface Stored {
  id: string;
  rev: string;
  acc: string[];
}

/** The consent cookie's lifetime: 395 days (13 months), in seconds. */
export const COOKIE_MAX_AGE = 34128000;

/** The stored choice in `document.cookie`, or undefined when there is none (or it is not of our format). */
export const parseStored = (cookies: string): Stored | undefined => {
  const [id, rev, acc, extra] = (cookies.match(/(^|; )ashiato_consent=([^;]*)/)?.[2] ?? '').split('~');
  return id != null && rev && acc != null && extra == null ? { id, rev, acc: acc ? acc.split('+') : [] } : undefined;
};

/**
 * Marks, among the accepted ids of the cookie, a choice recorded for a GPC signal rather than made by the
 * visitor: it stops third-party tags and the cookie, but is no refusal of cookieless counting (sending.ts).
 * No category id can be it (they start with a letter).
 */
export const GPC_RECORD = '!gpc';

/**
 * The `document.cookie` assignment that keeps a recorded choice: first-party, the whole site, SameSite=Lax,
 * Secure on https. A strictly necessary cookie (it remembers the choice itself).
 */
export const consentCookie = (s: Stored, secure: boolean): string =>
  `ashiato_consent=${s.id}~${s.rev}~${s.acc.join('+')};path=/;max-age=${COOKIE_MAX_AGE};SameSite=Lax${secure ? ';Secure' : ''}`;

/** The ids of the categories that pass `test`, in the policy's order. */
const ids = (cats: BannerCategory[], test: (c: BannerCategory) => unknown): string[] => cats.filter(test).map((c) => c.id);

/** The required categories only: what a refusal, a withdrawal or GPC leaves standing. */
export const required = (cats: BannerCategory[]): string[] => ids(cats, (c) => c.req);

/**
 * What is accepted before the visitor has chosen: under opt-in the required categories only; under notice
 * also `analytics` (the site's own first-party analytics; every other category, third-party tags, still
 * needs a yes); under opt-out everything, until the visitor opts out.
 */
export const defaults = (cfg: BannerConfig): string[] =>
  ids(cfg.cats, (c) => c.req || cfg.m == 'opt-out' || (cfg.m == 'notice' && c.id == 'analytics'));

/**
 * What a stored choice accepts of the current categories: those it names, plus the required ones. A category
 * it does not name (say, one added by a new revision) is not accepted.
 */
export const keep = (cats: BannerCategory[], acc: string[]): string[] => ids(cats, (c) => c.req || acc.includes(c.id));

/** What to show: nothing (0), the opt-in banner, the notice, or nothing but a `gpc` record. */
export type Prompt = 0 | 'opt-in' | 'notice' | 'gpc';

/**
 * On load: a choice stored for the current revision applies silently. Otherwise (no cookie, or one from
 * another revision) the mode decides: opt-in and notice prompt, with the earlier choice (if any) in force
 * until the visitor answers; opt-out never prompts, and with GPC it records `gpc` (required categories
 * only) once: a choice the visitor later makes for this revision in the settings stands.
 */
export const decide = (cfg: BannerConfig, stored: Stored | undefined, gpc: boolean): [accepted: string[], prompt: Prompt] =>
  stored?.rev == cfg.rev
    ? [keep(cfg.cats, stored.acc), 0]
    : cfg.m == 'opt-out' && gpc
      ? [required(cfg.cats), 'gpc']
      : [stored ? keep(cfg.cats, stored.acc) : defaults(cfg), cfg.m == 'opt-out' ? 0 : cfg.m];

/**
 * The action a choice is recorded as: `accept_all` for the "Accept all" button; `custom` when any optional
 * category stays accepted; with none, `withdraw` when the last recorded choice had accepted one, else
 * `reject_all`. (Dismissing the notice is always `custom`; ashiato.consent.withdraw() always `withdraw`.)
 */
export const actionFor = (cats: BannerCategory[], acc: string[], stored: Stored | undefined, all?: unknown): ConsentAction => {
  const optional = (list: string[]) => cats.some((c) => !c.req && list.includes(c.id));
  return all ? 'accept_all' : optional(acc) ? 'custom' : stored && optional(stored.acc) ? 'withdraw' : 'reject_all';
};

/**
 * The text a receipt's `th` is the SHA-256 of: the JSON array of the banner's title, its body, then each
 * category's label and description in the policy's order, all in the language shown, as UTF-8:
 * `JSON.stringify([title, body, label₁, description₁, label₂, …])`. JSON.stringify is specified to the byte
 * by ECMAScript, so the server (or an auditor) can rebuild it from the policy, and unlike a join it cannot
 * make two different lists of texts read the same. The buttons are not part of it.
 */
export const textToHash = (cfg: BannerConfig, l: BannerLanguage): string =>
  JSON.stringify([cfg.t.title[l], cfg.t.body[l], ...cfg.cats.flatMap((c) => [c.label[l], c.desc[l]])]);

export type GcmValue = 'granted' | 'denied';

/** Google Consent Mode v2 signals for what is accepted. */
export interface GcmState {
  ad_storage: GcmValue;
  ad_user_data: GcmValue;
  ad_personalization: GcmValue;
  analytics_storage: GcmValue;
}

/**
 * `analytics_storage` follows the `external_analytics` category; the three `ad_*` follow `advertising`
 * (denied when the policy has no such category: nobody could have accepted it).
 */
export const gcmState = (acc: string[]): GcmState => {
  const ad = acc.includes('advertising') ? 'granted' : 'denied';
  return { ad_storage: ad, ad_user_data: ad, ad_personalization: ad, analytics_storage: acc.includes('external_analytics') ? 'granted' : 'denied' };
};
