/**
 * The tracker in a real browser (Debian's chromium via playwright-core) against the real server on 127.0.0.1:
 * what the page sent, what the server answered, and what landed in the events table.
 * One browser for the file, a fresh context (cookies, storage) per test. Nothing leaves 127.0.0.1: every other
 * URL is answered 204 by the context's router (a 204 navigation leaves the page where it is).
 * Links and tagged elements are the add-on's (ashiato.links.js), which the core loads for data-outbound,
 * data-downloads and data-events; page.goto waits for the load event, which waits for that inserted script.
 */
import type { Hono } from 'hono';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cookieIdPattern, type EventAccepted, type EventPayload } from '../../server/ingest/wire.ts';
import { trackerRoutes } from '../../server/tracker/routes.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const fixture = (attrs = '') => `<!doctype html>
<html><head><meta charset="utf-8"><title>Fixture page</title>
<script>window.ashiato=window.ashiato||function(){(ashiato.q=ashiato.q||[]).push(arguments)};ashiato('Queued',{props:{when:'before load'}})</script>
<script defer src="/ashiato.js" data-site="localhost" data-local ${attrs}></script>
</head><body>
<a id="out" href="https://outbound.example/landing?from=fixture">Partner site</a>
<a id="pdf" href="/files/report.pdf">Annual report (PDF)</a>
<a id="inside" href="/t/elsewhere">Inside link</a>
<button id="tagged" data-ashiato-event="Signup" data-ashiato-prop-plan="pro"><span id="inner">Sign up</span></button>
<form id="form" data-ashiato-event="Contact" data-ashiato-prop-topic="sales" onsubmit="event.preventDefault()">
<button id="send">Send</button></form>
</body></html>`;

const pages = {
  '/t/page': fixture('data-outbound data-downloads data-title'),
  '/t/all': fixture('data-outbound data-events'),
  '/t/elsewhere': '<!doctype html><title>No tracker here</title><p>Another page of the site, without the tracker.</p>',
  '/t/bare': fixture(),
  '/t/events': fixture('data-events'),
  '/t/hash': fixture('data-hash'),
  '/t/missing': fixture('data-404'),
};

interface Exchange {
  payload: EventPayload;
  contentType: string | undefined;
  answer?: EventAccepted;
}

let browser: Browser;
let notice: TestServer;
let optIn: TestServer;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // the tracker's routes (with the demo site) as server/app.ts mounts them, and a download that answers 204
  const mount = { pages, routes: (app: Hono) => void app.get('/files/report.pdf', (c) => c.body(null, 204)).route('/', trackerRoutes()) };
  [browser, notice, optIn] = await Promise.all([
    launchChromium(),
    startTestServer({ consentMode: 'notice', ...mount }),
    startTestServer({ consentMode: 'opt-in', ...mount }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([notice?.close(), optIn?.close()]);
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  await Promise.all([notice, optIn].map((s) => s.db.deleteFrom('events').execute()));
});

/** A fresh visitor on `path`: returns the page and every event exchange it has had with the server, in order. */
async function visit(server: TestServer, path: string, options: { gpc?: boolean; consent?: string } = {}) {
  const context = await browser.newContext({ userAgent: UA });
  contexts.push(context);
  // a choice the banner made on an earlier page: `<consentId>~<revision>~<categories>`
  if (options.consent) await context.addCookies([{ name: 'ashiato_consent', value: `k3Jz0consentid~a1b2c3d4~${options.consent}`, url: server.url }]);
  await context.route((url) => url.origin !== server.url, (route) => route.fulfill({ status: 204 }));
  if (options.gpc) {
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  }
  const page = await context.newPage();
  const sent: Exchange[] = [];
  /** every URL the page requested */
  const requested: string[] = [];
  page.on('request', (req) => {
    requested.push(req.url());
    if (!req.url().endsWith('/api/event')) return;
    const exchange: Exchange = { payload: JSON.parse(req.postData()!), contentType: req.headers()['content-type'] };
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
  /** waits until `n` events were sent and answered */
  const answered = async (n: number) => {
    await expect.poll(() => sent.filter((e) => e.answer).length).toBe(n);
    return sent;
  };
  return { context, page, sent, requested, answered };
}

const rows = (server: TestServer) => server.db.selectFrom('events').selectAll().orderBy('id').execute();
const idCookie = async (context: BrowserContext) => (await context.cookies()).find((c) => c.name === 'ashiato_id');
const quiet = (page: Page) => page.waitForTimeout(300);

describe('page views', () => {
  it('sends one on load and stores it, with the queued event after it', async () => {
    const { sent, answered } = await visit(notice, '/t/page?ref=x');
    await answered(2);
    expect(sent[0]!.contentType).toBe('text/plain;charset=UTF-8');
    // no t (no n: a page view), no l (Accept-Language), no c (no choice made)
    expect(sent[0]!.payload).toEqual({
      s: 'localhost',
      u: `${notice.url}/t/page?ref=x`,
      ti: 'Fixture page',
      w: 1280,
    });
    expect(sent[0]!.answer).toMatchObject({ ok: true, m: 'notice' });
    // the queued event went at once, not after that answer: without a "yes" it carries no id anyway
    expect(sent[1]!.payload).toEqual({
      n: 'Queued',
      p: { when: 'before load' },
      s: 'localhost',
      u: `${notice.url}/t/page?ref=x`,
      ti: 'Fixture page',
      w: 1280,
    });

    // the language comes from the request's Accept-Language (stored lower-cased)
    const stored = await rows(notice);
    expect(stored.map((r) => [r.type, r.name, r.path, r.props, r.title, r.language])).toEqual([
      ['pageview', null, '/t/page', null, 'Fixture page', 'en-us'],
      ['event', 'Queued', '/t/page', '{"when":"before load"}', 'Fixture page', 'en-us'],
    ]);
  });

  it('counts SPA navigations once each and back/forward, without a referrer', async () => {
    const { page, sent, answered } = await visit(notice, '/t/bare');
    await answered(2);
    await page.evaluate(() => {
      history.pushState({}, '', '/t/bare/step-2');
      history.replaceState({}, '', '/t/bare/step-2'); // same page
      history.pushState({}, '', '/t/bare/step-2#details'); // only the fragment
      history.pushState({}, '', '/t/bare/step-3');
    });
    await answered(4);
    await page.goBack(); // popstate → step-2#details: a page view (the last one was step-3)
    await answered(5);
    await page.goBack(); // popstate → step-2: the same page as step-2#details, so not again
    await quiet(page);
    const views = sent.filter((e) => e.payload.n === undefined).map((e) => new URL(e.payload.u).pathname + new URL(e.payload.u).hash);
    expect(views).toEqual(['/t/bare', '/t/bare/step-2', '/t/bare/step-3', '/t/bare/step-2#details']);
    expect(sent.filter((e) => e.payload.n === undefined).slice(1).every((e) => e.payload.r === undefined)).toBe(true);
    expect((await rows(notice)).filter((r) => r.type === 'pageview').map((r) => r.path)).toEqual([
      '/t/bare',
      '/t/bare/step-2',
      '/t/bare/step-3',
      '/t/bare/step-2',
    ]);
  });

  it('follows the #fragment with data-hash and sends h:1', async () => {
    const { page, sent, answered } = await visit(notice, '/t/hash#/');
    await answered(2);
    await page.evaluate(() => (location.hash = '#/orders'));
    await answered(3);
    await page.evaluate(() => (location.hash = '#/orders')); // no change, no event
    await page.evaluate(() => history.pushState({}, '', '#/orders/7'));
    await answered(4);
    expect(sent.filter((e) => e.payload.n === undefined).map((e) => [new URL(e.payload.u).hash, e.payload.h])).toEqual([
      ['#/', 1],
      ['#/orders', 1],
      ['#/orders/7', 1],
    ]);
    expect((await rows(notice)).filter((r) => r.type === 'pageview').map((r) => r.path)).toEqual([
      '/t/hash#/',
      '/t/hash#/orders',
      '/t/hash#/orders/7',
    ]);
  });

  it('sends the 404 event with data-404, and the server adds the path', async () => {
    const { sent, answered } = await visit(notice, '/t/missing?q=1');
    await answered(3);
    expect(sent.map((e) => [e.payload.n, e.payload.p])).toEqual([
      [undefined, undefined],
      ['404', undefined],
      ['Queued', { when: 'before load' }],
    ]);
    expect((await rows(notice)).map((r) => [r.type, r.name, r.props])).toEqual([
      ['pageview', null, null],
      ['event', '404', '{"path":"/t/missing"}'],
      ['event', 'Queued', '{"when":"before load"}'],
    ]);
  });
});

describe('custom events', () => {
  it('sends ashiato(name, {props}) and stores the props', async () => {
    const { page, sent, answered } = await visit(notice, '/t/bare');
    await answered(2);
    await page.evaluate(() => (window as unknown as { ashiato: (n: string, o: object) => void }).ashiato('Signup', { props: { plan: 'pro', seats: 3, trial: true } }));
    await answered(3);
    expect(sent[2]!.payload).toMatchObject({ n: 'Signup', p: { plan: 'pro', seats: 3, trial: true } });
    const stored = await rows(notice);
    expect(stored[2]).toMatchObject({ type: 'event', name: 'Signup', path: '/t/bare' });
    expect(JSON.parse(stored[2]!.props!)).toEqual({ plan: 'pro', seats: 3, trial: true });
  });

  it('fires tagged elements on click and tagged forms on submit, with data-events', async () => {
    const { page, sent, requested, answered } = await visit(notice, '/t/events');
    expect(requested.filter((url) => url.endsWith('.js'))).toEqual([`${notice.url}/ashiato.js`, `${notice.url}/ashiato.links.js`]);
    await answered(2);
    await page.click('#inner');
    await page.click('#send');
    await answered(4);
    expect(sent.slice(2).map((e) => [e.payload.n, e.payload.p])).toEqual([
      ['Signup', { plan: 'pro' }],
      ['Contact', { topic: 'sales' }],
    ]);
    expect((await rows(notice)).slice(2).map((r) => [r.name, r.props])).toEqual([
      ['Signup', '{"plan":"pro"}'],
      ['Contact', '{"topic":"sales"}'],
    ]);
  });
});

describe('links', () => {
  it('sends outbound clicks (left and middle) and still navigates', async () => {
    const { context, page, sent, answered } = await visit(notice, '/t/page');
    await answered(2);
    const navigation = page.waitForRequest('https://outbound.example/landing?from=fixture');
    await page.click('#out');
    await navigation; // the link was followed (answered 204, so the page stays)
    await answered(3);
    const newTab = context.waitForEvent('page');
    await page.click('#out', { button: 'middle' });
    await newTab;
    await answered(4);
    await page.click('#out', { button: 'right' });
    await page.click('#inside'); // a link on this site is nothing (and leaves for a page without the tracker)
    await quiet(page);
    expect(sent.slice(2).map((e) => [e.payload.n, e.payload.p])).toEqual([
      ['Outbound Link: Click', { url: 'https://outbound.example/landing?from=fixture' }],
      ['Outbound Link: Click', { url: 'https://outbound.example/landing?from=fixture' }],
    ]);
    expect((await rows(notice)).slice(2).map((r) => [r.name, r.props])).toEqual([
      ['Outbound Link: Click', '{"url":"https://outbound.example/landing?from=fixture"}'],
      ['Outbound Link: Click', '{"url":"https://outbound.example/landing?from=fixture"}'],
    ]);
  });

  it('sends file downloads', async () => {
    const { page, sent, answered } = await visit(notice, '/t/page');
    await answered(2);
    const navigation = page.waitForRequest(`${notice.url}/files/report.pdf`);
    await page.click('#pdf');
    await navigation;
    await answered(3);
    expect(sent[2]!.payload).toMatchObject({ n: 'File Download', p: { url: `${notice.url}/files/report.pdf` } });
    expect((await rows(notice))[2]).toMatchObject({ name: 'File Download', props: JSON.stringify({ url: `${notice.url}/files/report.pdf` }) });
  });

  it('sends nothing for links without data-outbound / data-downloads (the add-on loaded for data-events)', async () => {
    const { page, sent, requested, answered } = await visit(notice, '/t/events');
    await answered(2);
    expect(requested).toContain(`${notice.url}/ashiato.links.js`);
    await page.click('#out');
    await page.click('#pdf');
    await quiet(page);
    expect(sent).toHaveLength(2);
  });

  it('never requests ashiato.links.js for a tag with none of data-outbound, data-downloads, data-events', async () => {
    const { page, sent, requested, answered } = await visit(notice, '/t/bare');
    await answered(2);
    await page.click('#inner');
    await page.click('#send');
    await page.click('#pdf');
    await page.click('#out');
    await quiet(page);
    expect(sent).toHaveLength(2);
    expect(requested.filter((url) => url.endsWith('.js'))).toEqual([`${notice.url}/ashiato.js`]);
    expect(requested.some((url) => url.includes('ashiato.links'))).toBe(false);
  });
});

describe('privacy switches', () => {
  it('keeps the server’s cookie id after a "yes" and sends it back', async () => {
    const { context, page, sent, answered } = await visit(notice, '/t/bare', { consent: 'necessary+analytics' });
    await answered(2);
    const cookie = await idCookie(context);
    expect(cookie?.value).toMatch(cookieIdPattern);
    expect(cookie).toMatchObject({ path: '/', sameSite: 'Lax', secure: false });
    expect(cookie!.expires * 1000 - Date.now()).toBeGreaterThan(179 * 86_400_000);
    expect(sent.map((e) => e.payload.c)).toEqual([1, 1]);
    expect(sent.some((e) => e.answer!.v === cookie!.value && e.answer!.d === 180 * 86_400)).toBe(true); // seconds, the cookie's max-age
    await page.evaluate(() => (window as unknown as { ashiato: (n: string) => void }).ashiato('Again'));
    await answered(3);
    expect(sent[2]!.payload.v).toBe(cookie!.value);
    expect((await rows(notice)).map((r) => r.visitor_kind)).toEqual(['cookie', 'cookie', 'cookie']);
    expect((await rows(notice))[2]!.visitor_id).toBe(cookie!.value);
  });

  it('keeps no cookie without a "yes" (notice mode, no banner choice), whatever the server answers', async () => {
    const { context, sent, answered } = await visit(notice, '/t/bare');
    await answered(2);
    expect(sent.map((e) => ['c' in e.payload, 'v' in e.payload])).toEqual([
      [false, false],
      [false, false],
    ]);
    expect(await idCookie(context)).toBeUndefined();
  });

  it('GPC: sends g:1, gets no cookie, and the page view still counts', async () => {
    const { context, sent, answered } = await visit(notice, '/t/bare', { gpc: true });
    await answered(2);
    expect(sent[0]!.payload).toMatchObject({ g: 1 });
    expect(sent[0]!.payload).not.toHaveProperty('n');
    expect(sent[0]!.answer).not.toHaveProperty('v');
    expect(await idCookie(context)).toBeUndefined();
    expect((await rows(notice)).map((r) => [r.type, r.visitor_kind])).toEqual([
      ['pageview', 'hash'],
      ['event', 'hash'],
    ]);
  });

  it('opt-out: deletes the id cookie, and nothing is sent until opting in again', async () => {
    const { context, page, sent, answered } = await visit(notice, '/t/bare', { consent: 'necessary+analytics' });
    await answered(2);
    await expect.poll(async () => (await idCookie(context))?.value).toMatch(cookieIdPattern);
    await page.evaluate(() => (window as unknown as { ashiato: { optOut(): void } }).ashiato.optOut());
    expect(await page.evaluate(() => localStorage.getItem('ashiato_ignore'))).toBe('1');
    expect(await idCookie(context)).toBeUndefined();
    await page.reload();
    await page.evaluate(() => (window as unknown as { ashiato: (n: string) => void }).ashiato('Ignored'));
    await quiet(page);
    expect(sent).toHaveLength(2);
    await page.evaluate(() => (window as unknown as { ashiato: { optIn(): void } }).ashiato.optIn());
    await page.evaluate(() => (window as unknown as { ashiato: (n: string) => void }).ashiato('Counted'));
    await answered(3);
    expect((await rows(notice)).map((r) => r.name)).toEqual([null, 'Queued', 'Counted']);
  });
});

describe('consent (opt-in region)', () => {
  const consent = (page: Page, categories: string) =>
    page.evaluate((value) => {
      document.cookie = `ashiato_consent=${value};path=/;max-age=3600;SameSite=Lax`;
      dispatchEvent(new Event('ashiato:consent'));
    }, `k3Jz0consentid~a1b2c3d4~${categories}`);
  const track = (page: Page, name: string) =>
    page.evaluate((n) => (window as unknown as { ashiato: (n: string) => void }).ashiato(n), name);

  it('writes no cookie before consent', async () => {
    const { context, page, sent, answered } = await visit(optIn, '/t/bare');
    await answered(2);
    await page.reload();
    await answered(4);
    expect(sent.map((e) => 'c' in e.payload)).toEqual([false, false, false, false]); // no choice yet
    expect(sent.every((e) => e.answer?.m === 'opt-in' && !('v' in e.answer))).toBe(true);
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(new Set((await rows(optIn)).map((r) => r.visitor_kind))).toEqual(new Set(['hash']));
  });

  it('keeps a cookie id after consent, and drops it at once on withdrawal', async () => {
    const { context, page, sent, answered } = await visit(optIn, '/t/bare');
    await answered(2);
    await consent(page, 'necessary+analytics');
    expect(await idCookie(context)).toBeUndefined(); // a choice alone sends nothing
    await track(page, 'After consent');
    await answered(3);
    expect(sent[2]!.payload.c).toBe(1);
    const cookie = await idCookie(context);
    expect(cookie?.value).toMatch(cookieIdPattern);
    await track(page, 'Again');
    await answered(4);
    expect(sent[3]!.payload.v).toBe(cookie!.value);

    await consent(page, 'necessary');
    expect(await idCookie(context)).toBeUndefined(); // gone before anything is sent
    await track(page, 'After withdrawal'); // a withdrawal stops sending
    await track(page, 'Again after withdrawal');
    await quiet(page);
    expect(sent).toHaveLength(4);
    expect(await idCookie(context)).toBeUndefined();

    // the choices came during one visit: it stays one visit under the cookieless hash it began with (the
    // cookie id counts from the next visit on), and after the withdrawal nothing more is sent
    const stored = await rows(optIn);
    expect(stored.map((r) => [r.name, r.visitor_kind])).toEqual([
      [null, 'hash'],
      ['Queued', 'hash'],
      ['After consent', 'hash'],
      ['Again', 'hash'],
    ]);
    expect(new Set(stored.map((r) => r.session_id)).size).toBe(1);
    expect(stored.some((r) => r.visitor_id === cookie!.value)).toBe(false);
  });
});

describe('slow answers', () => {
  /**
   * A server whose answer to the first event waits until the test releases it (the page view of a visitor whose
   * network is slow): every later event is made, and the page left, before that answer comes.
   */
  async function slowFirstAnswer(consentMode: 'notice' | 'opt-in') {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const server = await startTestServer({
      consentMode,
      pages,
      routes: (app: Hono) =>
        void app.use('/api/event', async (_c, next) => {
          if (first) (first = false), await held;
          await next();
        }),
    });
    return { server, release };
  }

  for (const [label, consent] of [
    ['without a choice (cookieless)', undefined],
    ['with consent, before the cookie id has arrived', 'necessary+analytics'],
  ] as const) {
    it(`loses no event made before the first answer and before leaving the page: ${label}`, async () => {
      const { server, release } = await slowFirstAnswer('notice');
      try {
        const { page, sent } = await visit(server, '/t/all', consent ? { consent } : {});
        await expect.poll(() => sent.length).toBe(2); // the page view (unanswered) and the queued event
        await page.click('#inner'); // a data-ashiato-event button
        await page.click('#send'); // a data-ashiato-event form
        const outbound = page.waitForRequest('https://outbound.example/landing?from=fixture');
        await page.click('#out');
        await outbound;
        await page.click('#inside'); // and away, to a page of the site without the tracker
        await page.waitForURL(`${server.url}/t/elsewhere`);
        expect(sent.map((e) => e.payload.n ?? 'pageview')).toEqual(['pageview', 'Queued', 'Signup', 'Contact', 'Outbound Link: Click']);
        expect(sent.every((e) => (consent ? e.payload.c === 1 : !('c' in e.payload)))).toBe(true);
        // no id before any answer; with consent, the id an answer brought goes with the events after it
        expect(sent.slice(0, 2).some((e) => 'v' in e.payload)).toBe(false);
        if (!consent) expect(sent.some((e) => 'v' in e.payload)).toBe(false);
        release();
        await expect.poll(async () => (await rows(server)).map((r) => r.name ?? 'pageview').sort()).toEqual(['Contact', 'Outbound Link: Click', 'Queued', 'Signup', 'pageview']);
      } finally {
        release();
        await server.close();
      }
    });
  }

  /** a page view, the queued event and two more, all sent before the first answer: how many visits they make */
  async function visitsOf(mode: 'notice' | 'opt-in', consent?: string) {
    const { server, release } = await slowFirstAnswer(mode);
    try {
      const { page, sent } = await visit(server, '/t/all', consent ? { consent } : {});
      await expect.poll(() => sent.length).toBe(2);
      await page.click('#inner');
      await page.click('#send');
      release();
      await expect.poll(async () => (await rows(server)).length).toBe(4);
      return new Set((await rows(server)).map((r) => r.session_id)).size;
    } finally {
      release();
      await server.close();
    }
  }

  it('keeps them in one visit: cookieless (the server keys the visit by its daily hash)', async () => {
    expect(await visitsOf('opt-in')).toBe(1);
  });

  // Fails until the server changes (see the report of the `tracker` branch): in the visitor step, an event
  // allowed a cookie that carries no `v` draws a fresh random id, and the session step keys visits by
  // (site, visitor_id), so each event sent before the first answer's id arrives becomes a visitor and a visit.
  it.fails('keeps them in one visit: with consent, before the cookie id has arrived', async () => {
    expect(await visitsOf('notice', 'necessary+analytics')).toBe(1);
  });
});

describe('the demo site', () => {
  it('counts its pushState product pages and its tagged contact form', async () => {
    const { page, sent, answered } = await visit(notice, '/demo/products');
    await answered(1);
    await page.click('a[href="/demo/products/sensor"]');
    await answered(2);
    await page.goto(`${notice.url}/demo/contact`);
    await page.selectOption('#topic', 'support');
    await page.click('button[type=submit]');
    await answered(4);
    expect(sent.map((e) => [e.payload.n ?? new URL(e.payload.u).pathname, e.payload.p])).toEqual([
      ['/demo/products', undefined],
      ['/demo/products/sensor', undefined],
      ['/demo/contact', undefined],
      ['Contact Form: Submit', { topic: 'support' }],
    ]);
    expect(await page.isVisible('#thanks')).toBe(true);
  });
});
