/**
 * The consent banner (ashiato-consent.js) in a real browser (Debian's chromium via playwright-core) against the
 * real server on 127.0.0.1, with the tracker on the same page: what the visitor sees, what runs, what the page
 * keeps, what the server records (consent_receipts) and what the tracker then does.
 * One browser for the file, a fresh context per test. Nothing leaves 127.0.0.1 (other URLs answer 204).
 * The servers force the consent mode by the country they give 127.0.0.1 (test/helpers/server.ts); cookies
 * do not care about ports, so one context can carry a choice from one server to the next.
 */
import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import { type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BannerConfig } from '../../server/consent/wire.ts';
import { cookieIdPattern, type EventAccepted, type EventPayload } from '../../server/ingest/wire.ts';
import { textToHash } from '../../tracker/banner/choice.ts';
import { desktopChromeUa, policyWith } from '../helpers/app.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** A blocked external tag (answers after a delay: the inline tag after it must still wait) and inline ones. */
const fixture = ({ link = true, head = '', attrs = '' } = {}) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Banner fixture</title>
<script src="/ashiato-consent.js" data-site="localhost"${attrs}></script>
<script>window.ashiato=window.ashiato||function(){(ashiato.q=ashiato.q||[]).push(arguments)}</script>
<script defer src="/ashiato.js" data-site="localhost" data-local></script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js','site tag');</script>
<script type="text/plain" data-category="external_analytics" id="first">(window.ran=window.ran||[]).push('inline-1')</script>
<script type="text/plain" data-category="external_analytics" data-src="/b/ext.js" data-tag="ga" async></script>
<script type="text/plain" data-category="external_analytics">(window.ran=window.ran||[]).push('inline-2')</script>
<script type="text/plain" data-category="advertising">(window.ran=window.ran||[]).push('ads')</script>
${head}</head><body>
<main id="main"><h1>Fixture</h1><p>Some content.</p><button id="own">The site's own button</button></main>
<footer>${link ? '<a href="#" id="settings" data-ashiato-consent-open>Cookie settings</a>' : 'No settings link here.'}</footer>
</body></html>`;

const pages = {
  '/b/page': fixture(),
  '/b/nolink': fixture({ link: false }),
  '/b/hostile': fixture({ head: '<style>button{background:red!important;font-size:20px!important}p{margin:90px!important}div{display:none!important}</style>' }),
};
/** Receipts wait while this is unresolved (`holdReceipts`): a choice whose answer has not come back yet. */
let receiptGate: Promise<void> = Promise.resolve();
const holdReceipts = () => {
  let release!: () => void;
  receiptGate = new Promise((resolve) => (release = resolve));
  return () => {
    release();
    receiptGate = Promise.resolve();
  };
};

const mount = {
  pages,
  routes: (app: Hono) =>
    void app
      .use('/api/consent', async (_c, next) => {
        await receiptGate;
        await next();
      })
      .get('/b/ext.js', async (c) => {
        await new Promise((r) => setTimeout(r, 150));
        c.header('Content-Type', 'application/javascript');
        return c.body("(window.ran=window.ran||[]).push('external:'+document.currentScript.dataset.tag)");
      })
      // the banner tag's data-api and data-lang from the query (escaped: they land in an attribute)
      .get('/b/attrs', (c) => {
        const attr = (name: string) => (c.req.query(name) ? ` data-${name}="${c.req.query(name)!.replace(/[^\w:/.-]/g, '')}"` : '');
        return c.html(fixture({ attrs: attr('api') + attr('lang') }));
      }),
};

let browser: Browser;
let optIn: TestServer;
let notice: TestServer;
let optOut: TestServer;
/** opt-in, with a policy revised since: another body text and an advertising category */
let revised: TestServer;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const changed = policyWith((p) => {
    p.consent.banner.body.en = 'We have revised how this site uses cookies.';
    p.consent.categories.push({
      id: 'advertising',
      label: { ja: '広告', en: 'Advertising' },
      description: { ja: '広告の配信と効果測定。', en: 'Showing and measuring ads.' },
    });
  });
  [browser, optIn, notice, optOut, revised] = await Promise.all([
    launchChromium(),
    startTestServer({ consentMode: 'opt-in', ...mount }),
    startTestServer({ consentMode: 'notice', ...mount }),
    startTestServer({ consentMode: 'opt-out', ...mount }),
    startTestServer({ consentMode: 'opt-in', policy: changed, ...mount }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([optIn, notice, optOut, revised].map((s) => s?.close()));
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  await Promise.all([optIn, notice, optOut, revised].map((s) => Promise.all([s.db.deleteFrom('events').execute(), s.db.deleteFrom('consent_receipts').execute()])));
});

interface Exchange {
  payload: EventPayload;
  answer?: EventAccepted;
}

async function newContext(options: BrowserContextOptions & { gpc?: boolean } = {}) {
  const { gpc, ...rest } = options;
  const context = await browser.newContext({ userAgent: desktopChromeUa, ...rest });
  contexts.push(context);
  await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.fulfill({ status: 204 }));
  if (gpc) await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  return context;
}

/** Opens `path` in `context` (default: a fresh one); records the tracker's exchanges and any page error. */
async function visit(server: TestServer, path = '/b/page', context?: BrowserContext) {
  context ??= await newContext();
  const page = await context.newPage();
  const sent: Exchange[] = [];
  const errors: Error[] = [];
  page.on('pageerror', (e) => errors.push(e));
  page.on('request', (req) => {
    if (!req.url().endsWith('/api/event')) return;
    const exchange: Exchange = { payload: JSON.parse(req.postData()!) };
    sent.push(exchange);
    // a link click may navigate away before the body is read: that answer is simply not recorded
    req.response().then(
      async (res) => {
        if (res) exchange.answer = await res.json().catch(() => undefined);
      },
      () => undefined,
    );
  });
  await page.goto(server.url + path);
  /** waits until `n` tracker events were answered */
  const answered = async (n: number) => {
    await expect.poll(() => sent.filter((e) => e.answer).length).toBe(n);
    return sent;
  };
  return { context, page, sent, errors, answered };
}

type Win = Window & {
  ran?: string[];
  dataLayer: IArguments[];
  ashiato: ((name: string) => void) & {
    consent: { open(): void; get(): unknown; withdraw(): Promise<void> };
  };
};

const dialog = (page: Page) => page.getByRole('dialog');
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const ran = (page: Page) => page.evaluate(() => (window as unknown as Win).ran);
const gcm = (page: Page) => page.evaluate(() => (window as unknown as Win).dataLayer.map((a) => Array.from(a)));
const track = (page: Page, name: string) => page.evaluate((n) => (window as unknown as Win).ashiato(n), name);
const state = (page: Page) => page.evaluate(() => (window as unknown as Win).ashiato.consent.get());
const cookie = async (context: BrowserContext, name: string) => (await context.cookies()).find((c) => c.name === name);
const receipts = (server: TestServer) => server.db.selectFrom('consent_receipts').selectAll().orderBy('seq').execute();
/** the receipts, once there are `n` */
const recorded = async (server: TestServer, n: number) => {
  await expect.poll(async () => (await receipts(server)).length).toBe(n);
  return receipts(server);
};
/** the consent cookie, once it holds `categories` and the consent id the server issued for them */
const consentCookieOf = async (context: BrowserContext, categories: string) => {
  await expect
    .poll(async () => {
      const [id, , acc] = (await cookie(context, 'ashiato_consent'))?.value.split('~') ?? [];
      return cookieIdPattern.test(id ?? '') && acc;
    })
    .toBe(categories);
  return (await cookie(context, 'ashiato_consent'))!;
};
/**
 * Every request the page has made so far has been seen: it fetches a marker URL and waits for that request
 * (requests are reported in order). A state to wait for, where the test asserts that nothing was sent.
 */
const settled = async (page: Page) => {
  const marker = page.waitForRequest((req) => req.url().endsWith('/b/settled'));
  await page.evaluate(() => void fetch('/b/settled').catch(() => undefined));
  await marker;
};
/** the banner has its config (what it decided has been applied, and the tracker told) */
const configured = (page: Page) => expect.poll(() => state(page).then(Boolean)).toBe(true);
const quiet = (page: Page) => page.waitForTimeout(300);
/** a blocked external_analytics tag added to the page by script, after load */
const addBlocked = (page: Page, label: string) =>
  page.evaluate((l) => {
    const s = document.createElement('script');
    s.type = 'text/plain';
    s.dataset.category = 'external_analytics';
    s.text = `(window.ran=window.ran||[]).push('${l}')`;
    document.body.append(s);
  }, label);

/** What the banner of `server` shows a visitor with English preferred, and the hash its receipt must carry. */
async function shown(server: TestServer, l: 'ja' | 'en' = 'en') {
  const config = (await (await fetch(`${server.url}/api/config?s=localhost`, { headers: { 'Accept-Language': 'en' } })).json()) as BannerConfig;
  return { config, hash: createHash('sha256').update(textToHash(config, l), 'utf8').digest('hex') };
}

const denied = { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied' };
const ALL = 'necessary+analytics+external_analytics';
const inOrder = ['inline-1', 'external:ga', 'inline-2'];

describe('opt-in', () => {
  it('shows the banner and lets nothing optional run or be stored before a choice', async () => {
    const { context, page, sent, errors } = await visit(optIn);
    await dialog(page).waitFor();
    expect(await dialog(page).getByRole('heading').textContent()).toBe('How this site uses cookies');
    // Accept all and Reject all are equally prominent: same size, same style
    const [accept, reject] = [button(page, 'Accept all'), button(page, 'Reject all')];
    const style = (b: typeof accept) => b.evaluate((el) => {
      const s = getComputedStyle(el);
      return [s.backgroundColor, s.color, s.fontSize, s.fontWeight, s.borderColor, s.padding, el.getBoundingClientRect().height];
    });
    expect(await style(accept)).toEqual(await style(reject));
    await expect.poll(() => button(page, 'Choose').isVisible()).toBe(true);
    // focus moved into the banner
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('role'))).toBe('dialog');

    await track(page, 'Before a choice');
    await settled(page);
    expect(await context.cookies()).toEqual([]);
    expect(await ran(page)).toBeUndefined();
    expect(sent).toEqual([]); // opt-in measures nothing without a yes: not even the page view
    expect(await receipts(optIn)).toEqual([]);
    expect(await state(page)).toEqual({ mode: 'opt-in', accepted: ['necessary'], rejected: ['analytics', 'external_analytics'] });
    expect(errors).toEqual([]);
  });

  it('Accept all: runs the blocked tags once, in order, keeps the choice, records it, and the tracker gets a cookie id', async () => {
    const { context, page, sent, answered, errors } = await visit(optIn);
    await dialog(page).waitFor();
    // a tag added before the choice waits too
    await addBlocked(page, 'added-before');
    await quiet(page);
    expect(await ran(page)).toBeUndefined();

    await button(page, 'Accept all').click();
    await expect.poll(() => ran(page)).toEqual([...inOrder, 'added-before']);
    expect(await dialog(page).count()).toBe(0);
    const saved = await consentCookieOf(context, ALL);
    const [id, revision] = saved.value.split('~');
    expect(id).toMatch(cookieIdPattern);
    expect(saved).toMatchObject({ path: '/', sameSite: 'Lax', secure: false, httpOnly: false });
    expect(saved.expires * 1000 - Date.now()).toBeGreaterThan(394 * 86_400_000);
    expect(saved.expires * 1000 - Date.now()).toBeLessThan(396 * 86_400_000);

    const { config, hash } = await shown(optIn);
    expect(revision).toBe(config.rev);
    expect(await recorded(optIn, 1)).toMatchObject([
      {
        consent_id: id,
        revision: config.rev,
        banner_hash: hash,
        mode: 'opt-in',
        action: 'accept_all',
        accepted: '["necessary","analytics","external_analytics"]',
        rejected: '[]',
        language: 'en',
        path: '/b/page',
        ip_trunc: '127.0.0.0',
        browser: 'Chrome',
      },
    ]);

    // a tag added later runs at once; the activated ones never run again, even when the choice is saved again
    await addBlocked(page, 'added-after');
    await expect.poll(() => ran(page)).toEqual([...inOrder, 'added-before', 'added-after']);
    await page.click('#settings');
    await button(page, 'Save choices').click();
    await recorded(optIn, 2);
    await quiet(page);
    expect(await ran(page)).toEqual([...inOrder, 'added-before', 'added-after']);
    // the advertising tag has no category in this policy: it never runs
    expect(await page.locator('script[type="text/plain"]').count()).toBe(1);

    // the tracker: nothing before the choice, then consent, and a cookie id from the next answer
    expect(sent.map((e) => e.payload.n)).toEqual([]);
    await track(page, 'After consent');
    await answered(1);
    expect(sent[0]!.payload.c).toBe(1);
    await expect.poll(async () => (await cookie(context, 'ashiato_id'))?.value).toBe(sent[0]!.answer!.v);
    expect(sent[0]!.answer!.v).toMatch(cookieIdPattern);
    expect(errors).toEqual([]);
  });

  it('applies a stored choice silently on the next page (Consent Mode starts from it)', async () => {
    const { context, page } = await visit(optIn);
    await button(page, 'Accept all').click();
    await consentCookieOf(context, ALL);
    const next = await visit(optIn, '/b/page', context);
    await expect.poll(() => ran(next.page)).toEqual(inOrder);
    expect(await dialog(next.page).count()).toBe(0);
    const granted = { ...denied, analytics_storage: 'granted' };
    expect((await gcm(next.page)).filter((a) => a[0] === 'consent')).toEqual([
      ['consent', 'default', { ...granted, wait_for_update: 500 }],
      ['consent', 'update', granted],
    ]);
    expect(await receipts(optIn)).toHaveLength(1);
  });

  it('Reject all: records the refusal and nothing else is stored or run', async () => {
    const { context, page, sent } = await visit(optIn);
    await button(page, 'Reject all').click();
    const saved = await consentCookieOf(context, 'necessary');
    expect(await recorded(optIn, 1)).toMatchObject([
      { consent_id: saved.value.split('~')[0], action: 'reject_all', accepted: '["necessary"]', rejected: '["analytics","external_analytics"]' },
    ]);
    await track(page, 'After refusal');
    await settled(page);
    expect(sent).toEqual([]); // a refusal stops sending
    expect((await context.cookies()).map((c) => c.name)).toEqual(['ashiato_consent']);
    expect(await ran(page)).toBeUndefined();
    expect((await gcm(page)).filter((a) => a[0] === 'consent').at(-1)).toEqual(['consent', 'update', denied]);
  });

  it('Choose: a switch per category, the required one on and disabled; Save records a custom choice', async () => {
    const { context, page, sent } = await visit(optIn);
    await button(page, 'Choose').click();
    const necessary = page.getByRole('switch', { name: 'Strictly necessary' });
    const analytics = page.getByRole('switch', { name: 'Site analytics' });
    const external = page.getByRole('switch', { name: 'External analytics tools' });
    expect([await necessary.isChecked(), await necessary.isDisabled()]).toEqual([true, true]);
    expect([await analytics.isChecked(), await external.isChecked()]).toEqual([false, false]);
    expect(await external.getAttribute('aria-describedby').then((id) => page.locator(`ashiato-consent #${id}`).textContent())).toBe(
      'Sends browsing information to analytics tools run by other companies.',
    );
    await external.check();
    await button(page, 'Save choices').click();
    await expect.poll(() => ran(page)).toEqual(inOrder);
    await consentCookieOf(context, 'necessary+external_analytics');
    expect(await recorded(optIn, 1)).toMatchObject([{ action: 'custom', accepted: '["necessary","external_analytics"]', rejected: '["analytics"]' }]);
    await track(page, 'No analytics');
    await settled(page);
    expect(sent).toEqual([]); // analytics refused: the tracker sends nothing
    expect(await cookie(context, 'ashiato_id')).toBeUndefined();
  });

  it('applies a choice at once even when recording it fails, and sends it once more', async () => {
    const context = await newContext();
    let attempts = 0;
    await context.route('**/api/consent', (route) => (++attempts === 1 ? route.abort('connectionrefused') : route.continue()));
    const { page } = await visit(optIn, '/b/page', context);
    await button(page, 'Accept all').click();
    await expect.poll(() => ran(page)).toEqual(inOrder); // applied for this page
    // kept in the browser before the receipt was sent, without a consent id until the server issues one
    expect((await cookie(context, 'ashiato_consent'))?.value.replace(/~.*~/, '~rev~')).toBe(`~rev~${ALL}`);
    await expect.poll(() => attempts, { timeout: 6000 }).toBe(2);
    await consentCookieOf(context, ALL);
    expect(await recorded(optIn, 1)).toMatchObject([{ action: 'accept_all' }]);
    await page.waitForTimeout(3500);
    expect(attempts).toBe(2);
  });
});

