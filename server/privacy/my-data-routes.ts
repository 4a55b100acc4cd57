import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { consentModeFor } from '../../policy/consent-mode.ts';
import type { LoadedPolicy } from '../../policy/load.ts';
import type { Lang } from '../../policy/notice/labels.ts';
import { noticePaths } from '../../policy/notice/paths.ts';
import { appendReceipt } from '../consent/chain.ts';
import { resolveChoices } from '../consent/choices.ts';
import type { AppEnv } from '../env.ts';
import type { Geo } from '../ingest/geo.ts';
import { truncateIp } from '../ingest/ip.ts';
import { randomId } from '../ingest/random-id.ts';
import { readBody } from '../ingest/read-body.ts';
import type { SessionTracker } from '../ingest/sessions.ts';
import type { UaSummary } from '../ingest/ua.ts';
import { cookieIdPattern, type ApiError } from '../ingest/wire.ts';
import type { Logger } from '../log.ts';
import { negotiateLang } from '../notice/language.ts';
import type { Database } from '../store/schema.ts';
import { attachment } from './http.ts';
import { MY_DATA_SCRIPT_PATH, renderMyDataPage } from './my-data-page.ts';
import { MY_DATA_SHOWN, type MyDataDeleted, type MyDataRequest, type MyDataSuspended, type MyDataView, type MyDataWithdrawn } from './my-data-wire.ts';
import type { SuppressionList } from './suppressions.ts';
import { deleteVisitorData, findVisitorData, keySetOf, type VisitorKeys } from './visitor-data.ts';
import { myDataFile } from './visitor-export.ts';
import type { EventStore } from '../store/events/event-store.ts';

export interface MyDataDeps {
  db: Kysely<Database>;
  policy: LoadedPolicy;
  clock: () => number;
  log: Logger;
  suppressions: SuppressionList;
  /** the ingest session tracker: a deleted visitor's next event then starts a fresh visit */
  sessions?: SessionTracker | undefined;
  /** the reports' event store: a deletion removes the visitor there too */
  events?: EventStore | undefined;
  geo: Geo;
  /** the client's address (trusted-proxy aware): its truncation goes on a withdrawal receipt */
  clientIp(c: Context): string | null | undefined;
  summarizeUa(ua: string): UaSummary;
  /** the public URL is https though this process sees http: `https://<host>` is then our own origin */
  secureCookies?: boolean | undefined;
}

export const MY_DATA_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const MAX_BODY = 1024;

const requestSchema = z
  .strictObject({
    v: z.string().regex(cookieIdPattern, 'not a cookie id').optional(),
    c: z.string().regex(cookieIdPattern, 'not a consent id').optional(),
    l: z.enum(['ja', 'en']).optional(),
  })
  .refine((b) => b.v !== undefined || b.c !== undefined, 'send the cookie id (v), the consent id (c) or both');

// The schema and the shared wire type must describe the same thing; this line stops the build if they drift.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _wireMatchesSchema: Same<z.input<typeof requestSchema>, MyDataRequest> = true;
void _wireMatchesSchema;

const clientSource = fileURLToPath(new URL('./my-data-client.ts', import.meta.url));
let compiled: Promise<string> | undefined;
/** The page's script, compiled from TypeScript on first use and kept for the life of the process. */
function clientScript(): Promise<string> {
  compiled ??= readFile(clientSource, 'utf8')
    .then((source) => transform(source, { loader: 'ts', format: 'iife', target: 'es2020', minify: true, legalComments: 'none' }))
    .then((r) => r.code)
    .catch((err: unknown) => {
      compiled = undefined;
      throw err;
    });
  return compiled;
}

/** Same origin only: another site's page (the tracked site included) cannot act on a visitor's data. */
function fromOwnOrigin(c: Context, secure: boolean): boolean {
  const url = new URL(c.req.url);
  const origin = c.req.header('origin');
  if (origin !== undefined) return origin === url.origin || (secure && origin === `https://${url.host}`);
  const site = c.req.header('sec-fetch-site');
  return site === undefined || site === 'same-origin' || site === 'none';
}

type Parsed = { ok: true; keys: VisitorKeys; lang: Lang } | { ok: false; status: 400 | 403 | 413 | 415; body: ApiError };

