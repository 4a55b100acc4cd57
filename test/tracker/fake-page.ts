/**
 * Runs the built tracker in a node:vm context with just enough of a browser around it: a URL, a cookie jar,
 * history, localStorage, fetch and sendBeacon that record what they get, and elements with closest().
 * A script the core appends to <head> is recorded; when it is the add-on (…/ashiato.links.js) the built add-on
 * runs in the same context right after the core, as an inserted (async) script would.
 * Real-browser behaviour is test/e2e/tracker.test.ts's job; this makes the tracker's own logic quick to test.
 */
import { runInContext, createContext } from 'node:vm';
import type { EventAccepted, EventIgnored, EventPayload } from '../../server/ingest/wire.ts';
import type { Sending } from '../../tracker/banner/sending.ts';
import { buildTracker, buildTrackerLinks } from '../../tracker/build.ts';

export interface FakePageOptions {
  /** the page's URL (default https://www.example.co.jp/) */
  url?: string;
  /** the script's src (default: /ashiato.js on the page's origin) */
  src?: string;
  /** data-* attributes of the script tag, without the data- prefix */
  data?: Record<string, string>;
  cookie?: string;
  referrer?: string;
  title?: string;
  gpc?: boolean;
  webdriver?: boolean;
  storage?: Record<string, string>;
  /** calls queued by the snippet before the script loaded */
  queue?: unknown[][];
  /** the server's answer to each event (default: 202 notice mode, no cookie id) */
  answer?: (payload: EventPayload) => EventAccepted | EventIgnored;
  /** make fetch throw synchronously (as if it did not exist) or reject (as on a network error) */
  fetchFails?: 'throw' | 'reject';
  /**
   * the consent banner on the page: its answer to `ashiato.consent.sending()`, attached (as the banner
   * does) to whatever function becomes `window.ashiato`
   */
  banner?: () => Sending;
}

export interface FakeElement {
  tagName: string;
  attributes: { name: string; value: string }[];
  dataset: Record<string, string>;
  parent?: FakeElement;
  href?: string;
  host?: string;
  pathname?: string;
  closest(selector: string): FakeElement | null;
}

export interface Sent {
  url: string;
  payload: EventPayload;
  via: 'fetch' | 'beacon';
  init?: RequestInit;
}

const camel = (name: string) => name.replace(/-(.)/g, (_, c: string) => c.toUpperCase());

