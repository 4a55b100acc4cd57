import { collectedItems } from '../../policy/collection.ts';
import type { ItemId } from '../../policy/schema.ts';
import { eventColumnItems } from '../store/column-items.ts';
import type { NewEvent } from '../store/schema.ts';
import { randomId } from '../http/random-id.ts';
import { clientAddress, humanAgent, isRefused, knownSite, pageOnSite, regionOf, type FactRefusal, type Refused, type Region, type RequestFactsDeps } from '../http/request-facts.ts';
import type { SaltStore, VisitorHashes } from './salts.ts';
import { SESSION_IDLE_MS, type Assigned, type SessionTracker, type VisitLinks } from './sessions.ts';
import type { SiteInfo } from '../store/sites.ts';
import { deviceFromWidth } from '../http/ua.ts';
import { scrubReferrer } from '../http/url.ts';
import type { IncomingEvent } from './payload.ts';
import type { ConsentMode } from './wire.ts';

/** What the HTTP layer hands to the pipeline: the parsed event plus the request facts it needs. */
export interface IngestRequest {
  event: IncomingEvent;
  /** the TCP peer address */
  peer: string | undefined;
  forwardedFor: string | undefined;
  userAgent: string;
  origin: string | undefined;
  /** the Sec-GPC: 1 request header */
  gpcHeader: boolean;
  acceptLanguage: string | undefined;
  receivedAt: number;
}

export interface PipelineDeps extends RequestFactsDeps {
  salts: SaltStore;
  sessions: SessionTracker;
  /** cookie ids whose use the visitor stopped (server/privacy/suppressions.ts): their events are dropped */
  isSuppressed?(cookieId: string): boolean;
}

/** Why an event was not stored. Each reason has its own test. */
export type DropReason = FactRefusal | 'suppressed' | 'not_in_policy';

export interface Dropped {
  dropped: DropReason;
  detail: string;
}

/** The event as it moves through the steps. Fields above the line are transient and never stored. */
interface Draft {
  req: IngestRequest;
  site: SiteInfo;
  collects: ReadonlySet<ItemId>;
  /** nullable columns whose item the policy does not list */
  blanked: readonly (keyof NewEvent)[];
  ip: string;
  region: Region;
  mode: ConsentMode;
  gpc: boolean;
  cookieAllowed: boolean;
  /** the cookie id the tracker should keep, when it may have one */
  cookieId: string | undefined;
  /** this browser's hashes, computed with or without a cookie: they link a visit across a consent choice */
  hashes: VisitorHashes;
  relink: VisitRelink | undefined;
  // ---- what becomes the row
  row: NewEvent;
}

/** A visit that leaves its cookie id for the browser's hash (consent withdrawn mid-visit): its stored rows follow. */
export interface VisitRelink {
  site: string;
  session: string;
  from: string;
  to: string;
}

export interface Accepted {
  row: NewEvent;
  /** to be applied before the row is written: the visit's earlier rows move to the row's id */
  relink: VisitRelink | undefined;
  mode: ConsentMode;
  /** the cookie id the tracker should keep, when it may have one */
  cookieId: string | undefined;
}

/** A step decides synchronously, except where it must ask the database (the session of a visitor new here). */
type Step = (d: Draft, deps: PipelineDeps) => Dropped | undefined | Promise<Dropped | undefined>;
const drop = (dropped: DropReason, detail: string): Dropped => ({ dropped, detail });
const dropFor = (r: Refused): Dropped => drop(r.refused, r.detail);

/** The request may come from a browser on one of the site's hosts only, and describe a page there. */
const origin: Step = (d) => {
  const { event } = d.req;
  const page = pageOnSite(d.site, d.req.origin, event.url, event.hashRouting);
  if (isRefused(page)) return dropFor(page);
  d.row.path = page.path;
  d.row.query = page.query;
  d.row.utm_source = page.utm.source;
  d.row.utm_medium = page.utm.medium;
  d.row.utm_campaign = page.utm.campaign;
  d.row.utm_term = page.utm.term;
  d.row.utm_content = page.utm.content;
  return undefined;
};

const bot: Step = (d, deps) => {
  const ua = humanAgent(deps, d.req.userAgent);
  return isRefused(ua) ? dropFor(ua) : undefined;
};

