import type { LoadedPolicy } from '../../policy/load.ts';
import { randomId } from '../http/random-id.ts';
import {
  clientAddress,
  humanAgent,
  isRefused,
  knownSite,
  pageOnSite,
  refusalStatus,
  regionOf,
  type Refused,
  type Region,
  type RequestFactsDeps,
} from '../http/request-facts.ts';
import type { UaSummary } from '../http/ua.ts';
import type { ReceiptContent } from './chain.ts';
import { resolveChoices, type Choices } from './choices.ts';
import type { IncomingConsent } from './payload.ts';

/** The parsed choice plus the request facts a receipt needs. The full IP and UA stay in this object. */
export interface ConsentRequest {
  consent: IncomingConsent;
  peer: string | undefined;
  forwardedFor: string | undefined;
  userAgent: string;
  origin: string | undefined;
  receivedAt: number;
}

export type ReceiptDeps = RequestFactsDeps;

/** Why no receipt was written; 200 is a bot, acknowledged and ignored like at ingest. */
export interface Refusal {
  status: 200 | 400 | 403 | 404 | 409;
  error: string;
  message: string;
}

export type DraftReceipt = ReceiptContent & { ts: number; site_id: string };

export interface Draft {
  receipt: DraftReceipt;
  choices: Choices;
}

const refuse = (status: Refusal['status'], error: string, message: string): Refusal => ({ status, error, message });
const refusalFor = (r: Refused): Refusal => refuse(refusalStatus[r.refused], r.refused, r.detail);

/** What a receipt says beside the choice: who asked, from where (truncated), on which page, in which mode. */
export interface ReceiptFacts {
  ts: number;
  siteId: string;
  consentId: string | undefined;
  policy: LoadedPolicy;
  bannerHash: string | null;
  action: ReceiptContent['action'];
  choices: Choices;
  language: ReceiptContent['language'];
  path: string;
  region: Region;
  ua: UaSummary;
}

/** The one builder of a receipt row: the banner's choices and a withdrawal on /privacy/my-data both use it. */
export function receiptOf(f: ReceiptFacts): DraftReceipt {
  return {
    ts: f.ts,
    site_id: f.siteId,
    consent_id: f.consentId ?? randomId(),
    revision: f.policy.revision,
    banner_hash: f.bannerHash,
    mode: f.region.mode,
    action: f.action,
    accepted: JSON.stringify(f.choices.accepted),
    rejected: JSON.stringify(f.choices.rejected),
    language: f.language,
    path: f.path,
    ip_trunc: f.region.ipTrunc,
    browser: f.ua.browser,
    browser_version: f.ua.browserVersion,
    os: f.ua.os,
    device: f.ua.device,
  };
}

/**
 * The request facts ingest checks (site, origin, page host, bot), then the policy's (revision,
 * categories), then the address: the full IP decides the region mode and is truncated before anything is kept.
 */
export async function draftReceipt(req: ConsentRequest, deps: ReceiptDeps): Promise<Draft | Refusal> {
  const { consent } = req;
  const site = await knownSite(deps, consent.site, req.receivedAt);
  if (isRefused(site)) return refusalFor(site);
  const page = pageOnSite(site, req.origin, consent.url);
  if (isRefused(page)) return refusalFor(page);
  const ua = humanAgent(deps, req.userAgent);
  if (isRefused(ua)) return refusalFor(ua);

  if (consent.revision !== deps.policy.revision) {
    return refuse(409, 'stale_revision', 'the banner showed an older policy revision; ask again with the current one');
  }
  const choices = resolveChoices(deps.policy.policy, consent.action, consent.accepted, consent.rejected);
  if ('error' in choices) return refuse(400, choices.error, choices.message);

  const ip = clientAddress(deps, req.peer, req.forwardedFor);
  if (isRefused(ip)) return refusalFor(ip);
  return {
    choices,
    receipt: receiptOf({
      ts: req.receivedAt,
      siteId: site.id,
      consentId: consent.consentId,
      policy: deps.policy,
      bannerHash: consent.textHash,
      action: consent.action,
      choices,
      language: consent.language,
      path: page.path,
      region: regionOf(deps, ip),
      ua,
    }),
  };
}
