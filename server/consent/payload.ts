import { z } from 'zod';
import { parseJsonPayload, type ParseFailure, type Same } from '../http/json-payload.ts';
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
const _wireMatchesSchema: Same<z.input<typeof consentSchema>, ConsentPayload> = true;
void _wireMatchesSchema;

export type ConsentParseFailure = ParseFailure;
export type ConsentParseResult = { ok: true; consent: IncomingConsent } | ConsentParseFailure;

/** The one place raw consent bytes are checked; everything after works on a typed IncomingConsent. */
export function parseConsentPayload(body: Uint8Array, contentType: string | undefined): ConsentParseResult {
  const parsed = parseJsonPayload(body, contentType, consentSchema, { maxBytes: MAX_CONSENT_BYTES, what: 'a consent choice', invalid: 'invalid_consent' });
  return parsed.ok ? { ok: true, consent: parsed.value } : parsed;
}
