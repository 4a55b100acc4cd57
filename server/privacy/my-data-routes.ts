import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { LoadedPolicy } from '../../policy/load.ts';
import type { Lang } from '../../policy/notice/labels.ts';
import { noticePaths } from '../../policy/notice/paths.ts';
import { appendReceipt } from '../consent/chain.ts';
import { resolveChoices } from '../consent/choices.ts';
import { receiptOf } from '../consent/receipt.ts';
import type { AppEnv } from '../env.ts';
import type { Geo } from '../http/geo.ts';
import { readJsonPayload, type Same } from '../http/json-payload.ts';
import { regionOf } from '../http/request-facts.ts';
import { fromOwnOrigin } from '../http/same-origin.ts';
import type { SessionTracker } from '../ingest/sessions.ts';
import type { UaSummary } from '../http/ua.ts';
import type { ApiError } from '../http/wire.ts';
import { cookieIdPattern } from '../ingest/wire.ts';
import type { Logger } from '../log.ts';
import { negotiateLang } from '../notice/language.ts';
import type { Database } from '../store/schema.ts';
import { attachment } from './http.ts';
import { MY_DATA_SCRIPT_PATH, renderMyDataPage } from './my-data-page.ts';
import { MY_DATA_SHOWN, type MyDataDeleted, type MyDataRequest, type MyDataSuspended, type MyDataView, type MyDataWithdrawn } from './my-data-wire.ts';
import type { SuppressionList } from './suppressions.ts';
import { deleteVisitorData, findVisitorData, keySetOf, type VisitorKeys } from './visitor-data.ts';
import { audit, visitorActor } from './audit.ts';
import { myDataFile } from './visitor-export.ts';

export interface MyDataDeps {
  db: Kysely<Database>;
  policy: LoadedPolicy;
  clock: () => number;
  log: Logger;
  suppressions: SuppressionList;
  /** the ingest session tracker: a deleted visitor's next event then starts a fresh visit */
  sessions?: SessionTracker | undefined;
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

type Parsed = { ok: true; keys: VisitorKeys; lang: Lang } | { ok: false; status: 400 | 403 | 413 | 415; body: ApiError };

/** Same origin only (another site's page, the tracked site included, cannot act on a visitor's data), then the ids. */
async function parse(c: Context, secure: boolean): Promise<Parsed> {
  if (!fromOwnOrigin(c, { secure, userInitiated: true })) {
    return { ok: false, status: 403, body: { error: 'origin_mismatch', message: 'this page acts only on requests from itself' } };
  }
  const result = await readJsonPayload(c, requestSchema, { maxBytes: MAX_BODY, what: 'the ids', invalid: 'invalid_ids' });
  if (!result.ok) return { ok: false, status: result.status, body: { error: result.error, message: result.message } };
  return { ok: true, keys: { cookieId: result.value.v, consentId: result.value.c }, lang: result.value.l ?? 'ja' };
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
        const done = await deleteVisitorData(deps.db, req.keys, { now: deps.clock(), hash: deps.suppressions.hash, source: 'visitor', sessions: deps.sessions });
        deps.log('info', 'visitor data deleted', { events: done.events, sessions: done.sessions, receipts: done.receipts, repeat: done.previousDeletions > 0 });
        await audit(deps.db, visitorActor, 'visitor.delete', { events: done.events, sessions: done.sessions, receipts: done.receipts, deletionLog: done.deletionLogId }, { now: deps.clock() });
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
        await audit(deps.db, visitorActor, 'visitor.suspend', {}, { now: deps.clock() });
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
        const receipt = receiptOf({
          ts: now,
          siteId: site,
          consentId: req.keys.consentId,
          policy: deps.policy,
          // recorded here, not in the banner: no banner text was shown
          bannerHash: null,
          action: 'withdraw',
          choices,
          language: req.lang,
          path: noticePaths.myData,
          region: regionOf(deps, deps.clientIp(c) ?? null),
          ua: deps.summarizeUa(c.req.header('user-agent') ?? ''),
        });
        const row = await appendReceipt(deps.db, receipt);
        if (req.keys.cookieId) await deps.suppressions.add(req.keys.cookieId, 'withdraw', now);
        await audit(deps.db, visitorActor, 'visitor.withdraw', { site, receipt: Number(row.seq), suppressed: req.keys.cookieId !== undefined }, { now });
        return c.json<MyDataWithdrawn, 201>({ consentId: row.consent_id!, suppressed: req.keys.cookieId !== undefined }, 201);
      } catch (err) {
        return unavailable(c, err);
      }
    });
}
