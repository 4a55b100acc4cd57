import { consentModeFor } from '../../policy/consent-mode.ts';
import type { LoadedPolicy } from '../../policy/load.ts';
import type { ConsentModeName } from '../../policy/schema.ts';
import { hostAllowed, type SiteDirectory, type SiteInfo } from '../store/sites.ts';
import type { Geo } from './geo.ts';
import { truncateForPolicy } from './ip.ts';
import type { UaSummary } from './ua.ts';
import { scrubPageUrl, type ScrubbedPage } from './url.ts';

/**
 * What every browser-facing request is checked for before a feature looks at it, one stage at a time so
 * each caller keeps its own order (ingest checks the policy before the address, consent its revision):
 * site known → Origin and page host among the site's hosts → not a bot → client address → region.
 * The full IP and UA stay in these objects; only their truncation and summary are ever kept.
 */
export interface RequestFactsDeps {
  policy: LoadedPolicy;
  sites: SiteDirectory;
  geo: Geo;
  clientIp(peer: string | undefined, forwardedFor: string | undefined): string | null;
  summarizeUa(ua: string): UaSummary;
}

export type FactRefusal = 'unknown_site' | 'origin_not_allowed' | 'invalid_url' | 'bot' | 'no_client_address';

/** Why a request's facts do not allow going on. `bot` is acknowledged (200) and ignored. */
export interface Refused {
  refused: FactRefusal;
  detail: string;
}

export const refusalStatus: Record<FactRefusal, 200 | 400 | 403 | 404> = {
  unknown_site: 404,
  origin_not_allowed: 403,
  invalid_url: 400,
  no_client_address: 400,
  bot: 200,
};

const refuse = (refused: FactRefusal, detail: string): Refused => ({ refused, detail });

export async function knownSite(deps: Pick<RequestFactsDeps, 'sites'>, siteId: string, now: number): Promise<SiteInfo | Refused> {
  return (await deps.sites.get(siteId, now)) ?? refuse('unknown_site', `no site with id "${siteId}"`);
}

/** The request may come from a browser on one of the site's hosts only, and describe a page there. */
export function pageOnSite(site: SiteInfo, origin: string | undefined, pageUrl: string, hashRouting = false): ScrubbedPage | Refused {
  if (origin !== undefined) {
    let host: string;
    try {
      host = new URL(origin).hostname.toLowerCase();
    } catch {
      return refuse('origin_not_allowed', 'the Origin header is not a URL');
    }
    if (!hostAllowed(host, site.hosts)) return refuse('origin_not_allowed', `origin ${host} is not a host of this site`);
  }
  const page = scrubPageUrl(pageUrl, hashRouting);
  if (!page) return refuse('invalid_url', 'u must be an absolute http(s) URL');
  if (!hostAllowed(page.host, site.hosts)) return refuse('origin_not_allowed', `page host ${page.host} is not a host of this site`);
  return page;
}

/** The user agent's summary, unless it looks automated. */
export function humanAgent(deps: Pick<RequestFactsDeps, 'summarizeUa'>, userAgent: string): UaSummary | Refused {
  const ua = deps.summarizeUa(userAgent);
  return ua.bot ? refuse('bot', 'user agent looks automated') : ua;
}

/** The visitor's address, trusted-proxy aware. */
export function clientAddress(deps: Pick<RequestFactsDeps, 'clientIp'>, peer: string | undefined, forwardedFor: string | undefined): string | Refused {
  return deps.clientIp(peer, forwardedFor) ?? refuse('no_client_address', 'the client address could not be determined');
}

export interface Region {
  /** looked up from the full IP in memory */
  country: string | null;
  /** the policy's consent mode for that country */
  mode: ConsentModeName;
  /** the only form of the address that may be kept */
  ipTrunc: string | null;
}

/** Country, consent mode and truncated address; an unknown address gets the policy's unknown-country mode. */
export function regionOf(deps: Pick<RequestFactsDeps, 'geo' | 'policy'>, ip: string | null): Region {
  const country = ip ? deps.geo.country(ip) : null;
  const { policy } = deps.policy;
  return { country, mode: consentModeFor(policy, country), ipTrunc: ip ? truncateForPolicy(ip, policy) : null };
}

export const isRefused = <T>(fact: T | Refused): fact is Refused => typeof fact === 'object' && fact !== null && 'refused' in fact;