export async function fakePage(options: FakePageOptions = {}) {
  const [code, links] = await Promise.all([buildTracker(), buildTrackerLinks()]);
  let url = new URL(options.url ?? 'https://www.example.co.jp/');
  const jar = new Map<string, string>();
  for (const part of (options.cookie ?? '').split('; ').filter(Boolean)) {
    const i = part.indexOf('=');
    jar.set(part.slice(0, i), part.slice(i + 1));
  }
  const cookieWrites: string[] = [];
  const sent: Sent[] = [];
  /** the src of every script the tracker appended */
  const scripts: string[] = [];
  const listeners = new Map<string, ((e: unknown) => void)[]>();

  const storage: Record<string, string> & { setItem?: unknown } = { ...options.storage };
  Object.defineProperties(storage, {
    setItem: { value: (k: string, v: string) => (storage[k] = String(v)) },
    removeItem: { value: (k: string) => delete storage[k] },
  });

  const record = (target: string, body: string, via: Sent['via'], init?: RequestInit) =>
    sent.push({ url: target, payload: JSON.parse(body) as EventPayload, via, ...(init ? { init } : {}) });

  const dataset = { ...options.data };
  const window: Record<string, unknown> = {
    URL,
    document: {
      createElement: (tagName: string) => ({ tagName: tagName.toUpperCase() }),
      head: { append: (el: { src?: unknown }) => scripts.push(String(el.src)) },
      currentScript: { src: options.src ?? new URL('/ashiato.js', url).href, dataset },
      referrer: options.referrer ?? '',
      title: options.title ?? 'Example',
      get cookie() {
        return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      },
      set cookie(value: string) {
        cookieWrites.push(value);
        const [pair, ...attrs] = value.split(';');
        const i = pair!.indexOf('=');
        const maxAge = attrs.find((a) => a.startsWith('max-age='));
        if (maxAge && Number(maxAge.slice(8)) <= 0) jar.delete(pair!.slice(0, i));
        else jar.set(pair!.slice(0, i), pair!.slice(i + 1));
      },
    },
    get location() {
      return url;
    },
    navigator: {
      language: 'ja-JP',
      webdriver: options.webdriver ?? false,
      ...(options.gpc === undefined ? {} : { globalPrivacyControl: options.gpc }),
      // the tracker hands fetch and sendBeacon a URL object, which a browser turns into its href
      sendBeacon: (target: string | URL, body: string) => (record(String(target), body, 'beacon'), true),
    },
    screen: { width: 1440 },
    localStorage: storage,
    history: {
      pushState: (_state: unknown, _title: string, to?: string) => to != null && (url = new URL(to, url)),
      replaceState: (_state: unknown, _title: string, to?: string) => to != null && (url = new URL(to, url)),
    },
    addEventListener: (type: string, fn: (e: unknown) => void) => listeners.set(type, [...(listeners.get(type) ?? []), fn]),
    fetch: (target: string | URL, init: RequestInit) => {
      if (options.fetchFails === 'throw') throw new TypeError('fetch is not a function');
      record(String(target), init.body as string, 'fetch', init);
      if (options.fetchFails === 'reject') return Promise.reject(new TypeError('Failed to fetch'));
      const payload = JSON.parse(init.body as string) as EventPayload;
      const answer = options.answer?.(payload) ?? { ok: true, m: 'notice' };
      return Promise.resolve({ json: async () => answer });
    },
  };
  window.window = window;
  if (options.banner) {
    const consent = { sending: options.banner };
    let current: unknown = Object.assign(() => {}, { consent });
    Object.defineProperty(window, 'ashiato', { get: () => current, set: (f) => ((current = f).consent = consent) });
  }
  if (options.queue) window.ashiato = Object.assign(() => {}, { q: options.queue });

  const ctx = createContext(window);
  runInContext(code, ctx);
  if (scripts.some((src) => src.endsWith('/ashiato.links.js'))) runInContext(links, ctx);

  const dispatch = (type: string, event: Record<string, unknown> = {}) => {
    for (const fn of listeners.get(type) ?? []) fn({ type, ...event });
  };

  return {
    sent,
    scripts,
    cookieWrites,
    jar,
    storage,
    window,
    /** lets the tracker's promises (fetch → json → cookie) settle */
    settle: () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
    get url() {
      return url.href;
    },
    /** what the page's code would call: ashiato(…), ashiato.optOut() */
    get ashiato() {
      return window.ashiato as ((name: string, options?: unknown) => void) & { optOut(): void; optIn(): void };
    },
    history: window.history as History,
    /** the browser navigating by itself (back/forward, or a #fragment link) */
    navigate(to: string, type: 'popstate' | 'hashchange') {
      url = new URL(to, url);
      dispatch(type);
    },
    dispatch,
    /** an element; `parent` makes closest() climb */
    element(tagName: string, attrs: Record<string, string> = {}, parent?: FakeElement): FakeElement {
      const attributes = Object.entries(attrs).map(([name, value]) => ({ name, value }));
      const ds = Object.fromEntries(attributes.filter((a) => a.name.startsWith('data-')).map((a) => [camel(a.name.slice(5)), a.value]));
      const link = tagName == 'A' && 'href' in attrs ? new URL(attrs.href!, url) : undefined;
      const el: FakeElement = {
        tagName,
        attributes,
        dataset: ds,
        ...(parent ? { parent } : {}),
        ...(link ? { href: link.href, host: link.host, pathname: link.pathname } : {}),
        closest(selector) {
          const matches = (e: FakeElement) =>
            selector == 'a[href]' ? e.tagName == 'A' && e.attributes.some((a) => a.name == 'href') : e.attributes.some((a) => `[${a.name}]` == selector);
          for (let e: FakeElement | undefined = el; e; e = e.parent) if (matches(e)) return e;
          return null;
        },
      };
      return el;
    },
  };
}
