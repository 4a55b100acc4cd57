/**
 * The consent banner's wire format, typed once and shared (with `import type`) by the banner and the server.
 * The server validates a body against `consentSchema` (payload.ts), which is checked to match this type.
 */
import type { ConsentMode } from '../ingest/wire.ts';
import type { ConsentAction } from '../store/tables/consent.ts';

/** What the visitor did in the banner. A withdrawal or a GPC signal keeps only the required categories. */
export type { ConsentAction };

export type BannerLanguage = 'ja' | 'en';

/** POST /api/consent body (text/plain JSON, at most 4 KB). */
export interface ConsentPayload {
  /** site id, from the script tag's `data-site` */
  s: string;
  /** the visitor's action */
  a: ConsentAction;
  /** category ids accepted (required categories are added by the server if missing) */
  acc: string[];
  /** category ids rejected; a category in neither list is recorded as rejected */
  rej: string[];
  /** the policy revision the banner showed (`rev` from GET /api/config) */
  rev: string;
  /** SHA-256 (lower-case hex) of the exact banner text shown */
  th: string;
  /** language the banner was shown in */
  l: BannerLanguage;
  /** the page's absolute URL; only its scrubbed path is stored */
  u: string;
  /** the consent id from the `ashiato_consent` cookie, when the visitor has one (a new one is issued otherwise) */
  id?: string;
}

/** 201 body. The banner stores `<consentId>~<revision>~<accepted joined by '+'>` in the `ashiato_consent` cookie. */
export interface ConsentRecorded {
  consentId: string;
  revision: string;
  /** in the policy's category order; required categories always included */
  accepted: string[];
  rejected: string[];
}

/** 409 body: the banner showed an older policy; it re-prompts with the current one. */
export interface ConsentStale {
  error: 'stale_revision';
  message: string;
  revision: string;
}

export interface BannerCategory {
  id: string;
  /** required: shown switched on and cannot be switched off */
  req: boolean;
  label: { ja: string; en: string };
  desc: { ja: string; en: string };
}

/** GET /api/config?s=<site> body: everything the banner needs from the policy, for this visitor. */
export interface BannerConfig {
  /** the consent mode for the visitor's country */
  m: ConsentMode;
  /** the current policy revision: send it back as `rev`, and re-prompt when the cookie holds another */
  rev: string;
  /** preferred language from Accept-Language (ja or en; en when neither is listed) */
  l: BannerLanguage;
  cats: BannerCategory[];
  /** the banner's own texts, in the company's words (policy `consent.banner`) */
  t: BannerTexts;
  /**
   * what this visitor's mode measures without a "yes" (the policy's setting, once it has one); absent: the
   * default, opt-in `nothing`, notice and opt-out `cookieless`
   */
  u?: Unconsented;
  /** 1 when the request carried `Sec-GPC: 1`: GPC the page's `navigator` may not show */
  g?: 1;
}

/** What is measured without a "yes": nothing at all, or visits without a cookie (a keyed daily hash). */
export type Unconsented = 'nothing' | 'cookieless';

/** Every banner text in both languages; the banner shows one and can switch. */
export type BannerTexts = Record<
  'title' | 'body' | 'acceptAll' | 'rejectAll' | 'customize' | 'save' | 'dismiss' | 'privacyLink' | 'externalLink' | 'settings',
  { ja: string; en: string }
>;

/** The privacy office's receipt pages and the chain check, as the dashboard reads them. */
export type { ReceiptPage, ReceiptView } from './receipts.ts';
export type { ChainReport as ReceiptChainReport } from './verify.ts';
