import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { policySchema } from './schema.ts';

/** Writes policy/policy.schema.json so editors can check a policy file as it is typed. */
export function policyJsonSchema(): object {
  return z.toJSONSchema(policySchema, { io: 'input', unrepresentable: 'any' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = fileURLToPath(new URL('./policy.schema.json', import.meta.url));
  writeFileSync(out, `${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
  console.log(`wrote ${out}`);
}