describe('without crypto.subtle (a plain-http page)', () => {
  it('applies the choice to the page, but keeps nothing that was not recorded: asked again on the next page', async () => {
    const context = await newContext();
    await context.addInitScript(() => Object.defineProperty(Crypto.prototype, 'subtle', { get: () => undefined }));
    const { page } = await visit(optIn, '/b/page', context);
    await button(page, 'Accept all').click();
    await expect.poll(() => ran(page)).toEqual(inOrder);
    expect(await cookie(context, 'ashiato_consent')).toBeUndefined();
    expect(await receipts(optIn)).toEqual([]);
    const next = await visit(optIn, '/b/page', context);
    await dialog(next.page).waitFor();
  });
});

describe('notice', () => {
  it('shows a dismissible notice; the tracker counts cookieless until the notice is closed; third-party tags still wait for a yes', async () => {
    const { context, page, sent, answered, errors } = await visit(notice);
    await dialog(page).waitFor();
    expect(await dialog(page).getByRole('button').allTextContents()).toEqual(['日本語', 'Close', 'Choose']);
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true); // focus left alone
    await answered(1);
    // no "yes" yet: counted without a cookie (the notice mode's default)
    expect(sent[0]!.payload).not.toHaveProperty('c');
    expect(sent[0]!.payload).not.toHaveProperty('v');
    expect(await cookie(context, 'ashiato_id')).toBeUndefined();
    expect(await state(page)).toMatchObject({ mode: 'notice', accepted: ['necessary', 'analytics'] });
    await settled(page);
    expect(await ran(page)).toBeUndefined();

    await button(page, 'Close').click();
    expect(await dialog(page).count()).toBe(0);
    await consentCookieOf(context, 'necessary+analytics');
    expect(await recorded(notice, 1)).toMatchObject([{ action: 'custom', mode: 'notice', accepted: '["necessary","analytics"]', rejected: '["external_analytics"]' }]);
    await track(page, 'Counted');
    await answered(2);
    expect(sent[1]!.payload).toMatchObject({ c: 1 });
    await expect.poll(async () => (await cookie(context, 'ashiato_id'))?.value).toBe(sent[1]!.answer!.v);
    await settled(page);
    expect(await ran(page)).toBeUndefined();

    // the third-party tags only with a yes
    await page.click('#settings');
    await page.getByRole('switch', { name: 'External analytics tools' }).check();
    await button(page, 'Save choices').click();
    await expect.poll(() => ran(page)).toEqual(inOrder);
    expect((await recorded(notice, 2))[1]).toMatchObject({ action: 'custom', accepted: `["necessary","analytics","external_analytics"]` });
    expect(errors).toEqual([]);
  });
});

