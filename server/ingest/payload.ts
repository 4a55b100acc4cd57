import { z } from 'zod';
import { cookieIdPattern, type ConsentState, type EventPayload } from './wire.ts';

export const MAX_BODY_BYTES = 8 * 1024;

const propValue = z.union([z.string().max(256), z.number().finite(), z.boolean()]);

export const payloadSchema = z
  .strictObject({
    s: z.string().min(1).max(128),
    t: z.enum(['pageview', 'event']).optional(),
    n: z.string().trim().min(1).max(120).optional(),
    u: z.string().min(1).max(4096),
    // a referrer that is too long to matter is dropped, not the page view
    r: z.string().optional().transform((r) => (r && r.length <= 4096 ? r : undefined)),
    ti: z.string().max(512).optional(),
    p: z
      .record(z.string().min(1).max(64), propValue)
      .refine((p) => Object.keys(p).length <= 30, 'at most 30 properties')
      .optional(),
    w: z.number().int().min(0).max(100_000).optional(),
    l: z.string().max(35).optional(),
    c: z.union([z.literal(0), z.literal(1)]).optional(),
    g: z.literal(1).optional(),
    v: z.string().regex(cookieIdPattern, 'not a cookie id issued by this server').optional(),
    h: z.literal(1).optional(),
  })
  .refine((p) => p.t !== 'event' || p.n !== undefined, { message: 'an event needs a name (n)', path: ['n'] })
  .refine((p) => p.t !== 'pageview' || p.n === undefined, { message: 'a page view has no name (n)', path: ['n'] })
  .transform(
    (p): IncomingEvent => ({
      site: p.s,
      type: p.n === undefined ? 'pageview' : 'event',
      name: p.n,
      url: p.u,
      referrer: p.r,
      title: p.ti,
      props: p.p,
      screenWidth: p.w,
      language: p.l,
      consent: p.c === 1 ? 'granted' : p.c === 0 ? 'denied' : 'unset',
      gpc: p.g === 1,
      cookieId: p.v,
      hashRouting: p.h === 1,
    }),
  );

/** The wire payload with its short keys spelled out: what the ingest steps work on. */
export interface IncomingEvent {
  site: string;
  type: 'pageview' | 'event';
  name: string | undefined;
  url: string;
  referrer: string | undefined;
  title: string | undefined;
  props: Record<string, string | number | boolean> | undefined;
  screenWidth: number | undefined;
  language: string | undefined;
  consent: ConsentState;
  gpc: boolean;
  cookieId: string | undefined;
  hashRouting: boolean;
}

// The schema and the shared wire type must describe the same thing; this line stops the build if they drift.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _wireMatchesSchema: Same<z.input<typeof payloadSchema>, EventPayload> = true;
void _wireMatchesSchema;

export type ParseFailure = { ok: false; status: 400 | 413 | 415; error: string; message: string };
export type ParseResult = { ok: true; event: IncomingEvent } | ParseFailure;

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
  return { ok: true, event: result.data };
}
