import type { Policy, ConsentModeName } from './schema.ts';

/** The regional consent mode for a visitor's country (looked up from the full IP in memory, never stored). */
export function consentModeFor(policy: Policy, country: string | null): ConsentModeName {
  if (!country) return policy.consent.unknownCountryMode;
  for (const region of policy.consent.regions) if (region.countries.includes(country)) return region.mode;
  return policy.consent.defaultMode;
}