describe('opt-out', () => {
  it('shows no banner and allows everything until the visitor opts out in the settings', async () => {
    const { context, page, sent, answered } = await visit(optOut);
    await expect.poll(() => ran(page)).toEqual(inOrder);
    expect(await dialog(page).count()).toBe(0);
    expect(await page.locator('ashiato-consent button').count()).toBe(0); // the page has its own settings link
    expect((await gcm(page)).filter((a) => a[0] === 'consent').at(-1)).toEqual(['consent', 'update', { ...denied, analytics_storage: 'granted' }]);
    await answered(1);
    expect(sent[0]!.payload).not.toHaveProperty('c'); // no "yes": counted without a cookie
    expect(await cookie(context, 'ashiato_id')).toBeUndefined();
    expect(await receipts(optOut)).toEqual([]);

    await page.click('#settings');
    expect(await page.getByRole('switch', { name: 'Site analytics' }).isChecked()).toBe(true);
    await button(page, 'Reject all').click();
    await consentCookieOf(context, 'necessary');
    expect(await recorded(optOut, 1)).toMatchObject([{ action: 'reject_all', mode: 'opt-out', accepted: '["necessary"]' }]);
    await track(page, 'Opted out');
    await settled(page);
    expect(sent).toHaveLength(1); // an opt-out stops sending
  });

  it('GPC: records gpc once, never prompts, and the tracker counts cookieless with g:1', async () => {
    const context = await newContext({ gpc: true });
    const { page, sent, answered } = await visit(optOut, '/b/page', context);
    const saved = await consentCookieOf(context, 'necessary+!gpc'); // a GPC record, not the visitor's refusal
    const { config, hash } = await shown(optOut);
    expect(await recorded(optOut, 1)).toMatchObject([
      { consent_id: saved.value.split('~')[0], revision: config.rev, banner_hash: hash, action: 'gpc', mode: 'opt-out', accepted: '["necessary"]', rejected: '["analytics","external_analytics"]' },
    ]);
    await answered(1);
    expect(sent[0]!.payload).toMatchObject({ g: 1 });
    expect(sent[0]!.payload).not.toHaveProperty('v');
    expect(sent[0]!.payload).not.toHaveProperty('c');
    await settled(page);
    expect(await dialog(page).count()).toBe(0);
    expect(await ran(page)).toBeUndefined();
    expect(await cookie(context, 'ashiato_id')).toBeUndefined();

    const again = await visit(optOut, '/b/page', context);
    await again.answered(1);
    await settled(again.page);
    expect(await receipts(optOut)).toHaveLength(1);
    expect(await dialog(again.page).count()).toBe(0);
    expect(again.sent[0]!.payload).toMatchObject({ g: 1 });
    expect(again.sent[0]!.payload).not.toHaveProperty('c');
    expect(await ran(again.page)).toBeUndefined();
  });
});