/** A cookie id whose use was stopped (/privacy/my-data, or a privacy-office case) is not processed at all. */
const suppressed: Step = (d, deps) =>
  d.req.event.cookieId !== undefined && deps.isSuppressed?.(d.req.event.cookieId) ? drop('suppressed', 'the use of this cookie id was stopped') : undefined;

/**
 * Events of a kind the policy does not list are dropped; fields it does not list are never filled (the
 * later steps check `collects` so they skip the work), and `policyColumns` blanks whatever is left.
 */
const policyGate: Step = (d) => {
  const { event } = d.req;
  if (event.type === 'event' && !d.collects.has('custom_events')) return drop('not_in_policy', 'the policy does not list custom events');
  if (d.collects.has('custom_events') && event.type === 'event') {
    d.row.name = event.name!;
    // a 404 records which (scrubbed) path was missing, whatever the page sent
    const props = event.name === '404' ? { ...event.props, path: d.row.path ?? '' } : event.props;
    d.row.props = props && Object.keys(props).length ? JSON.stringify(props) : null;
  }
  if (d.collects.has('page_title') && event.title) d.row.title = event.title.slice(0, 256);
  return undefined;
};

const clientIp: Step = (d, deps) => {
  const ip = clientAddress(deps, d.req.peer, d.req.forwardedFor);
  if (isRefused(ip)) return dropFor(ip);
  d.ip = ip;
  return undefined;
};

/** The country decides the consent mode even when the policy does not let us store it. */
const geo: Step = (d, deps) => {
  d.region = regionOf(deps, d.ip);
  d.mode = d.region.mode;
  if (d.collects.has('country')) d.row.country = d.region.country;
  return undefined;
};

const truncate: Step = (d) => {
  if (d.collects.has('ip_address')) d.row.ip_trunc = d.region.ipTrunc;
  return undefined;
};

const userAgent: Step = (d, deps) => {
  if (!d.collects.has('device_info')) return undefined;
  const ua = deps.summarizeUa(d.req.userAgent);
  d.row.browser = ua.browser;
  d.row.browser_version = ua.browserVersion;
  d.row.os = ua.os;
  d.row.device = deviceFromWidth(d.req.event.screenWidth) ?? ua.device;
  const lang = d.req.event.language ?? d.req.acceptLanguage?.split(/[,;]/, 1)[0]?.trim();
  d.row.language = lang && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang) ? lang.toLowerCase() : null;
  return undefined;
};

const referrer: Step = (d) => {
  if (!d.collects.has('referrer')) return undefined;
  const ref = scrubReferrer(d.req.event.referrer, d.site.hosts);
  d.row.referrer_host = ref?.host ?? null;
  d.row.referrer_path = ref?.path ?? null;
  return undefined;
};

/**
 * A cookie id only where the visitor may have one: the policy enables cookies, no GPC signal, and consent
 * given — or, in notice and opt-out regions, not refused. Otherwise a keyed hash under the day's salt. The
 * hash is computed either way (in memory only): it is how a visit continues across a consent choice.
 */
const visitor: Step = (d, deps) => {
  const { event } = d.req;
  d.gpc = event.gpc || d.req.gpcHeader;
  const consentOk = event.consent === 'granted' || (d.mode !== 'opt-in' && event.consent !== 'denied');
  d.cookieAllowed = deps.policy.policy.cookie.enabled && !d.gpc && consentOk;
  const hashes = deps.salts.visitorHashes(d.site, d.ip, d.req.userAgent, d.row.ts, SESSION_IDLE_MS);
  if (hashes instanceof Promise) return hashes.then((h) => identify(d, h));
  return identify(d, hashes);
};

function identify(d: Draft, hashes: VisitorHashes): undefined {
  d.hashes = hashes;
  if (d.cookieAllowed) d.cookieId = d.req.event.cookieId ?? randomId();
  d.row.visitor_id = d.cookieId ?? hashes.current;
  d.row.visitor_kind = d.cookieId ? 'cookie' : 'hash';
  return undefined;
}

/** A cookie visit is also known, in memory and for the visit only, under its browser's hash. */
const browserKey = (hash: string) => `browser:${hash}`;

/**
 * Where this browser's open visit may be known under another id. A visit spanning the salt turn: under the
 * previous day's hash. Consent given mid-visit (a cookie id minted now): under the browser's hash. Consent
 * withdrawn or refused mid-visit (or GPC): the cookie visit, through the browser's hash it was linked to.
 */
