import { consentModeFor } from '../../policy/consent-mode.ts';
import type { LoadedPolicy } from '../../policy/load.ts';
import type { BannerConfig, BannerLanguage } from './wire.ts';

/**
 * The banner's view of the policy for one visitor: one source of truth for modes, revision and categories.
 * `gpcHeader`: the request carried `Sec-GPC: 1`, which the page's script cannot see for itself.
 */
export function bannerConfig(policy: LoadedPolicy, country: string | null, acceptLanguage: string | undefined, gpcHeader = false): BannerConfig {
  return {
    m: consentModeFor(policy.policy, country),
    rev: policy.revision,
    l: preferredLanguage(acceptLanguage),
    cats: policy.policy.consent.categories.map((c) => ({ id: c.id, req: c.required, label: c.label, desc: c.description })),
    t: policy.policy.consent.banner,
    ...(gpcHeader && { g: 1 as const }),
  };
}

/** ja or en, whichever the Accept-Language header ranks higher; en when it names neither. */
export function preferredLanguage(header: string | undefined): BannerLanguage {
  let best: BannerLanguage = 'en';
  let bestQ = 0;
  for (const part of (header ?? '').split(',')) {
    const [tag = '', ...params] = part.split(';');
    const lang = tag.trim().toLowerCase().split('-')[0];
    if (lang !== 'ja' && lang !== 'en') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    if (weight > bestQ) {
      best = lang;
      bestQ = weight;
    }
  }
  return best;
}
