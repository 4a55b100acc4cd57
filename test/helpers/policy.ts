import { loadPolicy, parsePolicy, type LoadedPolicy } from '../../policy/load.ts';
import type { PolicyInput } from '../../policy/schema.ts';

/**
 * The example policy with `change` applied, parsed again (defaults, checks and revision id included). Staff
 * sign in without a second factor here unless `change` asks for one: only the second-factor tests need it.
 */
export function policyWith(change: (p: PolicyInput) => void): LoadedPolicy {
  const base = structuredClone(loadPolicy().policy) as PolicyInput;
  base.staff = { secondFactorRoles: [] };
  change(base);
  return parsePolicy(base);
}
