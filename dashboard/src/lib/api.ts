/**
 * The server's API, typed by the server: `hc<AppType>` gives paths and the auth routes' bodies and answers;
 * the stats routes' answers are the report types server/stats/queries.ts exports (their handlers return
 * a plain Response on errors, which hides the JSON type from hc's inference). The privacy office's routes
 * are called through hc too (paths, params, bodies checked against their validators); their answers are
 * the view types server/privacy and server/consent export.
 */
import { hc, type ClientResponse } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';
import type { AppType } from '../../../server/app.ts';
import type { Me } from '../../../server/auth/wire.ts';
import type { SitesApp } from '../../../server/dashboard/wire.ts';
import type { Dimension } from '../../../server/stats/wire.ts';
import type { BreakdownItem, Interval, Realtime, SummaryReport, TimeseriesPoint } from '../../../server/stats/wire.ts';
import type { SharedBreakdown, SharedSummaryReport, SharedTimeseries } from '../../../server/stats/wire.ts';
import type { AuditPage, CaseDetail, CaseView, ProvisionView } from '../../../server/privacy/wire.ts';
import type { ReceiptPage } from '../../../server/consent/wire.ts';
import type { ChainReport } from '../../../server/privacy/wire.ts';
import type { ReceiptChainReport } from '../../../server/consent/wire.ts';
import type { CaseDeletion } from '../../../server/privacy/wire.ts';
import type { CaseStatus, DocumentMediaType, IdentityBody, NewCaseBody, PrivacyPolicyView, ProvisionBody } from '../state/privacy.ts';
import type { CaseDocumentView } from '../../../server/privacy/wire.ts';
import type { DisclosureBody, DisclosureView, NoticeBody, NoticeView, ReleaseBody, ReleaseColumnsView, ReleaseView } from '../state/releases.ts';

export type { Me } from '../../../server/auth/wire.ts';
export type { BreakdownItem, Realtime, SummaryReport, TimeseriesPoint } from '../../../server/stats/wire.ts';
export type { SiteInfo } from '../../../server/dashboard/wire.ts';

/** An answer that was not 2xx: the API's `{ error, message }`, or `network` when there was none. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** seconds, from Retry-After */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
/** Remembered from login and /api/auth/me: every POST carries it as X-CSRF-Token. */
export const setCsrfToken = (token: string | null) => (csrfToken = token);

/** Called when a stats request finds the session gone (401) or a password to change first. */
let onSignedOut: (reason: 'unauthenticated' | 'password_change_required') => void = () => {};
export const whenSignedOut = (handler: typeof onSignedOut) => (onSignedOut = handler);

const origin = typeof location === 'undefined' ? 'http://localhost' : location.origin;
const headers = (): Record<string, string> => (csrfToken ? { 'X-CSRF-Token': csrfToken } : {});
const client = hc<AppType>(origin, { headers });
const sitesClient = hc<SitesApp>(origin);
const stats = client.api.stats[':site'];

async function failure(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = res.statusText;
  try {
    const body = (await res.json()) as { error?: unknown; message?: unknown };
    if (typeof body.error === 'string') code = body.error;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // not JSON: keep the status
  }
  const retry = Number(res.headers.get('retry-after'));
  return new ApiError(res.status, code, message, Number.isFinite(retry) && retry > 0 ? retry : undefined);
}

/** Runs a request; a failure to reach the server at all becomes ApiError('network'). */
async function reach<R extends Response>(request: () => Promise<R>): Promise<R> {
  try {
    return await request();
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }
}

// ---- auth ---------------------------------------------------------------------------------------------

export async function login(email: string, password: string): Promise<Me> {
  const res = await reach(() => client.api.auth.login.$post({ json: { email, password } }));
  if (res.status !== 200) throw await failure(res);
  const me = await res.json();
  setCsrfToken(me.csrfToken);
  return me;
}

/** Who is signed in, or null. */
export async function fetchMe(): Promise<Me | null> {
  const res = await reach(() => client.api.auth.me.$get());
  if (res.status === 401) return null;
  if (res.status !== 200) throw await failure(res);
  const me = await res.json();
  setCsrfToken(me.csrfToken);
  return me;
}

