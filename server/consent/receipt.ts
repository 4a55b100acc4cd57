import { consentModeFor } from '../../policy/consent-mode.ts';
import type { LoadedPolicy } from '../../policy/load.ts';
import type { Geo } from '../http/geo.ts';
import { truncateIp } from '../http/ip.ts';
import { randomId } from '../http/random-id.ts';
import { hostAllowed, type SiteDirectory } from '../store/sites.ts';
import type { UaSummary } from '../http/ua.ts';
import { scrubPageUrl } from '../http/url.ts';
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

export interface ReceiptDeps {
  policy: LoadedPolicy;
  sites: SiteDirectory;
  geo: Geo;
  clientIp(peer: string | undefined, forwardedFor: string | undefined): string | null;
  summarizeUa(ua: string): UaSummary;
}

/** Why no receipt was written; 200 is a bot, acknowledged and ignored like at ingest. */
export interface Refusal {
  status: 200 | 400 | 403 | 404 | 409;
  error: string;
  message: string;
}

export interface Draft {
  receipt: ReceiptContent & { ts: number; site_id: string };
  choices: Choices;
}

const refuse = (status: Refusal['status'], error: string, message: string): Refusal => ({ status, error, message });

/**
 * The checks ingest makes (site, origin, page host, bot), then the policy's (revision, categories), then
 * the address: the full IP decides the region mode here and is truncated before anything is kept.
 */
export async function draftReceipt(req: ConsentRequest, deps: ReceiptDeps): Promise<Draft | Refusal> {
  const { consent } = req;
  const site = await deps.sites.get(consent.site, req.receivedAt);
  if (!site) return refuse(404, 'unknown_site', `no site with id "${consent.site}"`);
  if (req.origin !== undefined) {
    let host: string | undefined;
    try {
      host = new URL(req.origin).hostname.toLowerCase();
    } catch {
      // handled below
    }
    if (!host || !hostAllowed(host, site.hosts)) return refuse(403, 'origin_not_allowed', 'the Origin is not a host of this site');
  }
  const page = scrubPageUrl(consent.url);
  if (!page) return refuse(400, 'invalid_url', 'u must be an absolute http(s) URL');
  if (!hostAllowed(page.host, site.hosts)) return refuse(403, 'origin_not_allowed', `page host ${page.host} is not a host of this site`);
  const ua = deps.summarizeUa(req.userAgent);
  if (ua.bot) return refuse(200, 'bot', 'user agent looks automated');

  if (consent.revision !== deps.policy.revision) {
    return refuse(409, 'stale_revision', 'the banner showed an older policy revision; ask again with the current one');
  }
  const choices = resolveChoices(deps.policy.policy, consent.action, consent.accepted, consent.rejected);
  if ('error' in choices) return refuse(400, choices.error, choices.message);

  const ip = deps.clientIp(req.peer, req.forwardedFor);
  if (!ip) return refuse(400, 'no_client_address', 'the client address could not be determined');
  const mode = consentModeFor(deps.policy.policy, deps.geo.country(ip));
  const { ipv4Prefix, ipv6Prefix } = deps.policy.policy.ip;
  return {
    choices,
    receipt: {
      ts: req.receivedAt,
      site_id: site.id,
      consent_id: consent.consentId ?? randomId(),
      revision: deps.policy.revision,
      banner_hash: consent.textHash,
      mode,
      action: consent.action,
      accepted: JSON.stringify(choices.accepted),
      rejected: JSON.stringify(choices.rejected),
      language: consent.language,
      path: page.path,
      ip_trunc: truncateIp(ip, ipv4Prefix, ipv6Prefix),
      browser: ua.browser,
      browser_version: ua.browserVersion,
      os: ua.os,
      device: ua.device,
    },
  };
}
