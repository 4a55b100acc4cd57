import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { policySchema, type Policy } from './schema.ts';

export interface LoadedPolicy {
  policy: Policy;
  /** content hash of the validated policy: receipts and notices name the exact revision they relied on */
  revision: string;
}

export class PolicyError extends Error {
  override name = 'PolicyError';
}

export const defaultPolicyPath = fileURLToPath(new URL('./default.policy.json', import.meta.url));

/** Validates a parsed policy document; errors name the path of every problem. */
export function parsePolicy(input: unknown, source = 'policy'): LoadedPolicy {
  const result = policySchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const where = issue.path.length ? issue.path.join('.') : '(root)';
      const message = issue.code === 'invalid_type' && issue.message.endsWith('received undefined') ? 'is required but missing' : issue.message;
      return `  - ${where}: ${message}`;
    });
    throw new PolicyError(`${source} is not a valid ashiato policy:\n${lines.join('\n')}`);
  }
  return { policy: result.data, revision: revisionOf(result.data) };
}

export function loadPolicy(path: string = defaultPolicyPath): LoadedPolicy {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PolicyError(`cannot read policy file ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new PolicyError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parsePolicy(json, path);
}

function revisionOf(policy: Policy): string {
  const { $schema: _ignored, ...content } = policy;
  return createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 16);
}

/** JSON with sorted keys, so formatting and key order do not change the revision id. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
