/**
 * A visitor's own data, in a real browser (Debian's chromium via playwright-core) against the real server on
 * 127.0.0.1: they browse fixture pages with the banner and the tracker in notice mode (so they get a cookie
 * id), follow the site's "Your data" link — which hands their ids to /privacy/my-data in the #fragment —
 * see what is held, download it as JSON and CSV, stop its use, withdraw, and delete it; afterwards no
 * column of any table holds their cookie id and their consent receipts are redacted.
 */
import { readFile } from 'node:fs/promises';
import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyReceiptChain } from '../../server/consent/verify.ts';
import type { AppEnv } from '../../server/env.ts';
import { fixedGeo } from '../../server/http/geo.ts';
import { createUaSummarizer } from '../../server/http/ua.ts';
import { cookieIdPattern, type EventAccepted } from '../../server/ingest/wire.ts';
import { loadSuppressions, myDataRoutes, type SuppressionList } from '../../server/privacy/index.ts';
import type { MyDataExport } from '../../server/privacy/visitor-export.ts';
import { createRuntime, type Runtime } from '../../server/runtime.ts';
import { upsertSite } from '../../server/store/sites.ts';
import { desktopChromeUa } from '../helpers/app.ts';
import { ingestSuppresses, tablesHolding } from '../server/privacy/helpers.ts';

/**
 * The site's "Your data" link. The banner does this for `a[data-ashiato-my-data]` (the lines proposed for
 * tracker/banner/index.ts); this stand-in does the same, so the test runs before and after they land.
 */
const handOver = `<script>
addEventListener('click', function (e) {
  var a = e.target.closest && e.target.closest('a[data-ashiato-my-data]');
  if (!a) return;
  var v = (document.cookie.match(/(^|; )ashiato_id=([^;]*)/) || [])[2];
  var c = ((document.cookie.match(/(^|; )ashiato_consent=([^;]*)/) || [])[2] || '').split('~')[0];
  var f = [v && 'v=' + v, c && 'c=' + c].filter(Boolean).join('&');
  a.href = new URL('/privacy/my-data?lang=en' + (f ? '#' + f : ''), a.href).href;
});
</script>`;

