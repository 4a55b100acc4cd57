import { Hono, type Context } from 'hono';
import type { Logger } from '../log.ts';
import { MAX_BODY_BYTES, parsePayload } from './payload.ts';
import { beaconPreflight, readBeacon } from '../http/beacon.ts';
import { refusalStatus } from '../http/request-facts.ts';
import type { DropReason, IngestRequest, VisitRelink, createPipeline } from './pipeline.ts';
import { WriterClosedError, type Writer } from './writer.ts';
import type { ApiError, EventAccepted, EventIgnored } from './wire.ts';

export interface IngestDeps {
  pipeline: ReturnType<typeof createPipeline>;
  writer: Writer;
  /** moves a visit's stored rows to another visitor id (consent withdrawn mid-visit) */
  relinkVisit(relink: VisitRelink): Promise<void>;
  clock: () => number;
  log: Logger;
  cookieLifetimeDays: number;
  /** the TCP peer; injected so tests through app.request() can say who is calling */
  peerAddress(c: Context): string | undefined;
}

/** Client mistakes are 4xx; deliberate non-recording (bots, policy) is a 200 the tracker can ignore. */
const dropStatus: Record<DropReason, 200 | 400 | 403 | 404> = {
  ...refusalStatus,
  suppressed: 200,
  not_in_policy: 200,
};

export function ingestRoutes(deps: IngestDeps) {
  const app = new Hono();

  // text/plain needs no preflight; this answers clients that send application/json anyway.
  app.options('/api/event', beaconPreflight);

  app.post('/api/event', async function ingestEvent(c) {
    const bytes = await readBeacon(c, MAX_BODY_BYTES, 'an event');
    if (bytes instanceof Response) return bytes;
    const parsed = parsePayload(bytes, c.req.header('content-type'));
    if (!parsed.ok) return c.json<ApiError>({ error: parsed.error, message: parsed.message }, parsed.status);

    const req: IngestRequest = {
      event: parsed.event,
      peer: deps.peerAddress(c),
      forwardedFor: c.req.header('x-forwarded-for'),
      userAgent: c.req.header('user-agent') ?? '',
      origin: c.req.header('origin'),
      gpcHeader: c.req.header('sec-gpc') === '1',
      acceptLanguage: c.req.header('accept-language'),
      receivedAt: deps.clock(),
    };
    const result = await deps.pipeline(req);
    if ('dropped' in result) {
      const status = dropStatus[result.dropped];
      deps.log('debug', 'event dropped', { reason: result.dropped, site: req.event.site });
      if (status === 200) return c.json<EventIgnored>({ ok: true, dropped: result.dropped }, 200);
      return c.json<ApiError>({ error: result.dropped, message: result.detail }, status);
    }

    try {
      if (result.relink) await deps.relinkVisit(result.relink);
      await deps.writer.write(result.row);
    } catch (err) {
      const closing = err instanceof WriterClosedError;
      if (!closing) deps.log('error', 'event commit failed', { error: (err as Error).message });
      c.header('Retry-After', '5');
      return c.json<ApiError>({ error: 'unavailable', message: closing ? 'the server is shutting down' : 'storage is unavailable; retry later' }, 503);
    }
    const body: EventAccepted = { ok: true, m: result.mode };
    if (result.cookieId) {
      body.v = result.cookieId;
      body.d = deps.cookieLifetimeDays * 86_400;
    }
    return c.json(body, 202);
  });

  return app;
}