describe('a new policy revision', () => {
  it('asks again, keeping the consent id, with the earlier choice in force until the visitor answers', async () => {
    const first = await visit(optIn);
    await button(first.page, 'Reject all').click();
    const before = await consentCookieOf(first.context, 'necessary');

    const { page } = await visit(revised, '/b/page', first.context);
    await dialog(page).waitFor();
    expect(await page.locator('ashiato-consent #b').textContent()).toBe('We have revised how this site uses cookies.');
    expect(await state(page)).toMatchObject({ accepted: ['necessary'], revision: before.value.split('~')[1] });
    await button(page, 'Accept all').click();
    const after = await consentCookieOf(first.context, 'necessary+analytics+external_analytics+advertising');
    const { config, hash } = await shown(revised);
    expect(after.value.split('~').slice(0, 2)).toEqual([before.value.split('~')[0], config.rev]);
    expect(config.rev).not.toBe(before.value.split('~')[1]);
    expect(await recorded(revised, 1)).toMatchObject([{ consent_id: before.value.split('~')[0], revision: config.rev, banner_hash: hash, action: 'accept_all' }]);
    // the advertising tag has its category now, and Consent Mode's ad_* follow it
    await expect.poll(() => ran(page)).toEqual([...inOrder, 'ads']);
    const granted = { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted', analytics_storage: 'granted' };
    expect((await gcm(page)).filter((a) => a[0] === 'consent').at(-1)).toEqual(['consent', 'update', granted]);
  });

  it('asks again when the policy changed while the banner was open (409)', async () => {
    const context = await newContext();
    let configs = 0;
    await context.route((url) => url.pathname === '/api/config', async (route) => {
      if (++configs > 1) return route.continue();
      const res = await route.fetch();
      const current = (await res.json()) as BannerConfig;
      await route.fulfill({ response: res, json: { ...current, rev: '0123456789abcdef', t: { ...current.t, body: { ja: '古い文面', en: 'An older text.' } } } });
    });
    const posts: number[] = [];
    context.on('response', (res) => void (res.url().endsWith('/api/consent') && posts.push(res.status())));
    const { page } = await visit(optIn, '/b/page', context);
    expect(await page.locator('ashiato-consent #b').textContent()).toBe('An older text.');
    await button(page, 'Accept all').click();
    await expect.poll(() => posts).toEqual([409]);
    await dialog(page).waitFor();
    expect(configs).toBe(2);
    expect(await page.locator('ashiato-consent #b').textContent()).toMatch(/^We use cookies/); // the current text
    expect(await cookie(context, 'ashiato_consent')).toBeUndefined();
    await button(page, 'Accept all').click();
    await consentCookieOf(context, ALL);
    expect(posts).toEqual([409, 201]);
    const { config, hash } = await shown(optIn);
    expect(await recorded(optIn, 1)).toMatchObject([{ revision: config.rev, banner_hash: hash, action: 'accept_all' }]);
  });
});

describe('withdrawal', () => {
  async function consented() {
    const visited = await visit(optIn);
    await button(visited.page, 'Accept all').click();
    await consentCookieOf(visited.context, ALL);
    await expect.poll(() => ran(visited.page)).toEqual(inOrder);
    await track(visited.page, 'With consent');
    await visited.answered(1);
    expect((await cookie(visited.context, 'ashiato_id'))?.value).toMatch(cookieIdPattern);
    return visited;
  }

  it('by ashiato.consent.withdraw(): a withdraw receipt, the tracker drops its id, no tag is activated any more', async () => {
    const { context, page, sent } = await consented();
    const consentId = (await cookie(context, 'ashiato_consent'))!.value.split('~')[0];
    await page.evaluate(() => (window as unknown as Win).ashiato.consent.withdraw());
    await consentCookieOf(context, 'necessary');
    expect((await recorded(optIn, 2))[1]).toMatchObject({ consent_id: consentId, action: 'withdraw', accepted: '["necessary"]' });
    await expect.poll(async () => (await cookie(context, 'ashiato_id')) === undefined).toBe(true);
    await addBlocked(page, 'late');
    await track(page, 'After withdrawal');
    await settled(page);
    expect(sent).toHaveLength(1); // a withdrawal stops sending
    expect(await ran(page)).toEqual(inOrder); // what ran stays until the page is left; nothing new
    expect((await gcm(page)).filter((a) => a[0] === 'consent').at(-1)).toEqual(['consent', 'update', denied]);
  });

  it('by the page’s settings link: the settings show the choice, and Reject all there is a withdrawal', async () => {
    const { context, page } = await consented();
    await page.click('#settings');
    await dialog(page).waitFor();
    expect(await page.getByRole('switch', { name: 'External analytics tools' }).isChecked()).toBe(true);
    await button(page, 'Reject all').click();
    await consentCookieOf(context, 'necessary');
    expect((await recorded(optIn, 2))[1]).toMatchObject({ action: 'withdraw', accepted: '["necessary"]' });
    await expect.poll(async () => (await cookie(context, 'ashiato_id')) === undefined).toBe(true);
    expect(await state(page)).toMatchObject({ accepted: ['necessary'] });
  });

  it('stops tags not yet activated; what already ran stays until the page is left', async () => {
    const { page } = await visit(optIn);
    await dialog(page).waitFor();
    // the external tag takes 150 ms to load: withdrawn once it is inserted, the inline one after it is still waiting
    await page.evaluate(async () => {
      document.querySelector('ashiato-consent')!.shadowRoot!.querySelector<HTMLElement>('[data-k=a]')!.click();
      while (!document.querySelector('script[src$="/b/ext.js"]')) await new Promise((r) => setTimeout(r, 5));
      await (window as unknown as Win).ashiato.consent.withdraw();
    });
    await expect.poll(async () => (await receipts(optIn)).map((r) => r.action)).toEqual(['accept_all', 'withdraw']);
    // the external tag already inserted still loads and runs (however slow the machine); nothing after it does
    await expect.poll(() => ran(page), { timeout: 10_000 }).toEqual(['inline-1', 'external:ga']);
    await page.waitForTimeout(300);
    expect(await ran(page)).toEqual(['inline-1', 'external:ga']);
    expect(await page.locator('script[type="text/plain"]').count()).toBe(2); // inline-2 and ads, still inert
  });

  it('keeps a Cookie settings button on pages without a settings link', async () => {
    const { page } = await visit(optIn, '/b/nolink');
    await button(page, 'Reject all').click();
    await button(page, 'Cookie settings').click();
    await page.getByRole('switch', { name: 'Site analytics' }).check();
    await button(page, 'Save choices').click();
    expect((await recorded(optIn, 2)).map((r) => r.action)).toEqual(['reject_all', 'custom']);
    await expect.poll(() => button(page, 'Cookie settings').isVisible()).toBe(true);
  });
});

describe('keyboard and accessibility', () => {
  /** what has focus: the banner's element (by role, name or text) or the page's tag name */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const inner = document.activeElement?.shadowRoot?.activeElement as HTMLElement | null | undefined;
      if (!inner) return document.activeElement?.tagName;
      return inner.getAttribute('role') === 'dialog' ? 'dialog' : inner.matches('input') ? `switch:${inner.closest('label')!.textContent}` : inner.textContent;
    });

  it('Tab reaches both buttons; the settings trap focus and Escape closes them', async () => {
    const { page } = await visit(optIn);
    await dialog(page).waitFor();
    expect(await focused(page)).toBe('dialog');
    const order: (string | undefined)[] = [];
    for (let i = 0; i < 6; i++) await page.keyboard.press('Tab'), order.push(await focused(page));
    expect(order).toEqual(['日本語', 'Privacy notice', 'External transmission', 'Your data', 'Accept all', 'Reject all']);
    await page.keyboard.press('Tab');

    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('switch:Site analytics');
    expect(await page.getByRole('dialog').getAttribute('aria-modal')).toBe('true');
    await page.keyboard.press('Space');
    expect(await page.getByRole('switch', { name: 'Site analytics' }).isChecked()).toBe(true);
    const seen = new Set<string | undefined>();
    for (let i = 0; i < 12; i++) await page.keyboard.press('Tab'), seen.add(await focused(page));
    expect(seen).not.toContain('BODY');
    expect(seen).not.toContain('A');
    expect(seen).toContain('Save choices');
    expect(seen).toContain('switch:External analytics tools');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).not.toBe('BODY');

    await page.keyboard.press('Escape');
    expect(await page.getByRole('switch').count()).toBe(0);
    expect(await focused(page)).toBe('Choose');
    expect(await dialog(page).getAttribute('aria-modal')).toBeNull(); // the banner itself traps nothing
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter'); // Reject all
    expect((await recorded(optIn, 1))[0]!.action).toBe('reject_all');
  });

  it('is a labelled dialog in the shown language, switches to Japanese, and links to the notices', async () => {
    const { page } = await visit(optIn);
    const box = dialog(page);
    await box.waitFor();
    const label = (attr: string) => box.getAttribute(attr).then((id) => page.locator(`ashiato-consent #${id}`).textContent());
    expect(await box.getAttribute('lang')).toBe('en');
    expect(await label('aria-labelledby')).toBe('How this site uses cookies');
    expect(await label('aria-describedby')).toMatch(/^We use cookies/);
    expect(await box.getByRole('link').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href))).toEqual([
      `${optIn.url}/privacy?lang=en`,
      `${optIn.url}/privacy/external-transmission?lang=en`,
      `${optIn.url}/privacy/my-data?lang=en`, // no ids yet: no choice recorded, no cookie id
    ]);

    await button(page, '日本語').click();
    expect(await box.getAttribute('lang')).toBe('ja');
    expect(await box.getByRole('heading').textContent()).toBe('Cookieの利用について');
    expect(await focused(page)).toBe('English');
    expect(await box.getByRole('link').first().getAttribute('href')).toBe(`${optIn.url}/privacy?lang=ja`);
    await button(page, 'すべて拒否').click();
    expect(await recorded(optIn, 1)).toMatchObject([{ language: 'ja', banner_hash: (await shown(optIn, 'ja')).hash, action: 'reject_all' }]);
  });

  it('moves no page content, fits a phone screen, keeps site styles out and honours reduced motion', async () => {
    const watch = () => {
      const w = window as unknown as { shifts: number; before?: string };
      w.shifts = 0;
      new PerformanceObserver((list) => list.getEntries().forEach((e) => (w.shifts += (e as unknown as { value: number }).value))).observe({ type: 'layout-shift', buffered: true });
      addEventListener('DOMContentLoaded', () => (w.before = JSON.stringify(document.getElementById('main')!.getBoundingClientRect())));
    };
    const desktop = await newContext();
    await desktop.addInitScript(watch);
    const { page } = await visit(optIn, '/b/page', desktop);
    await dialog(page).waitFor();
    await page.waitForTimeout(400); // past the slide-in
    expect(await page.evaluate(() => (window as unknown as { shifts: number }).shifts)).toBe(0);
    expect(await page.evaluate(() => JSON.stringify(document.getElementById('main')!.getBoundingClientRect()))).toBe(
      await page.evaluate(() => (window as unknown as { before: string }).before),
    );
    const banner = page.locator('ashiato-consent .d');
    expect(await banner.evaluate((el) => [getComputedStyle(el).position, getComputedStyle(el).animationName])).toEqual(['fixed', 'u']);
    const box = (await banner.boundingBox())!;
    expect(box.y + box.height).toBeCloseTo(720, 0);

    const phone = await newContext({ viewport: { width: 375, height: 667 }, reducedMotion: 'reduce' });
    const small = await visit(optIn, '/b/hostile', phone);
    await dialog(small.page).waitFor();
    const smallBox = (await small.page.locator('ashiato-consent .d').boundingBox())!;
    expect([smallBox.x, smallBox.width, Math.round(smallBox.y + smallBox.height)]).toEqual([0, 375, 667]);
    expect(smallBox.height).toBeLessThan(667 * 0.86);
    expect(await small.page.evaluate(() => document.documentElement.scrollWidth)).toBe(375);
    const [accept, reject] = await Promise.all(['Accept all', 'Reject all'].map((n) => button(small.page, n).boundingBox()));
    expect(accept!.width).toBe(reject!.width);
    expect(accept!.width).toBeGreaterThan(300); // one per row, full width
    expect(accept!.height).toBeGreaterThanOrEqual(44);
    expect(await button(small.page, 'Accept all').evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).fontSize])).toEqual(['rgb(31, 61, 122)', '15px']);
    expect(await small.page.locator('#own').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 0, 0)'); // the site's own, untouched
    expect(await small.page.locator('ashiato-consent .d').evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
  });
});

