import { loadPolicy, parsePolicy, type LoadedPolicy } from '../../policy/load.ts';
import type { PolicyInput } from '../../policy/schema.ts';

/** The example policy with `change` applied, parsed again (defaults, checks and revision id included). */
export function policyWith(change: (p: PolicyInput) => void): LoadedPolicy {
  const base = structuredClone(loadPolicy().policy) as PolicyInput;
  change(base);
  return parsePolicy(base);
}
