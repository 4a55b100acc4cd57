import type { Context } from 'hono';
import { validator } from 'hono/validator';
import type { z } from 'zod';
import type { ApiError } from './wire.ts';

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue?.message ?? 'does not match'}`;
}

/** Validates a JSON body with a zod schema; `c.req.valid('json')` is then typed, and so is the hc client. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return validator('json', (value, c: Context) => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data as z.output<T>;
    return c.json<ApiError, 400>({ error: 'invalid_body', message: firstIssue(parsed.error) }, 400);
  });
}

/** Validates the query string the same way. */
export function queryOf<T extends z.ZodType>(schema: T) {
  return validator('query', (value, c: Context) => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data as z.output<T>;
    return c.json<ApiError, 400>({ error: 'invalid_query', message: firstIssue(parsed.error) }, 400);
  });
}