describe('the tag’s attributes', () => {
  it('data-api: config, receipts and notices from that origin; data-lang: starts in that language', async () => {
    const { page } = await visit(notice, `/b/attrs?api=${encodeURIComponent(optIn.url)}&lang=ja`);
    const box = dialog(page);
    await box.waitFor();
    expect(await box.getAttribute('lang')).toBe('ja');
    expect(await box.getByRole('link').first().getAttribute('href')).toBe(`${optIn.url}/privacy?lang=ja`);
    await button(page, 'すべて許可').click(); // optIn's mode: Accept all is there
    expect(await recorded(optIn, 1)).toMatchObject([{ action: 'accept_all', language: 'ja', banner_hash: (await shown(optIn, 'ja')).hash, path: '/b/attrs' }]);
    expect(await receipts(notice)).toEqual([]);
  });
});

describe('Google Consent Mode v2', () => {
  it('gets its default before any other tag, then an update as each choice applies, through the standard gtag', async () => {
    const { page } = await visit(optIn);
    await dialog(page).waitFor();
    const initial = await gcm(page);
    expect(initial.slice(0, 3)).toEqual([
      ['consent', 'default', { ...denied, wait_for_update: 500 }],
      ['js', 'site tag'], // the page's own gtag snippet, after the banner's tag
      ['consent', 'update', denied],
    ]);
    expect(await page.evaluate(() => (window as unknown as Win).dataLayer.every((a) => Object.prototype.toString.call(a) === '[object Arguments]'))).toBe(true);
    await button(page, 'Choose').click();
    await page.getByRole('switch', { name: 'External analytics tools' }).check();
    await button(page, 'Save choices').click();
    await expect.poll(async () => (await gcm(page)).length).toBe(4);
    expect((await gcm(page))[3]).toEqual(['consent', 'update', { ...denied, analytics_storage: 'granted' }]);
    await settled(page);
    expect(await gcm(page)).toHaveLength(4); // one update per change
  });
});