function visitLinks(d: Draft): VisitLinks {
  const { current, previous } = d.hashes;
  const earlier = previous ? [previous] : [];
  if (d.cookieId) return { via: d.req.event.cookieId === undefined ? [current, ...earlier] : [], aliases: [browserKey(current)] };
  const withdrew = d.req.event.consent === 'denied' || d.gpc;
  return { via: earlier, viaMemory: withdrew ? [current, ...earlier].map(browserKey) : undefined };
}

/**
 * Every event of a visit is stored under one id: the one it began with, whatever id later events arrive
 * with — except after a withdrawal, when the whole visit moves to the browser's hash so that no cookie id
 * stays on it.
 */
function joinVisit(d: Draft, a: Assigned): undefined {
  d.row.session_id = a.id;
  if (a.relinkedFrom !== undefined) d.relink = { site: d.site.id, session: a.id, from: a.relinkedFrom, to: d.row.visitor_id };
  if (a.visitor !== undefined) {
    d.row.visitor_id = a.visitor;
    d.row.visitor_kind = a.visitor === d.hashes.current || a.visitor === d.hashes.previous ? 'hash' : 'cookie';
  }
  return undefined;
}

const session: Step = (d, deps) => {
  const assigned = deps.sessions.assign(d.site.id, d.row.visitor_id, d.row.ts, visitLinks(d));
  return assigned instanceof Promise ? assigned.then((a) => joinVisit(d, a)) : joinVisit(d, assigned);
};

/** The guarantee behind the policy gate: every column whose policy item is not listed leaves empty. */
const policyColumns: Step = (d) => {
  for (const column of d.blanked) (d.row as unknown as Record<string, null>)[column] = null;
  return undefined;
};

/** Ordered, named steps: the order is part of the privacy design (truncate before anything is kept). */
export const steps: ReadonlyArray<readonly [string, Step]> = [
  ['origin', origin],
  ['bot', bot],
  ['suppressed', suppressed],
  ['policy', policyGate],
  ['client-ip', clientIp],
  ['geo', geo],
  ['truncate-ip', truncate],
  ['user-agent', userAgent],
  ['referrer', referrer],
  ['visitor', visitor],
  ['session', session],
  ['policy-columns', policyColumns],
];

export function createPipeline(deps: PipelineDeps) {
  const collects = collectedItems(deps.policy.policy);
  // access_time and visitor_id are required by the policy schema, so only nullable columns are blanked
  const blanked = (Object.keys(eventColumnItems) as (keyof NewEvent)[]).filter((col) => !collects.has(eventColumnItems[col]));
  return async function run(req: IngestRequest): Promise<Accepted | Dropped> {
    const site = await knownSite(deps, req.event.site, req.receivedAt);
    if (isRefused(site)) return dropFor(site);
    const d: Draft = {
      req,
      site,
      collects,
      blanked,
      ip: '',
      region: { country: null, mode: 'opt-in', ipTrunc: null },
      mode: 'opt-in',
      gpc: false,
      cookieAllowed: false,
      cookieId: undefined,
      hashes: { current: '', previous: undefined },
      relink: undefined,
      row: emptyRow(site.id, req.event.type, req.receivedAt),
    };
    for (const [, step] of steps) {
      let result = step(d, deps);
      if (result instanceof Promise) result = await result;
      if (result) return result;
    }
    return { row: d.row, relink: d.relink, mode: d.mode, cookieId: d.cookieId };
  };
}

/** An event row with every optional column empty: steps fill in only what the policy lets them. */
export function emptyRow(siteId: string, type: IncomingEvent['type'], ts: number): NewEvent {
  return {
    ts,
    site_id: siteId,
    type,
    name: null,
    path: null,
    query: null,
    title: null,
    referrer_host: null,
    referrer_path: null,
    utm_source: null,
    utm_medium: null,
    utm_campaign: null,
    utm_term: null,
    utm_content: null,
    country: null,
    browser: null,
    browser_version: null,
    os: null,
    device: null,
    language: null,
    ip_trunc: null,
    visitor_id: '',
    visitor_kind: 'hash',
    session_id: '',
    props: null,
  };
}
