import { z } from 'zod';
import { cookieIdPattern, type EventPayload } from './wire.ts';

export const MAX_BODY_BYTES = 8 * 1024;

const propValue = z.union([z.string().max(256), z.number().finite(), z.boolean()]);

export const payloadSchema = z
  .strictObject({
    s: z.string().min(1).max(128),
    t: z.enum(['pageview', 'event']),
    n: z.string().trim().min(1).max(120).optional(),
    u: z.string().min(1).max(2048),
    r: z.string().max(2048).optional(),
    ti: z.string().max(512).optional(),
    p: z
      .record(z.string().min(1).max(64), propValue)
      .refine((p) => Object.keys(p).length <= 30, 'at most 30 properties')
      .optional(),
    w: z.number().int().min(0).max(100_000).optional(),
    l: z.string().max(35).optional(),
    c: z.enum(['granted', 'denied', 'unset']),
    g: z.literal(1).optional(),
    v: z.string().regex(cookieIdPattern, 'not a cookie id issued by this server').optional(),
    h: z.literal(1).optional(),
  })
  .refine((p) => p.t !== 'event' || p.n !== undefined, { message: 'an event needs a name (n)', path: ['n'] });

// The schema and the shared wire type must describe the same thing; this line stops the build if they drift.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _wireMatchesSchema: Same<z.infer<typeof payloadSchema>, EventPayload> = true;
void _wireMatchesSchema;

export type ParseFailure = { ok: false; status: 400 | 413 | 415; error: string; message: string };
export type ParseResult = { ok: true; payload: EventPayload } | ParseFailure;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The one place raw request bytes are checked; everything after works on a typed EventPayload. */
export function parsePayload(body: Uint8Array, contentType: string | undefined): ParseResult {
  const type = (contentType ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
  if (type !== 'text/plain' && type !== 'application/json') {
    return { ok: false, status: 415, error: 'unsupported_media_type', message: 'send the event as text/plain or application/json' };
  }
  if (body.byteLength > MAX_BODY_BYTES) {
    return { ok: false, status: 413, error: 'payload_too_large', message: `an event may be at most ${MAX_BODY_BYTES} bytes` };
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
  const result = payloadSchema.safeParse(json);
  if (!result.success) {
    const first = result.error.issues[0]!;
    const where = first.path.length ? first.path.join('.') : 'body';
    return { ok: false, status: 400, error: 'invalid_event', message: `${where}: ${first.message}` };
  }
  return { ok: true, payload: result.data };
}