describe('the demo site', () => {
  it('carries the banner, a blocked example tag and a Cookie settings link, and stays usable under the notice', async () => {
    const { page } = await visit(notice, '/demo/products');
    await dialog(page).waitFor();
    await page.click('a[href="/demo/products/sensor"]'); // what test/e2e/tracker.test.ts clicks, under the notice
    expect(await page.isVisible('#detail')).toBe(true);
    await page.goto(`${notice.url}/demo/contact`);
    await dialog(page).waitFor();
    expect(await page.evaluate(() => (window as unknown as { demoExternalAnalytics?: number }).demoExternalAnalytics)).toBeUndefined();
    await page.selectOption('#topic', 'support');
    await page.click('button[type=submit]'); // not hidden under the notice: the page leaves room below
    expect(await page.isVisible('#thanks')).toBe(true);
    await button(page, 'Cookie設定 Cookie settings').click();
    await button(page, 'Accept all').click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { demoExternalAnalytics?: number }).demoExternalAnalytics)).toBe(1);
    expect((await recorded(notice, 1))[0]).toMatchObject({ action: 'accept_all', path: '/demo/contact' });
  });
});

describe('a choice before the page is left', () => {
  it('is kept in the browser before its receipt is sent: the next page applies it without asking', async () => {
    const release = holdReceipts();
    try {
      const { context, page } = await visit(optIn);
      const receipt = page.waitForRequest((req) => req.url().endsWith('/api/consent'));
      await button(page, 'Accept all').click();
      await receipt; // on its way, not answered: the visitor leaves now
      const next = await visit(optIn, '/b/page', context);
      await configured(next.page);
      expect(await dialog(next.page).count()).toBe(0);
      expect(await state(next.page)).toMatchObject({ accepted: ['necessary', 'analytics', 'external_analytics'] });
      await expect.poll(() => ran(next.page)).toEqual(inOrder);
    } finally {
      release();
    }
    // the receipt (keepalive) still arrives
    expect(await recorded(optIn, 1)).toMatchObject([{ action: 'accept_all' }]);
  });
});

