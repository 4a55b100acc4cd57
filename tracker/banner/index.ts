/**
 * ashiato-consent.js, the consent banner: its own bundle and its own tag, placed before any other tag.
 *
 *   <script src="https://stats.example/ashiato-consent.js" data-site="example.com"></script>
 *
 *   data-site   site id (default: the page's hostname)
 *   data-api    where /api/config, /api/consent and the /privacy pages are (default: the script's origin)
 *   data-lang   ja or en: always start in this language (default: the config's, from Accept-Language)
 *
 * First thing, Google Consent Mode's default (the stored choice, else everything denied). Then GET
 * /api/config; a choice stored for its revision applies silently, anything else prompts as the visitor's
 * mode says (choice.ts → decide; GPC from navigator or, via the config's `g`, from the Sec-GPC header).
 * Every choice is written to the cookie `ashiato_consent` and then POSTed as a receipt (record below); what
 * is accepted is applied to blocked tags (blocker.ts) and Consent Mode (gcm.ts), and every change is
 * announced by the window event `ashiato:consent`, on which the tracker asks `ashiato.consent.sending()`
 * (sending.ts) what it may send. Page API: ashiato.consent.open() / get() / withdraw() / myData(), a click
 * on any [data-ashiato-consent-open] element opens the settings, and a[data-ashiato-my-data] links are
 * completed with this browser's ids when followed.
 */
import type { BannerConfig, BannerLanguage, ConsentAction, ConsentPayload, ConsentRecorded } from '../../server/consent/wire.ts';
import type { ConsentMode } from '../../server/ingest/wire.ts';
import { blocker } from './blocker.ts';
import { consentCookie, decide, GPC_RECORD, parseStored, required, textToHash, type Stored } from './choice.ts';
import { consentMode } from './gcm.ts';
import { sha256 } from './hash.ts';
import { sendingFor, type Sending } from './sending.ts';
import { ui, type Ui } from './ui.ts';

/** `ashiato.consent.get()`: what applies now, and the recorded choice behind it (if any). */
export interface ConsentState {
  mode: ConsentMode;
  accepted: string[];
  rejected: string[];
  /** the visitor's consent id, once a choice has been recorded */
  consentId?: string;
  /** the policy revision of that recorded choice (another than the current one: a prompt is pending) */
  revision?: string;
}

export interface ConsentApi {
  /** opens the settings (waits for the config) */
  open(): void;
  /** undefined until the config has arrived */
  get(): ConsentState | undefined;
  /** records a withdrawal: only the required categories stay accepted */
  withdraw(): Promise<void>;
  /** opens /privacy/my-data (what is held about this browser) with its ids in the #fragment */
  myData(): void;
  /** what the tracker may send now (sending.ts): it asks at every event and on `ashiato:consent` */
  sending(): Sending;
}