const fixture = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<script src="/ashiato-consent.js" data-site="localhost"></script>
<script defer src="/ashiato.js" data-site="localhost" data-local></script>
${handOver}
</head><body><main><h1>${title}</h1>${body}</main>
<footer><a href="#" data-ashiato-consent-open>Cookie settings</a> · <a id="your-data" href="/privacy/my-data" data-ashiato-my-data>Your data</a></footer>
</body></html>`;

const pages: Record<string, string> = {
  '/site/': fixture('Harunire Giken', '<p>Sensors for greenhouses.</p><a id="products" href="/site/products?utm_source=newsletter">Products</a>'),
  '/site/products': fixture('Products', '<p>Our catalogue.</p><a id="contact" href="/site/contact">Contact</a>'),
  '/site/contact': fixture('Contact', '<p>Write to us.</p>'),
};

interface Server {
  url: string;
  runtime: Runtime;
  suppressions: SuppressionList;
  close(): Promise<void>;
}

/** The app on a socket, notice mode for 127.0.0.1 (JP); server/privacy mounted as app.ts will mount it. */
async function start(): Promise<Server> {
  const runtime = await createRuntime({ geo: fixedGeo({ '127.0.0.1': 'JP', '::1': 'JP' }), jobs: false, db: { kind: 'sqlite', file: ':memory:' } });
  await upsertSite(runtime.store.db, { id: 'localhost', hosts: ['localhost', '127.0.0.1'] }, Date.now());
  const builtIn = (runtime.deps as { suppressions?: SuppressionList }).suppressions;
  const suppressions = builtIn ?? (await loadSuppressions(runtime.store.db));
  const outer = new Hono<AppEnv>();
  for (const [path, html] of Object.entries(pages)) outer.get(path, (c) => c.html(html));
  if (!builtIn) {
    outer.route(
      '/',
      myDataRoutes({
        db: runtime.store.db,
        policy: runtime.deps.policy,
        clock: Date.now,
        log: runtime.deps.log,
        suppressions,
        sessions: runtime.deps.sessions,
        geo: runtime.deps.geo,
        clientIp: (c) => getConnInfo(c).remote.address ?? null,
        summarizeUa: createUaSummarizer(),
      }),
    );
  }
  outer.route('/', runtime.app as unknown as Hono<AppEnv>);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: outer.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    runtime,
    suppressions,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await runtime.close();
    },
  };
}

let browser: Browser;
let server: Server;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [browser, server] = await Promise.all([
    launchChromium(),
    start(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

const db = () => server.runtime.store.db;

/** A visitor in a fresh browser, with every tracker answer and every page error or CSP report collected. */
async function visitor() {
  const context = await browser.newContext({ userAgent: desktopChromeUa, acceptDownloads: true });
  contexts.push(context);
  await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.fulfill({ status: 204 }));
  const page = await context.newPage();
  const answers: (EventAccepted | { ok: true; dropped: string })[] = [];
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('response', (res) => {
    if (res.url().endsWith('/api/event')) void res.json().then((a) => answers.push(a as EventAccepted));
  });
  return { context, page, answers, problems };
}

const cookie = async (context: BrowserContext, name: string) => (await context.cookies()).find((c) => c.name === name)?.value;

/**
 * Browses the fixture site: the notice dismissed (a consent receipt), then three page views with the cookie id
 * (the first view, before the notice was closed, counts without one).
 */
async function browseSite(page: Page, context: BrowserContext, answers: unknown[]) {
  await page.goto(`${server.url}/site/`);
  await page.getByRole('dialog').waitFor();
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await expect.poll(async () => (await cookie(context, 'ashiato_consent'))?.split('~')).toEqual([expect.stringMatching(cookieIdPattern), expect.any(String), 'necessary+analytics']);
  await page.goto(`${server.url}/site/`);
  await expect.poll(async () => cookieIdPattern.test((await cookie(context, 'ashiato_id')) ?? '')).toBe(true);
  await page.click('#products');
  await page.waitForURL('**/site/products?utm_source=newsletter');
  await page.click('#contact');
  await page.waitForURL('**/site/contact');
  await expect.poll(() => answers.length).toBe(4);
  const v = (await cookie(context, 'ashiato_id'))!;
  const c = (await cookie(context, 'ashiato_consent'))!.split('~')[0]!;
  expect(v).toMatch(cookieIdPattern);
  return { v, c };
}

/** Follows the site's "Your data" link and waits for the page to show what is held. */
async function openMyData(page: Page) {
  await page.click('#your-data');
  await page.waitForURL(/\/privacy\/my-data\?lang=en$/);
  await page.locator('#md-held').waitFor();
}

async function download(page: Page, format: 'json' | 'csv') {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`button[data-md="${format}"]`)]);
  return { name: file.suggestedFilename(), text: await readFile((await file.path())!, 'utf8') };
}

describe('/privacy/my-data in a browser', () => {
  it('shows, downloads and deletes a visitor’s data; afterwards no table holds their cookie id', async () => {
    const { context, page, answers, problems } = await visitor();
    const { v, c } = await browseSite(page, context, answers);
    const held = await db().selectFrom('events').select('path').where('visitor_id', '=', v).execute();
    expect(held.map((e) => e.path)).toEqual(['/site/', '/site/products', '/site/contact']);

    await openMyData(page);
    // the ids left the address bar at once, and the language switch carries them on in the fragment
    expect(page.url()).not.toContain('#');
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect(await page.locator('a[hreflang="ja"]').getAttribute('href')).toBe(`${server.url}/privacy/my-data?lang=ja#v=${v}&c=${c}`);
    await expect.poll(() => page.locator('#md-summary').textContent()).toBe('We hold 3 records of pages viewed and actions taken (in 1 visits) and 1 consent records.');
    expect(await page.locator('#md-events-rows tr').count()).toBe(3);
    expect(await page.locator('#md-events-rows tr').first().locator('td').first().textContent()).toBe('Page view');
    expect(await page.locator('#md-events-rows tr').allInnerTexts()).toEqual([
      expect.stringContaining('/site/contact'),
      expect.stringContaining('/site/products'),
      expect.stringContaining('/site/'),
    ]);
    expect(await page.locator('#md-receipts-rows tr td').nth(0).textContent()).toBe('Chose categories');
    expect(await page.locator('#md-status').isHidden()).toBe(true);

    const json = await download(page, 'json');
    expect(json.name).toMatch(/^my-data-\d{8}\.json$/);
    const file = JSON.parse(json.text) as MyDataExport;
    expect(file.keys).toEqual({ cookieIds: [v], consentIds: [c] });
    expect(file.events.map((e) => [e.path, e.utmSource, e.ipTruncated])).toEqual([
      ['/site/', null, '127.0.0.0'],
      ['/site/products', 'newsletter', '127.0.0.0'],
      ['/site/contact', null, '127.0.0.0'],
    ]);
    expect(file.sessions).toHaveLength(1);
    expect(file.consentReceipts).toMatchObject([{ consentId: c, action: 'custom', accepted: ['necessary', 'analytics'] }]);

    const csv = await download(page, 'csv');
    expect(csv.name).toMatch(/^my-data-\d{8}\.csv$/);
    const lines = csv.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + 3 + 1 + 1);
    const header = lines[0]!.split(',');
    const col = (line: string, name: string) => line.split(',')[header.indexOf(name)];
    expect(lines.slice(1).map((l) => [col(l, 'record'), col(l, 'path')])).toEqual([
      ['event', '/site/'],
      ['event', '/site/products'],
      ['event', '/site/contact'],
      ['visit', '/site/'],
      ['consent_receipt', '/site/'],
    ]);

    // delete: the button waits for the confirmation
    const remove = page.locator('button[data-md="delete"]');
    expect(await remove.isDisabled()).toBe(true);
    await page.check('#md-confirm');
    await remove.click();
    await expect.poll(() => page.locator('#md-status').textContent()).toBe(
      'Deleted: 3 records of pages and actions, 1 visits; the content of 1 consent records erased.',
    );
    await expect.poll(() => page.locator('#md-summary').textContent()).toBe('We hold no data about this browser.');

    expect(await tablesHolding(db(), v)).toEqual([]);
    expect(await tablesHolding(db(), c)).toEqual([]);
    const receipts = await db().selectFrom('consent_receipts').selectAll().execute();
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({ consent_id: null, action: null, accepted: null, path: null, ip_trunc: null, browser: null });
    expect(receipts[0]!.redacted_at).not.toBeNull();
    expect(await verifyReceiptChain(db())).toMatchObject({ ok: true, redacted: 1 });
    expect(await db().selectFrom('deletion_log').select(['source', 'counts']).execute()).toEqual([
      { source: 'visitor', counts: JSON.stringify({ events: 3, sessions: 1, consent_receipts: 1 }) },
    ]);
    expect(problems).toEqual([]);
  });

  it('stops the use of the cookie id and records a withdrawal', async () => {
    const { context, page, answers, problems } = await visitor();
    const { v, c } = await browseSite(page, context, answers);
    await openMyData(page);
    await page.click('button[data-md="suspend"]');
    await expect.poll(() => page.locator('#md-status').textContent()).toBe("The use of this browser's identifier is stopped.");
    await expect.poll(() => page.locator('#md-suppressed').isVisible()).toBe(true);
    expect(server.suppressions.has(v)).toBe(true);

    await page.click('button[data-md="withdraw"]');
    await expect.poll(() => page.locator('#md-status').textContent()).toBe("Your withdrawal is recorded, and the use of this browser's identifier is stopped.");
    const last = await db().selectFrom('consent_receipts').selectAll().where('consent_id', '=', c).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(last).toMatchObject({ action: 'withdraw', accepted: '["necessary"]', language: 'en', path: '/privacy/my-data', mode: 'notice', ip_trunc: '127.0.0.0' });
    expect(problems).toEqual([]);
  });

  it.skipIf(!ingestSuppresses)('after a suspension, ingest drops the browser’s next event', async () => {
    const { context, page, answers } = await visitor();
    const { v } = await browseSite(page, context, answers);
    await openMyData(page);
    await page.click('button[data-md="suspend"]');
    await expect.poll(() => page.locator('#md-suppressed').isVisible()).toBe(true);
    const before = await db().selectFrom('events').select('id').where('visitor_id', '=', v).execute();
    await page.goto(`${server.url}/site/products`);
    await expect.poll(() => answers.length).toBe(5);
    expect(answers[4]).toEqual({ ok: true, dropped: 'suppressed' });
    expect(await db().selectFrom('events').select('id').where('visitor_id', '=', v).execute()).toEqual(before);
  });

  it('without ids, explains how the page finds data and why cookieless data cannot be shown', async () => {
    const { page, problems } = await visitor();
    await page.goto(`${server.url}/privacy/my-data?lang=ja`);
    expect(await page.locator('#md-held').isHidden()).toBe(true);
    expect(await page.locator('#md-delete').isHidden()).toBe(true);
    expect(await page.locator('#md-how').textContent()).toContain('48時間後に削除する鍵');
    expect(await page.title()).toMatch(/^あなたのデータ \| /);
    // a fragment that is not an id is ignored (and still removed)
    await page.goto(`${server.url}/privacy/my-data?lang=en#v=../../etc&c=%3Cscript%3E`);
    await page.waitForFunction(() => location.hash === '');
    expect(await page.locator('#md-held').isHidden()).toBe(true);
    expect(problems).toEqual([]);
  });
});
