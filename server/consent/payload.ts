import { z } from 'zod';
import { cookieIdPattern } from '../ingest/wire.ts';
import type { BannerLanguage, ConsentAction, ConsentPayload } from './wire.ts';

export const MAX_CONSENT_BYTES = 4 * 1024;

const categoryId = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'not a category id');
const categoryList = z.array(categoryId).max(32);

export const consentSchema = z
  .strictObject({
    s: z.string().min(1).max(128),
    a: z.enum(['accept_all', 'reject_all', 'custom', 'withdraw', 'gpc']),
    acc: categoryList,
    rej: categoryList,
    rev: z.string().min(1).max(64),
    th: z.string().regex(/^[0-9a-f]{64}$/, 'expected the SHA-256 of the banner text as 64 lower-case hex digits'),
    l: z.enum(['ja', 'en']),
    u: z.string().min(1).max(2048),
    // a damaged cookie must not stop the visitor from recording a choice: an id of the wrong shape is replaced
    id: z.string().max(128).optional(),
  })
  .transform(
    (p): IncomingConsent => ({
      site: p.s,
      action: p.a,
      accepted: p.acc,
      rejected: p.rej,
      revision: p.rev,
      textHash: p.th,
      language: p.l,
      url: p.u,
      consentId: p.id !== undefined && cookieIdPattern.test(p.id) ? p.id : undefined,
    }),
  );

/** The wire payload with its keys spelled out: what the receipt steps work on. */
export interface IncomingConsent {
  site: string;
  action: ConsentAction;
  accepted: string[];
  rejected: string[];
  revision: string;
  textHash: string;
  language: BannerLanguage;
  url: string;
  /** the visitor's consent id when it has the shape of one this server issues */
  consentId: string | undefined;
}

// The schema and the shared wire type must describe the same thing; this line stops the build if they drift.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _wireMatchesSchema: Same<z.input<typeof consentSchema>, ConsentPayload> = true;
void _wireMatchesSchema;

export type ConsentParseFailure = { ok: false; status: 400 | 413 | 415; error: string; message: string };
export type ConsentParseResult = { ok: true; consent: IncomingConsent } | ConsentParseFailure;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The one place raw consent bytes are checked; everything after works on a typed IncomingConsent. */
export function parseConsentPayload(body: Uint8Array, contentType: string | undefined): ConsentParseResult {
  const type = (contentType ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
  if (type !== 'text/plain' && type !== 'application/json') {
    return { ok: false, status: 415, error: 'unsupported_media_type', message: 'send the choice as text/plain or application/json' };
  }
  if (body.byteLength > MAX_CONSENT_BYTES) {
    return { ok: false, status: 413, error: 'payload_too_large', message: `a consent choice may be at most ${MAX_CONSENT_BYTES} bytes` };
  }
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(body));
  } catch {
    return { ok: false, status: 400, error: 'invalid_json', message: 'the body is not valid UTF-8 JSON' };
  }
  const result = consentSchema.safeParse(json);
  if (!result.success) {
    const first = result.error.issues[0]!;
    const where = first.path.length ? first.path.join('.') : 'body';
    return { ok: false, status: 400, error: 'invalid_consent', message: `${where}: ${first.message}` };
  }
  return { ok: true, consent: result.data };
}