export async function logout(): Promise<void> {
  const res = await reach(() => client.api.auth.logout.$post());
  if (!res.ok) throw await failure(res);
  setCsrfToken(null);
  cache.clear();
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<Me> {
  const res = await reach(() => client.api.auth.password.$post({ json: { currentPassword, newPassword } }));
  if (res.status !== 200) throw await failure(res);
  const me = await res.json();
  setCsrfToken(me.csrfToken);
  cache.clear();
  return me;
}

export async function fetchSites() {
  const res = await reach(() => sitesClient.api.sites.$get());
  if (res.status !== 200) throw await failure(res);
  return (await res.json()).sites;
}

// ---- statistics ---------------------------------------------------------------------------------------

/** Answers of the last minute, by URL: back/forward and switching tabs back show them at once. */
const cache = new Map<string, { at: number; value: Promise<unknown> }>();
const CACHE_MS = 60_000;

const withQuery = (path: string, query: URLSearchParams) => {
  const q = query.toString();
  return q ? `${path}?${q}` : path;
};

/**
 * A GET of the stats API. Cached answers are shared by every view that asks, so their requests are never
 * aborted (a view that moved on just ignores the answer); only uncached ones take `signal`.
 */
async function getJson<T>(url: string, signal?: AbortSignal, cached = true): Promise<T> {
  if (cached) signal = undefined;
  const hit = cache.get(url);
  if (cached && hit && Date.now() - hit.at < CACHE_MS) return hit.value as Promise<T>;
  const value = (async () => {
    try {
      const res = await reach(() => fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin', signal }));
      if (!res.ok) throw await failure(res);
      return (await res.json()) as T;
    } catch (err) {
      cache.delete(url);
      if (err instanceof ApiError && (err.code === 'unauthenticated' || err.code === 'password_change_required')) onSignedOut(err.code);
      throw err;
    }
  })();
  if (cached) cache.set(url, { at: Date.now(), value });
  return value;
}

export const fetchSummary = (site: string, query: URLSearchParams, signal?: AbortSignal) =>
  getJson<SummaryReport>(withQuery(stats.summary.$path({ param: { site } }), query), signal);

export const fetchTimeseries = (site: string, query: URLSearchParams, signal?: AbortSignal) =>
  getJson<{ interval: Interval; points: TimeseriesPoint[] }>(withQuery(stats.timeseries.$path({ param: { site } }), query), signal);

export function fetchBreakdown(site: string, dimension: Dimension, query: URLSearchParams, limit: number, signal?: AbortSignal) {
  const q = new URLSearchParams(query);
  q.set('limit', String(limit));
  return getJson<{ dimension: Dimension; items: BreakdownItem[] }>(withQuery(stats.breakdown[':dimension'].$path({ param: { site, dimension } }), q), signal);
}

export const fetchRealtime = (site: string, signal?: AbortSignal) => getJson<Realtime>(stats.realtime.$path({ param: { site } }), signal, false);

/** The CSV download of a report (`timeseries` or a dimension) for the current range and filters. */
export function exportUrl(site: string, report: 'timeseries' | Dimension, query: URLSearchParams, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams(query);
  q.set('report', report);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return withQuery(stats['export.csv'].$path({ param: { site } }), q);
}

// ---- shared links: the staff side ---------------------------------------------------------------------

export type { PublicSharedLink } from '../../../server/auth/wire.ts';
const sharedLinks = client.api.sites[':site']['shared-links'];

export async function fetchSharedLinks(site: string) {
  const res = await reach(() => sharedLinks.$get({ param: { site } }));
  if (res.status !== 200) throw await failure(res);
  return (await res.json()).links;
}

/** A new link; the answer carries the token, the only time it is ever shown. */
export async function createSharedLink(site: string, body: { label: string | null; password: string | null; expiresInDays: number | null }) {
  const res = await reach(() => sharedLinks.$post({ param: { site }, json: body }));
  if (res.status !== 201) throw await failure(res);
  return res.json();
}

export async function revokeSharedLink(site: string, id: string): Promise<void> {
  const res = await reach(() => client.api.sites[':site']['shared-links'][':id{[0-9a-f]{64}}'].$delete({ param: { site, id } }));
  if (res.status !== 200) throw await failure(res);
}

// ---- shared links: the public view --------------------------------------------------------------------

export type { PublishMethod, SharedBreakdown, SharedSummaryReport, SharedTimeseries } from '../../../server/stats/wire.ts';

/** Successful answers of the last minute, by URL (the password does not change what a URL answers). */
const sharedCache = new Map<string, { at: number; value: unknown }>();

/**
 * A GET of the shared-link API; `password` goes in X-Share-Password (a header, never the URL). Not the staff
 * cache, and a 401 here is the link's password, not the staff session.
 */
async function getShared<T>(url: string, password: string | null, signal?: AbortSignal): Promise<T> {
  const hit = sharedCache.get(url);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.value as T;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (password) headers['X-Share-Password'] = password;
  const res = await reach(() => fetch(url, { headers, credentials: 'omit', signal, referrerPolicy: 'no-referrer' }));
  if (!res.ok) throw await failure(res);
  const value = (await res.json()) as T;
  sharedCache.set(url, { at: Date.now(), value });
  return value;
}

const shared = (token: string) => `/api/shared/${encodeURIComponent(token)}`;

export const fetchSharedSummary = (token: string, query: URLSearchParams, password: string | null, signal?: AbortSignal) =>
  getShared<SharedSummaryReport>(withQuery(`${shared(token)}/summary`, query), password, signal);

export const fetchSharedTimeseries = (token: string, query: URLSearchParams, password: string | null, signal?: AbortSignal) =>
  getShared<SharedTimeseries>(withQuery(`${shared(token)}/timeseries`, query), password, signal);

export const fetchSharedBreakdown = (token: string, dimension: Dimension, query: URLSearchParams, password: string | null, signal?: AbortSignal) =>
  getShared<SharedBreakdown>(withQuery(`${shared(token)}/breakdown/${encodeURIComponent(dimension)}`, query), password, signal);

/** Forgets the shared answers (after a password change in the form, so nothing stale is shown). */
export const clearSharedCache = () => sharedCache.clear();

// ---- the privacy office (privacy staff and admins) ----------------------------------------------------

export type { AuditEntryView, AuditPage, CaseDetail, CaseView, ProvisionView } from '../../../server/privacy/wire.ts';
export type { ReceiptPage, ReceiptView } from '../../../server/consent/wire.ts';
export type { ChainReport } from '../../../server/privacy/wire.ts';
export type { ReceiptChainReport } from '../../../server/consent/wire.ts';
export type { CaseDeletion } from '../../../server/privacy/wire.ts';
export type { CaseDocumentView } from '../../../server/privacy/wire.ts';

const privacyApi = client.api.privacy;
/** A list's query string; `limit` always set (the routes' validators default it, which hc reads as required). */
type ApiQuery = Record<string, string> & { limit: string };
const caseApi = privacyApi.cases[':id'];

/** The JSON a route answers with a 2xx status, as its handler typed it (`c.json<T, 200>`). */
type OkBody<R> = R extends ClientResponse<infer T, infer S, 'json'> ? (S extends SuccessStatusCode ? T : never) : never;

/** A 2xx answer's JSON, typed by the route; otherwise the ApiError, after telling the app when the session is gone. */
async function answer<R extends ClientResponse<unknown, number, 'json'>>(request: () => Promise<R>): Promise<OkBody<R>> {
  const res = await reach(request);
  if (!res.ok) {
    const err = await failure(res);
    if (err.code === 'unauthenticated' || err.code === 'password_change_required') onSignedOut(err.code);
    throw err;
  }
  return (await res.json()) as OkBody<R>;
}

const init = (signal?: AbortSignal) => ({ init: signal ? { signal } : {} });
const param = (id: number) => ({ id: String(id) });

/**
 * The running policy's lists (identity documents, non-disclosure reasons, legal grounds, items). The
 * server does not serve this route yet (see dashboard/README.md); it is not in AppType, hence plain fetch.
 */
export const fetchPrivacyPolicy = (signal?: AbortSignal) => getJson<PrivacyPolicyView>('/api/privacy/policy', signal, true);

export const fetchCases = (query: ApiQuery, signal?: AbortSignal) =>
  answer(() => privacyApi.cases.$get({ query }, init(signal))).then((r) => r.cases);

export const createCase = (body: NewCaseBody) => answer(() => privacyApi.cases.$post({ json: body }));

export const fetchCase = (id: number, signal?: AbortSignal) => answer(() => caseApi.$get({ param: param(id) }, init(signal)));

export type CaseUpdate = {
  identity?: IdentityBody;
  agentAuthority?: 'pending' | 'verified' | 'failed';
  feePaid?: boolean;
  answerNote?: string | null;
};
export const updateCase = (id: number, json: CaseUpdate) => answer(() => caseApi.$patch({ param: param(id), json }));

export const transitionCase = (id: number, json: { to: CaseStatus; reason?: string; answerNote?: string | null }) =>
  answer(() => caseApi.transition.$post({ param: param(id), json }));

export const linkCase = (id: number, links: ({ cookieId: string } | { consentId: string })[]) =>
  answer(() => caseApi.links.$post({ param: param(id), json: { links } }));

/** The linked ids' data as a file (the case's export): its bytes, name and SHA-256. */
export async function exportCase(id: number, format: 'json' | 'csv'): Promise<{ blob: Blob; fileName: string; sha256: string | null }> {
  const res = await reach(() => caseApi.export.$post({ param: param(id), query: { format } }));
  if (!res.ok) {
    const err = await failure(res);
    if (err.code === 'unauthenticated' || err.code === 'password_change_required') onSignedOut(err.code);
    throw err;
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `case-${id}.${format}`;
  return { blob: await res.blob(), fileName, sha256: res.headers.get('x-export-sha256') };
}

export const deleteCaseData = (id: number) => answer(() => caseApi.delete.$post({ param: param(id) }));
export const suspendCaseData = (id: number) => answer(() => caseApi.suspend.$post({ param: param(id) }));

export const uploadDocument = (id: number, json: { name: string; mediaType: DocumentMediaType; content: string }) =>
  answer(() => caseApi.documents.$post({ param: param(id), json }));

/** Where a document is downloaded (a GET: the session cookie is enough, and the read is audited). */
export const documentUrl = (id: number, doc: number) => caseApi.documents[':doc'].$url({ param: { id: String(id), doc: String(doc) } }).pathname;

/** The answer letter (HTML to preview and print, or text for e-mail). */
export const letterUrl = (id: number, lang: 'ja' | 'en', format: 'html' | 'text' = 'html') => {
  const url = caseApi.letter.$url({ param: param(id), query: { lang, format } });
  return url.pathname + url.search;
};

/** One page of the audit log, newest first; `nextCursor` asks for the next. */
export const fetchAudit = (query: ApiQuery, signal?: AbortSignal) => answer(() => privacyApi.audit.$get({ query }, init(signal)));
export const verifyAudit = () => answer(() => privacyApi.audit.verify.$get());

export const fetchProvisions = (signal?: AbortSignal) => answer(() => privacyApi.provisions.$get({}, init(signal))).then((r) => r.provisions);
export const createProvision = (body: ProvisionBody) => answer(() => privacyApi.provisions.$post({ json: body }));

// ---- anonymized datasets (server/anonymize): read by privacy staff and admins, changed by privacy staff only
const releaseApi = privacyApi.releases;
export const fetchReleases = (signal?: AbortSignal) => answer(() => releaseApi.$get({}, init(signal))).then((r) => r.releases);
export const createRelease = (body: ReleaseBody) => answer(() => releaseApi.$post({ json: body }));
export const fetchReleaseColumns = (signal?: AbortSignal) => answer(() => releaseApi.columns.$get({}, init(signal)));
export const publishReleaseNotice = (id: number, body: NoticeBody) => answer(() => releaseApi[':id'].notices.$post({ param: param(id), json: body }));
export const recordReleaseDisclosure = (id: number, body: DisclosureBody) =>
  answer(() => releaseApi[':id'].disclosures.$post({ param: param(id), json: body }));
/** Where a dataset's file is downloaded (a GET with the session cookie; every download is audited). */
export const releaseFileUrl = (id: number, name: string) => releaseApi[':id'].files[':name'].$url({ param: { id: String(id), name } }).pathname;

export const fetchReceipts = (query: ApiQuery, signal?: AbortSignal) =>
  answer(() => client.api.consent.receipts.$get({ query }, init(signal)));
export const verifyReceipts = () => answer(() => client.api.consent.verify.$get());