describe('a page left open across a policy revision', () => {
  it('runs no tag and grants no Consent Mode on "Accept" before the server has accepted the choice', async () => {
    const context = await newContext();
    let configs = 0;
    // the first config is of an older revision: the page was opened before the policy changed
    await context.route(
      (url) => url.pathname === '/api/config',
      async (route) => {
        if (++configs > 1) return route.continue();
        const res = await route.fetch();
        await route.fulfill({ response: res, json: { ...((await res.json()) as BannerConfig), rev: '0123456789abcdef' } });
      },
    );
    const posts: number[] = [];
    context.on('response', (res) => void (res.url().endsWith('/api/consent') && posts.push(res.status())));
    const release = holdReceipts();
    const { page } = await visit(optIn, '/b/page', context);
    try {
      await dialog(page).waitFor();
      const receipt = page.waitForRequest((req) => req.url().endsWith('/api/consent'));
      await button(page, 'Accept all').click();
      await receipt;
      await settled(page);
      // the server has not answered yet: nothing it would take back has happened
      expect(await ran(page)).toBeUndefined();
    } finally {
      release();
    }
    // it answers 409: asked again with the current text; the stale choice is not kept, and nothing ran
    await expect.poll(() => posts).toEqual([409]);
    await expect.poll(() => configs).toBe(2);
    await dialog(page).waitFor();
    expect(await cookie(context, 'ashiato_consent')).toBeUndefined();
    expect(await ran(page)).toBeUndefined();
    const granted = (await gcm(page)).filter((a) => a[0] === 'consent' && (a[2] as { analytics_storage: string }).analytics_storage === 'granted');
    expect(granted).toEqual([]);
    expect(await receipts(optIn)).toEqual([]);
  });
});

describe('what the tracker sends, per mode (before a choice, accept, reject, withdraw, GPC)', () => {
  type Scenario = 'before a choice' | 'accept' | 'reject' | 'withdraw' | 'GPC (navigator)' | 'GPC (Sec-GPC header)';
  /** what a probe event after the scenario looks like on the wire: not sent, cookieless, or with consent */
  type Sent = 'nothing' | 'cookieless' | 'with consent';
  const rule: Record<'opt-in' | 'notice' | 'opt-out', Record<Scenario, Sent>> = {
    'opt-in': { 'before a choice': 'nothing', accept: 'with consent', reject: 'nothing', withdraw: 'nothing', 'GPC (navigator)': 'nothing', 'GPC (Sec-GPC header)': 'nothing' },
    notice: { 'before a choice': 'cookieless', accept: 'with consent', reject: 'nothing', withdraw: 'nothing', 'GPC (navigator)': 'cookieless', 'GPC (Sec-GPC header)': 'cookieless' },
    'opt-out': { 'before a choice': 'cookieless', accept: 'with consent', reject: 'nothing', withdraw: 'nothing', 'GPC (navigator)': 'cookieless', 'GPC (Sec-GPC header)': 'cookieless' },
  };
  const servers = () => ({ 'opt-in': optIn, notice, 'opt-out': optOut });
  /** in the settings panel, whatever the mode shows first */
  const choose = async (page: Page, name: 'Accept all' | 'Reject all') => {
    await page.evaluate(() => (window as unknown as Win).ashiato.consent.open());
    await page.getByRole('switch').first().waitFor();
    await button(page, name).click();
    await expect.poll(() => page.getByRole('switch').count()).toBe(0);
  };

  for (const mode of ['opt-in', 'notice', 'opt-out'] as const) {
    it(`${mode}: what is sent equals the rule`, async () => {
      const seen: Record<string, Sent> = {};
      for (const scenario of Object.keys(rule[mode]) as Scenario[]) {
        const server = servers()[mode];
        const context = await newContext({
          gpc: scenario === 'GPC (navigator)',
          ...(scenario === 'GPC (Sec-GPC header)' && { extraHTTPHeaders: { 'Sec-GPC': '1' } }),
        });
        const { page, sent } = await visit(server, '/b/page', context);
        await configured(page);
        if (scenario === 'accept' || scenario === 'withdraw') await choose(page, 'Accept all');
        if (scenario === 'reject') await choose(page, 'Reject all');
        if (scenario === 'withdraw') await page.evaluate(() => (window as unknown as Win).ashiato.consent.withdraw());
        // what the banner records has been recorded and answered; then one event, and every request seen
        const records = scenario === 'withdraw' ? 2 : scenario === 'accept' || scenario === 'reject' || (mode === 'opt-out' && scenario.startsWith('GPC')) ? 1 : 0;
        await expect.poll(async () => (await receipts(server)).length).toBe(records);
        if (records) await expect.poll(async () => ((await state(page)) as { consentId?: string }).consentId).toMatch(cookieIdPattern);
        await track(page, 'probe');
        await settled(page);
        const probe = sent.filter((e) => e.payload.n === 'probe').map((e) => e.payload);
        seen[scenario] = probe.length === 0 ? 'nothing' : probe[0]!.c === 1 ? 'with consent' : 'cookieless';
        // never an id without consent; GPC by navigator says g:1
        if (seen[scenario] !== 'with consent') expect(probe.every((p) => !('v' in p) && !('c' in p)), scenario).toBe(true);
        if (scenario === 'GPC (navigator)') expect(probe.every((p) => p.g === 1)).toBe(true);
        if (scenario !== 'accept') expect(await cookie(context, 'ashiato_id'), scenario).toBeUndefined();
        if (scenario.startsWith('GPC')) {
          // tags stay blocked and Consent Mode denied, whether GPC came from navigator or only from the header
          expect(await ran(page), scenario).toBeUndefined();
          expect((await gcm(page)).filter((a) => a[0] === 'consent').at(-1), scenario).toEqual(['consent', 'update', denied]);
        }
        await context.close();
        await Promise.all([server.db.deleteFrom('events').execute(), server.db.deleteFrom('consent_receipts').execute()]);
      }
      expect(seen).toEqual(rule[mode]);
    });
  }
});

