import type { Policy } from '../../policy/schema.ts';
import type { ConsentAction } from './wire.ts';

export interface Choices {
  /** in the policy's category order; every required category is here */
  accepted: string[];
  /** every other category: consent is never assumed, so one the visitor did not accept is rejected */
  rejected: string[];
}

export interface ChoiceError {
  error: 'unknown_category' | 'required_category' | 'conflicting_choice' | 'action_mismatch';
  message: string;
}

/** Actions after which only the required categories may stand. */
const refusals = new Set<ConsentAction>(['reject_all', 'withdraw', 'gpc']);

/**
 * Checks the banner's lists against the policy's categories and the action, and returns the full decision:
 * each category either accepted or rejected.
 */
export function resolveChoices(policy: Policy, action: ConsentAction, accepted: readonly string[], rejected: readonly string[]): Choices | ChoiceError {
  const categories = policy.consent.categories;
  const byId = new Map(categories.map((c) => [c.id, c]));
  const unknown = [...accepted, ...rejected].find((id) => !byId.has(id));
  if (unknown) return { error: 'unknown_category', message: `the policy has no consent category "${unknown}"` };
  const required = rejected.find((id) => byId.get(id)!.required);
  if (required) return { error: 'required_category', message: `"${required}" is strictly necessary and cannot be rejected` };
  const both = accepted.find((id) => rejected.includes(id));
  if (both) return { error: 'conflicting_choice', message: `"${both}" is both accepted and rejected` };

  const optional = categories.filter((c) => !c.required).map((c) => c.id);
  if (action === 'accept_all' && optional.some((id) => !accepted.includes(id))) {
    return { error: 'action_mismatch', message: 'accept_all must accept every category' };
  }
  if (refusals.has(action) && optional.some((id) => accepted.includes(id))) {
    return { error: 'action_mismatch', message: `${action} may accept only the required categories` };
  }
  const isAccepted = (c: (typeof categories)[number]) => c.required || accepted.includes(c.id);
  return {
    accepted: categories.filter(isAccepted).map((c) => c.id),
    rejected: categories.filter((c) => !isAccepted(c)).map((c) => c.id),
  };
}