async function parse(c: Context, secure: boolean): Promise<Parsed> {
  if (!fromOwnOrigin(c, secure)) return { ok: false, status: 403, body: { error: 'origin_mismatch', message: 'this page acts only on requests from itself' } };
  const type = (c.req.header('content-type') ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
  if (type !== 'text/plain' && type !== 'application/json') {
    return { ok: false, status: 415, body: { error: 'unsupported_media_type', message: 'send the ids as text/plain or application/json' } };
  }
  let raw;
  try {
    raw = await readBody(c, MAX_BODY);
  } catch {
    return { ok: false, status: 400, body: { error: 'incomplete_body', message: 'the request body could not be read' } };
  }
  if (!raw.ok) return { ok: false, status: 413, body: { error: 'payload_too_large', message: `at most ${MAX_BODY} bytes` } };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw.bytes));
  } catch {
    return { ok: false, status: 400, body: { error: 'invalid_json', message: 'the body is not valid UTF-8 JSON' } };
  }
  const result = requestSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    return { ok: false, status: 400, body: { error: 'invalid_ids', message: `${issue.path.join('.') || 'body'}: ${issue.message}` } };
  }
  return { ok: true, keys: { cookieId: result.data.v, consentId: result.data.c }, lang: result.data.l ?? 'ja' };
}