const script = document.currentScript as HTMLScriptElement;
const data = script.dataset;
const base = data.api || script.src;
const site = data.site || location.hostname;
const gpc = (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true;

/** the choice written to this browser (written before its receipt is sent; its id '' until the server issues one) */
let stored: Stored | undefined = parseStored(document.cookie);
/** the latest choice is on its way to the server: what it newly allows waits for the server's acceptance */
let pending = false;
let cfg: BannerConfig | undefined;
/** what is accepted now: undefined until known (then nothing optional has run) */
let acc: string[] | undefined;
/** the language the banner starts in */
let lang: BannerLanguage;
/** choices made so far: only the latest one's answer is kept */
let seq = 0;
let view: Ui | undefined;
let mounted: (ui: Ui) => void;
const ready = new Promise<Ui>((resolve) => (mounted = resolve));

consentMode('default', stored?.acc || []);

const ids = () => cfg!.cats.map((c) => c.id);
const scan = blocker((category) => acc?.includes(category));

/**
 * What is accepted takes effect on this page: Consent Mode, blocked tags; and `ashiato:consent` tells the
 * tracker to look again at what it may send (sending.ts).
 */
const apply = (next: string[]) => {
  acc = next;
  consentMode('update', next);
  scan();
  dispatchEvent(new Event('ashiato:consent'));
};

/** Writes the choice to this browser (or, with none, deletes the cookie). */
const keep = (s: Stored | undefined) => {
  stored = s;
  document.cookie = s ? consentCookie(s, location.protocol == 'https:') : 'ashiato_consent=;path=/;max-age=0';
};

/**
 * A choice. First written to the browser, so a page left at once still remembers it on the next; what it
 * takes away applies at once (tags not yet run stay blocked, the tracker stops); what it newly allows waits
 * until the server has recorded it for the current revision. On 201 the server's answer is kept and applied;
 * on 409 (the policy changed meanwhile) the earlier choice is put back, the config fetched again and the
 * visitor asked again; on any other failure the choice applies to this page (nothing says it is stale) and
 * is sent once more 3 s later.
 */
const record = (a: ConsentAction, next: string[], l = lang): Promise<void> => {
  const c = cfg!;
  const n = ++seq;
  const before = stored;
  const mark = (list: string[]) => (a == 'gpc' ? [...list, GPC_RECORD] : list);
  keep({ id: stored?.id || '', rev: c.rev, acc: mark(next) });
  pending = true;
  const narrowed = acc!.filter((id) => next.includes(id));
  // Consent Mode hears of a change only when there is one; the tracker is told either way (it now holds or stops)
  narrowed.length < acc!.length ? apply(narrowed) : dispatchEvent(new Event('ashiato:consent'));
  const settle = (s: Stored | undefined, now: string[]) => n == seq && (keep(s), (pending = false), apply(now));
  const post = async (body?: string): Promise<void> => {
    const retry = body;
    try {
      body ||= JSON.stringify({
        s: site,
        a,
        acc: next,
        rej: ids().filter((id) => !next.includes(id)),
        rev: c.rev,
        th: await sha256(textToHash(c, l)),
        l,
        u: location.href,
        id: before?.id || undefined,
      } satisfies ConsentPayload);
      const res = await fetch(new URL('/api/consent', base), { method: 'POST', body, keepalive: true });
      if (res.status == 409) return n == seq ? (keep(before), (pending = false), load(1)) : undefined;
      if (res.status != 201) throw 0;
      const r: ConsentRecorded = await res.json();
      settle({ id: r.consentId, rev: r.revision, acc: mark(r.accepted) }, r.accepted);
    } catch {
      // applied to this page either way; kept in the browser only when a receipt could be sent (on plain
      // http there is no crypto.subtle to hash the text: the visitor is asked again on the next page)
      settle(body ? stored : before, next);
      if (body && !retry) setTimeout(() => n == seq && post(body), 3e3);
    }
  };
  return post();
};

/** The config arrived: apply what stands, prompt if the mode says so (or `force`, after a 409). */
const start = (c: BannerConfig, force?: unknown) => {
  cfg = c;
  lang ||= data.lang == 'ja' || data.lang == 'en' ? data.lang : c.l;
  const [next, prompt] = decide(c, stored, gpc || !!c.g);
  apply(next);
  if (prompt == 'gpc') void record('gpc', next);
  const show = () => {
    view ||= ui({ cfg: () => cfg!, lang, base, acc: () => acc!, stored: () => stored, choose: record, myData: myDataUrl });
    view.show(prompt == 'gpc' ? 0 : prompt || (force ? 'settings' : 0));
    mounted(view);
  };
  document.readyState == 'loading' ? addEventListener('DOMContentLoaded', show) : show();
};

/** GET /api/config (`force`: past any cache, and prompt). Without it, a stored choice still applies. */
const load = (force?: unknown): Promise<void> =>
  fetch(new URL(`/api/config?s=${encodeURIComponent(site)}`, base), force ? { cache: 'reload' } : {})
    .then((res) => (res.ok ? res.json() : Promise.reject()))
    .then(
      (c: BannerConfig) => start(c, force),
      () => void (!acc && stored && apply(stored.acc)),
    );

/**
 * /privacy/my-data on the ashiato server, with this browser's cookie and consent ids in the #fragment: the
 * page there needs them (the cookies live on this site's domain) and a fragment never reaches any server.
 */
const myDataUrl = () => {
  const v = document.cookie.match(/(^|; )ashiato_id=([^;]*)/)?.[2];
  const f = [v && 'v=' + v, stored?.id && 'c=' + stored.id].filter(Boolean).join('&');
  return new URL(`/privacy/my-data?lang=${lang || 'ja'}${f && '#' + f}`, base).href;
};

const consent: ConsentApi = {
  open: () => void ready.then((u) => u.open()),
  get: () =>
    cfg &&
    acc && {
      mode: cfg.m,
      accepted: [...acc],
      rejected: ids().filter((id) => !acc!.includes(id)),
      consentId: stored?.id || undefined,
      revision: stored?.rev,
    },
  sending: () => sendingFor(stored && !stored.acc.includes(GPC_RECORD) ? stored.acc.includes('analytics') : undefined, pending, cfg),
  withdraw: () => ready.then((u) => (u.show(0), record('withdraw', required(cfg!.cats)))),
  myData: () => void open(myDataUrl(), '_blank', 'noopener'),
};

// window.ashiato: the tracker's function when it is there, else a stub that queues its calls the way the
// page snippet does; `consent` is (re)attached whenever the tracker replaces it.
type Ashiato = ((...args: unknown[]) => void) & { q?: unknown[]; consent?: ConsentApi };
const w = window as unknown as { ashiato?: Ashiato };
let current: Ashiato =
  w.ashiato ||
  function () {
    (current.q ||= []).push(arguments);
  };
current.consent = consent;
try {
  Object.defineProperty(w, 'ashiato', {
    configurable: true,
    get: () => current,
    set: (f: Ashiato) => ((current = f).consent = consent),
  });
} catch {
  // `var ashiato` made it unconfigurable: a tracker loaded later will not keep `consent`
  w.ashiato = current;
}

addEventListener('click', (e) => {
  const t = e.target as Element;
  if (t.closest?.('[data-ashiato-consent-open]')) e.preventDefault(), consent.open();
  // a "Your data" link: its target is completed with the ids at the moment it is followed
  const a = t.closest?.<HTMLAnchorElement>('a[data-ashiato-my-data]');
  if (a) a.href = myDataUrl();
});

void load();