describe('focus after a choice, and target sizes', () => {
  const focusedText = (page: Page) =>
    page.evaluate(() => {
      const a = document.activeElement;
      return a?.shadowRoot ? `banner:${a.shadowRoot.activeElement?.textContent}` : a?.id || a?.tagName;
    });

  it('returns to the page’s settings link when the banner opened by itself, and to the control that opened the settings', async () => {
    const { page } = await visit(optIn);
    await dialog(page).waitFor();
    await button(page, 'Accept all').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog(page).count()).toBe(0);
    expect(await focusedText(page)).toBe('settings'); // the page's Cookie settings link, not <body>

    await page.focus('#own');
    await page.evaluate(() => (window as unknown as Win).ashiato.consent.open());
    await button(page, 'Save choices').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog(page).count()).toBe(0);
    expect(await focusedText(page)).toBe('own');
  });

  it('falls back to the corner button on a page without a settings link', async () => {
    const { page } = await visit(optIn, '/b/nolink');
    await dialog(page).waitFor();
    await button(page, 'Reject all').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedText(page)).toBe('banner:Cookie settings');
  });

  it('makes every control at least 44 × 44 px: buttons, the language switch, ×, each switch’s label, the corner button', async () => {
    const { page } = await visit(optIn, '/b/nolink');
    await dialog(page).waitFor();
    const sizes = () =>
      page.evaluate(() =>
        [...document.querySelector('ashiato-consent')!.shadowRoot!.querySelectorAll('button, label')].map((el) => {
          const r = el.getBoundingClientRect();
          return { control: el.textContent, small: r.width < 44 || r.height < 44 };
        }),
      );
    const banner = await sizes();
    await button(page, 'Choose').click();
    const panel = await sizes();
    expect(panel.map((c) => c.control)).toEqual(expect.arrayContaining(['日本語', '×', 'Strictly necessary', 'Site analytics', 'Save choices']));
    await button(page, 'Reject all').click();
    const corner = await sizes();
    expect(corner.map((c) => c.control)).toEqual(['Cookie settings']);
    expect([...banner, ...panel, ...corner].filter((c) => c.small)).toEqual([]);
  });
});

describe('the visitor’s own data, one click away', () => {
  it('links "Your data" from the banner and the settings, with this browser’s ids in the fragment', async () => {
    const { context, page, sent, answered } = await visit(optIn);
    await dialog(page).waitFor();
    expect(await dialog(page).getByRole('link', { name: 'Your data' }).count()).toBe(1);
    await button(page, 'Accept all').click();
    const consentId = (await consentCookieOf(context, ALL)).value.split('~')[0]!;
    await track(page, 'With consent');
    await answered(1);
    await expect.poll(async () => (await cookie(context, 'ashiato_id'))?.value).toBe(sent[0]!.answer!.v);
    await context.route((url) => url.pathname === '/privacy/my-data', (route) => route.fulfill({ contentType: 'text/html', body: '<p>my data</p>' }));
    await page.click('#settings');
    const opened = context.waitForEvent('page');
    await dialog(page).getByRole('link', { name: 'Your data' }).click();
    const tab = await opened;
    expect(new URL(tab.url()).pathname).toBe('/privacy/my-data');
    expect(new URL(tab.url()).hash).toBe(`#v=${sent[0]!.answer!.v}&c=${consentId}`);
  });

  it('is in the demo site’s footer, completed with the ids when followed', async () => {
    const { context, page } = await visit(notice, '/demo/');
    // a blank page in its place: the real one reads the fragment, then takes it out of the address
    await context.route((url) => url.pathname === '/privacy/my-data', (route) => route.fulfill({ contentType: 'text/html', body: '<p>my data</p>' }));
    await dialog(page).waitFor();
    await button(page, 'Close').click();
    const consentId = (await consentCookieOf(context, 'necessary+analytics')).value.split('~')[0]!;
    await page.click('footer a[data-ashiato-my-data]');
    await page.waitForURL((url) => url.pathname === '/privacy/my-data');
    expect(new URL(page.url()).hash).toBe(`#c=${consentId}`);
  });
});
