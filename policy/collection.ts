import type { ItemId, Policy } from './schema.ts';

/** The set of items the policy says are collected; ingest blanks every field outside it. */
export function collectedItems(policy: Policy): ReadonlySet<ItemId> {
  return new Set(policy.items.map((i) => i.id));
}
