import { z } from 'zod';
import { parseJsonPayload, type ParseFailure, type Same } from '../http/json-payload.ts';
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
const _wireMatchesSchema: Same<z.input<typeof payloadSchema>, EventPayload> = true;
void _wireMatchesSchema;

export type ParseResult = { ok: true; event: IncomingEvent } | ParseFailure;

/** The one place raw request bytes are checked; everything after works on a typed IncomingEvent. */
export function parsePayload(body: Uint8Array, contentType: string | undefined): ParseResult {
  const parsed = parseJsonPayload(body, contentType, payloadSchema, { maxBytes: MAX_BODY_BYTES, what: 'an event', invalid: 'invalid_event' });
  return parsed.ok ? { ok: true, event: parsed.value } : parsed;
}
