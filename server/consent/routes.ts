import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import type { ApiError } from '../http/wire.ts';
import type { EventIgnored } from '../ingest/wire.ts';
import type { Logger } from '../log.ts';
import { beaconPreflight, readBeacon } from '../http/beacon.ts';
import type { Database } from '../store/schema.ts';
import { bannerConfig } from './banner-config.ts';
import { appendReceipt } from './chain.ts';
import { MAX_CONSENT_BYTES, parseConsentPayload } from './payload.ts';
import { draftReceipt, type ReceiptDeps } from './receipt.ts';
import type { BannerConfig, ConsentRecorded, ConsentStale } from './wire.ts';

export interface ConsentDeps extends ReceiptDeps {
  db: Kysely<Database>;
  clock: () => number;
  log: Logger;
  /** the TCP peer; injected so tests through app.request() can say who is calling */
  peerAddress(c: Context): string | undefined;
}

const unavailable: ApiError = { error: 'unavailable', message: 'storage is unavailable; retry later' };

/**
 * The banner's public endpoints: POST /api/consent (record a choice as a receipt) and GET /api/config (the
 * mode, revision and categories for this visitor). No credentials are ever sent, so any origin may read the
 * answers; which origins may write is decided per site. Mount with `app.route('/', consentRoutes(deps))`.
 */
export function consentRoutes(deps: ConsentDeps) {
  return new Hono()
    .options('/api/consent', beaconPreflight)
    .post('/api/consent', async function recordConsent(c) {
      const bytes = await readBeacon(c, MAX_CONSENT_BYTES, 'a consent choice');
      if (bytes instanceof Response) return bytes;
      const parsed = parseConsentPayload(bytes, c.req.header('content-type'));
      if (!parsed.ok) return c.json<ApiError>({ error: parsed.error, message: parsed.message }, parsed.status);

      const req = {
        consent: parsed.consent,
        peer: deps.peerAddress(c),
        forwardedFor: c.req.header('x-forwarded-for'),
        userAgent: c.req.header('user-agent') ?? '',
        origin: c.req.header('origin'),
        receivedAt: deps.clock(),
      };
      try {
        const draft = await draftReceipt(req, deps);
        if ('error' in draft) {
          deps.log('debug', 'consent not recorded', { reason: draft.error, site: req.consent.site });
          if (draft.status === 200) return c.json<EventIgnored>({ ok: true, dropped: draft.error }, 200);
          if (draft.status === 409) return c.json<ConsentStale>({ error: 'stale_revision', message: draft.message, revision: deps.policy.revision }, 409);
          return c.json<ApiError>({ error: draft.error, message: draft.message }, draft.status);
        }
        const row = await appendReceipt(deps.db, draft.receipt);
        return c.json<ConsentRecorded>({ consentId: row.consent_id!, revision: row.revision!, ...draft.choices }, 201);
      } catch (err) {
        deps.log('error', 'consent receipt failed', { error: (err as Error).message });
        c.header('Retry-After', '5');
        return c.json(unavailable, 503);
      }
    })
    .get('/api/config', async function bannerConfigRoute(c) {
      c.header('Access-Control-Allow-Origin', '*');
      const siteId = c.req.query('s');
      if (!siteId || siteId.length > 128) return c.json<ApiError>({ error: 'missing_site', message: 'say which site with ?s=<site id>' }, 400);
      let site;
      try {
        site = await deps.sites.get(siteId, deps.clock());
      } catch (err) {
        deps.log('error', 'site lookup failed', { error: (err as Error).message });
        c.header('Retry-After', '5');
        return c.json(unavailable, 503);
      }
      if (!site) return c.json<ApiError>({ error: 'unknown_site', message: `no site with id "${siteId}"` }, 404);
      const ip = deps.clientIp(deps.peerAddress(c), c.req.header('x-forwarded-for'));
      const country = ip ? deps.geo.country(ip) : null;
      // private: the mode depends on the caller's address; the language on their Accept-Language
      c.header('Cache-Control', 'private, max-age=300');
      c.header('Vary', 'Accept-Language, Sec-GPC');
      return c.json<BannerConfig>(bannerConfig(deps.policy, country, c.req.header('accept-language'), c.req.header('sec-gpc') === '1'), 200);
    });
}