/** The site a withdrawal belongs to: the visitor's last receipt's, else their last visit's. */
async function siteOf(db: Kysely<Database>, keys: VisitorKeys): Promise<string | null> {
  if (keys.consentId) {
    const r = await db.selectFrom('consent_receipts').select('site_id').where('consent_id', '=', keys.consentId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    if (r) return r.site_id;
  }
  if (keys.cookieId) {
    const s = await db
      .selectFrom('sessions')
      .select('site_id')
      .where('visitor_id', '=', keys.cookieId)
      .where('visitor_kind', '=', 'cookie')
      .orderBy('last_seen_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (s) return s.site_id;
  }
  return null;
}

const noStore = (c: Context) => {
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
};

/**
 * The visitor's own page and API: `GET /privacy/my-data` (ja/en), `GET /privacy/my-data.js`, and
 * `POST /api/my-data` (what is held), `/api/my-data/export?format=json|csv`, `/api/my-data/delete`,
 * `/api/my-data/suspend`, `/api/my-data/withdraw`. No staff session is involved; the random ids in the
 * body are the key. Mount with `app.route('/', myDataRoutes(deps))`.
 */
export function myDataRoutes(deps: MyDataDeps) {
  const secure = deps.secureCookies ?? false;
  const pages = new Map<Lang, string>();
  const page = (lang: Lang) => {
    let body = pages.get(lang);
    if (!body) pages.set(lang, (body = renderMyDataPage(deps.policy, lang)));
    return body;
  };
  const unavailable = (c: Context, err: unknown) => {
    deps.log('error', 'my-data request failed', { error: (err as Error).message });
    c.header('Retry-After', '5');
    return c.json<ApiError, 503>({ error: 'unavailable', message: 'storage is unavailable; retry later' }, 503);
  };

  return new Hono<AppEnv>()
    .get(noticePaths.myData, function myDataPage(c) {
      const lang = negotiateLang(c.req.query('lang'), c.req.header('accept-language'));
      // the page holds nobody's data (that comes from the API), so it may be cached like the notices
      c.header('Cache-Control', 'public, max-age=300');
      c.header('Content-Language', lang);
      c.header('Vary', 'Accept-Language');
      c.header('Content-Security-Policy', MY_DATA_CSP);
      c.header('X-Content-Type-Options', 'nosniff');
      return c.html(page(lang));
    })
    .get(MY_DATA_SCRIPT_PATH, async function myDataScript(c) {
      let code: string;
      try {
        code = await clientScript();
      } catch (err) {
        deps.log('error', 'my-data script could not be built', { error: (err as Error).message });
        return c.text('the script could not be built', 503);
      }
      c.header('Cache-Control', 'public, max-age=300');
      c.header('X-Content-Type-Options', 'nosniff');
      c.header('Content-Type', 'text/javascript; charset=utf-8');
      return c.body(code);
    })
    .post('/api/my-data', async function viewMyData(c) {
      noStore(c);
      const req = await parse(c, secure);
      if (!req.ok) return c.json<ApiError, typeof req.status>(req.body, req.status);
      try {
        const data = await findVisitorData(deps.db, req.keys, deps.suppressions.has);
        const times = data.events.map((e) => e.time);
        const view: MyDataView = {
          counts: { events: data.events.length, sessions: data.sessions.length, receipts: data.receipts.length, provisions: data.provisions.length },
          events: data.events.slice(-MY_DATA_SHOWN).reverse(),
          sessions: [...data.sessions].reverse(),
          receipts: [...data.receipts].reverse(),
          provisions: data.provisions,
          firstSeen: times.length ? times[0]! : null,
          lastSeen: times.length ? times[times.length - 1]! : null,
          suppressed: data.suppressed,
        };
        return c.json<MyDataView, 200>(view, 200);
      } catch (err) {
        return unavailable(c, err);
      }
    })
    .post('/api/my-data/export', async function exportMyData(c) {
      noStore(c);
      const format = c.req.query('format') ?? 'json';
      if (format !== 'json' && format !== 'csv') return c.json<ApiError, 400>({ error: 'invalid_format', message: 'format is json or csv' }, 400);
      const req = await parse(c, secure);
      if (!req.ok) return c.json<ApiError, typeof req.status>(req.body, req.status);
      try {
        const now = deps.clock();
        const data = await findVisitorData(deps.db, req.keys, deps.suppressions.has);
        const file = myDataFile(data, keySetOf(req.keys), deps.policy, now, format);
        attachment(c, file.fileName);
        c.header('Content-Type', file.contentType);
        return c.body(file.body, 200);
      } catch (err) {
        return unavailable(c, err);
      }
    })
    .post('/api/my-data/delete', async function deleteMyData(c) {
      noStore(c);
      const req = await parse(c, secure);
      if (!req.ok) return c.json<ApiError, typeof req.status>(req.body, req.status);
      try {
        const done = await deleteVisitorData(deps.db, req.keys, { now: deps.clock(), hash: deps.suppressions.hash, source: 'visitor', sessions: deps.sessions, events: deps.events });
        deps.log('info', 'visitor data deleted', { events: done.events, sessions: done.sessions, receipts: done.receipts, repeat: done.previousDeletions > 0 });
        return c.json<MyDataDeleted, 200>({ deleted: { events: done.events, sessions: done.sessions, receipts: done.receipts }, previousDeletions: done.previousDeletions }, 200);
      } catch (err) {
        return unavailable(c, err);
      }
    })
    .post('/api/my-data/suspend', async function suspendMyData(c) {
      noStore(c);
      const req = await parse(c, secure);
      if (!req.ok) return c.json<ApiError, typeof req.status>(req.body, req.status);
      if (!req.keys.cookieId) return c.json<ApiError, 400>({ error: 'cookie_id_required', message: 'only a cookie id (v) can be stopped' }, 400);
      try {
        await deps.suppressions.add(req.keys.cookieId, 'suspend', deps.clock());
        return c.json<MyDataSuspended, 200>({ suppressed: true }, 200);
      } catch (err) {
        return unavailable(c, err);
      }
    })
    .post('/api/my-data/withdraw', async function withdrawConsent(c) {
      noStore(c);
      const req = await parse(c, secure);
      if (!req.ok) return c.json<ApiError, typeof req.status>(req.body, req.status);
      try {
        const now = deps.clock();
        const site = await siteOf(deps.db, req.keys);
        if (!site) return c.json<ApiError, 409>({ error: 'nothing_to_withdraw', message: 'no consent record or visit is held for these ids' }, 409);
        const { policy } = deps.policy;
        const choices = resolveChoices(policy, 'withdraw', [], []);
        if ('error' in choices) throw new Error(choices.message);
        const ip = deps.clientIp(c) ?? null;
        const ua = deps.summarizeUa(c.req.header('user-agent') ?? '');
        const row = await appendReceipt(deps.db, {
          ts: now,
          site_id: site,
          consent_id: req.keys.consentId ?? randomId(),
          revision: deps.policy.revision,
          // recorded here, not in the banner: no banner text was shown
          banner_hash: null,
          mode: consentModeFor(policy, ip ? deps.geo.country(ip) : null),
          action: 'withdraw',
          accepted: JSON.stringify(choices.accepted),
          rejected: JSON.stringify(choices.rejected),
          language: req.lang,
          path: noticePaths.myData,
          ip_trunc: ip ? truncateIp(ip, policy.ip.ipv4Prefix, policy.ip.ipv6Prefix) : null,
          browser: ua.browser,
          browser_version: ua.browserVersion,
          os: ua.os,
          device: ua.device,
        });
        if (req.keys.cookieId) await deps.suppressions.add(req.keys.cookieId, 'withdraw', now);
        return c.json<MyDataWithdrawn, 201>({ consentId: row.consent_id!, suppressed: req.keys.cookieId !== undefined }, 201);
      } catch (err) {
        return unavailable(c, err);
      }
    });
}
