import type { Context } from 'hono';
import type { z } from 'zod';
import { readBodyWithin } from './read-body.ts';

/** A client mistake in a JSON body, as the 4xx answer will say it. */
export type ParseFailure = { ok: false; status: 400 | 413 | 415; error: string; message: string };

export interface PayloadRules {
  maxBytes: number;
  /** how the body is named in messages: 'an event', 'a consent choice' */
  what: string;
  /** the error code for a body that is JSON but not what the schema wants */
  invalid: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The one place raw bytes from a browser are checked: media type, size, UTF-8, JSON, then the strict schema.
 * Everything after it works on the schema's typed output.
 */
export function parseJsonPayload<S extends z.ZodType>(
  body: Uint8Array,
  contentType: string | undefined,
  schema: S,
  rules: PayloadRules,
): { ok: true; value: z.output<S> } | ParseFailure {
  const type = (contentType ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
  if (type !== 'text/plain' && type !== 'application/json') {
    return { ok: false, status: 415, error: 'unsupported_media_type', message: `send ${rules.what} as text/plain or application/json` };
  }
  if (body.byteLength > rules.maxBytes) {
    return { ok: false, status: 413, error: 'payload_too_large', message: `${rules.what} may be at most ${rules.maxBytes} bytes` };
  }
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { ok: false, status: 400, error: 'invalid_encoding', message: 'the body is not valid UTF-8' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, status: 400, error: 'invalid_json', message: 'the body is not valid JSON' };
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const first = result.error.issues[0]!;
    const where = first.path.length ? first.path.join('.') : 'body';
    return { ok: false, status: 400, error: rules.invalid, message: `${where}: ${first.message}` };
  }
  return { ok: true, value: result.data };
}

/** Reads the request's body and checks it as `parseJsonPayload` does. */
export async function readJsonPayload<S extends z.ZodType>(c: Context, schema: S, rules: PayloadRules): Promise<{ ok: true; value: z.output<S> } | ParseFailure> {
  const body = await readBodyWithin(c, rules.maxBytes, rules.what);
  return body.ok ? parseJsonPayload(body.bytes, c.req.header('content-type'), schema, rules) : body;
}

/** `true` only when A and B are the same type: pins a zod schema's input to a shared wire type. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
