/**
 * The dashboard in a real browser (Debian's chromium via playwright-core) against the real server on
 * 127.0.0.1 with the demo site's four weeks of traffic: sign in, read the numbers, filter, switch language.
 * Screenshots are saved to test-results/ as artifacts (dashboard-overview.png, dashboard-overview-ja.png).
 */
import { mkdirSync } from 'node:fs';
import type { Hono } from 'hono';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium, openPage, type PageOptions } from '../helpers/browser.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatMetric } from '../../dashboard/src/lib/format.ts';
import { addUser } from '../../server/auth/index.ts';
import { dashboardRoutes } from '../../server/dashboard/routes.ts';
import { sitesRoutes } from '../../server/dashboard/sites-routes.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { upsertSite } from '../../server/store/sites.ts';
import type { SummaryReport } from '../../server/stats/queries.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const PASSWORD = 'plum-orchard-44-lantern';
const MARKETER = 'marketer@example.jp';
const NEWCOMER = 'newcomer@example.jp';
const metrics = ['visitors', 'visits', 'pageviews', 'viewsPerVisit', 'bounceRate', 'visitDuration'] as const;

let browser: Browser;
let server: TestServer;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync('test-results', { recursive: true });
  // the dashboard's routes as server/app.ts mounts them; /api/sites needs the database, known only after start
  let sites: ReturnType<typeof sitesRoutes> | undefined;
  const routes = (app: Hono) => {
    app.route('/', dashboardRoutes());
    app.all('/api/sites', (c) => sites!.fetch(c.req.raw));
  };
  [browser, server] = await Promise.all([
    launchChromium(),
    startTestServer({ routes }),
  ]);
  sites = sitesRoutes({ db: server.db, clock: Date.now });
  await seedDemo(server.db, server.runtime.store.dialect, Date.now());
  await server.runtime.deps.events.sync(); // the generated weeks go into DuckDB at once, as a server's start does
  await upsertSite(server.db, { id: 'www.example.org', hosts: ['www.example.org'], timezone: 'Europe/Berlin' }, Date.now());
  await addUser(server.db, { email: MARKETER, role: 'marketer', password: PASSWORD });
  await addUser(server.db, { email: NEWCOMER, role: 'marketer', password: PASSWORD, mustChangePassword: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function open(path = '/', options: PageOptions = {}) {
  const opened = await openPage(browser, server.url, path, { ...options });
  contexts.push(opened.context);
  return opened;
}

async function signIn(page: Page, email = MARKETER, password = PASSWORD) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The API's summary for a query, asked with the page's own session cookie. */
async function summary(page: Page, query: string): Promise<SummaryReport> {
  const res = await page.request.get(`${server.url}/api/stats/localhost/summary?${query}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as SummaryReport;
}

/** The KPI cards' raw values (data-value) and text, once all six have loaded. */
async function kpis(page: Page) {
  await expect.poll(() => page.locator('.kpi-value').count()).toBe(6);
  const out: Record<string, { value: number; text: string }> = {};
  for (const m of metrics) {
    const el = page.locator(`.kpi[data-metric="${m}"] .kpi-value`);
    out[m] = { value: Number(await el.getAttribute('data-value')), text: (await el.textContent())!.trim() };
  }
  return out;
}

/** A full-page screenshot from the top (the sticky header would otherwise be drawn where the page was scrolled to). */
async function screenshot(page: Page, path: string) {
  await page.evaluate(() => scrollTo(0, 0));
  await page.mouse.move(0, 0);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
}

const settled = async (page: Page) => {
  await page.waitForSelector('.chart canvas');
  await expect.poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
  await expect.poll(() => page.locator('.skeleton').count()).toBe(0);
};

describe('signing in', () => {
  it('shows errors inline and returns to the page that was asked for', async () => {
    const { page, errors } = await open('/app/localhost?period=7d');
    await expect.poll(() => page.url()).toContain('/?next=');
    await signIn(page, MARKETER, 'not-the-password-at-all');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('The email address or the password is wrong.');
    await signIn(page);
    await page.waitForURL(`${server.url}/app/localhost?period=7d`);
    await expect.poll(() => page.locator('.range-dates').textContent()).toMatch(/\d{4}/);
    expect(errors).toEqual([]);
  });

  it('asks for a new password first when the account has a one-time one', async () => {
    const { page } = await open('/');
    await signIn(page, NEWCOMER);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill('quiet-river-stone-88');
    await page.getByLabel('Repeat the new password').fill('quiet-river-stone-88');
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.waitForURL(/\/app\/localhost/);
    await page.locator('.kpi-value').first().waitFor();
  });

  it('signs out', async () => {
    const { page } = await open('/');
    await signIn(page);
    await page.waitForURL(/\/app\/localhost/);
    await page.locator('summary.avatar').click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const me = await page.request.get(`${server.url}/api/auth/me`);
    expect(me.status()).toBe(401);
  });
});

describe('the overview', () => {
  it('shows the API’s numbers, filters by a click, keeps it all in the URL, and speaks Japanese', async () => {
    const { page, errors } = await open('/');
    await signIn(page);
    await page.waitForURL(/\/app\/localhost$/);
    await settled(page);

    // KPI values are the API's summary for the same range
    const expected = await summary(page, 'period=30d');
    expect(expected.current.visitors).toBeGreaterThan(1000);
    const shown = await kpis(page);
    for (const m of metrics) {
      expect(shown[m]!.value, m).toBe(expected.current[m]);
      expect(shown[m]!.text, m).toBe(formatMetric(m, expected.current[m], 'en'));
    }
    // the realtime counter is a live region
    const live = page.locator('.realtime');
    expect(await live.getAttribute('aria-live')).toBe('polite');
    await expect.poll(() => live.textContent()).toMatch(/\d+ current visitors?/);
    // every breakdown card has rows, countries by name
    for (const card of ['pages', 'sources', 'locations', 'devices', 'goals']) {
      await expect.poll(() => page.locator(`[data-card="${card}"] .rows li`).count(), { message: card }).toBeGreaterThan(0);
    }
    expect(await page.locator('[data-card="locations"] .row-label').first().textContent()).toBe('Japan');
    await screenshot(page, 'test-results/dashboard-overview.png');

    // a click on a page row filters by it: URL, chip and cards follow
    await page.locator('[data-card="pages"] .row-main[data-value="/demo/products"]').click();
    await page.waitForURL(/f\.page=%2Fdemo%2Fproducts/);
    await expect.poll(() => page.locator('.chip').textContent()).toContain('/demo/products');
    const filtered = await summary(page, 'period=30d&f.page=%2Fdemo%2Fproducts');
    expect(filtered.current.visitors).toBeLessThan(expected.current.visitors);
    await expect.poll(async () => (await kpis(page)).visitors!.value).toBe(filtered.current.visitors);
    await expect.poll(() => page.locator('[data-card="pages"] .rows li').count()).toBe(1);

    // a click on a KPI card charts that metric; keyboard works too
    await page.locator('.kpi[data-metric="pageviews"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/metric=pageviews/);
    expect(await page.locator('.kpi[data-metric="pageviews"]').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#chart-title').textContent()).toBe('Pageviews');

    // back removes the filter again
    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('f.page'));
    await expect.poll(async () => (await kpis(page)).visitors!.value).toBe(expected.current.visitors);

    // a preset range goes into the URL
    await page.getByTestId('range-select').selectOption('7d');
    await page.waitForURL(/period=7d/);
    const week = await summary(page, 'period=7d');
    await expect.poll(async () => (await kpis(page)).visits!.value).toBe(week.current.visits);

    // details: the long list in a dialog, closed with Escape
    await page.locator('[data-card="sources"] .card-foot .btn-link').click();
    await page.waitForURL(/details=source/);
    await page.getByRole('dialog').locator('tbody tr').first().waitFor();
    await page.keyboard.press('Escape');
    await page.waitForURL((url) => !url.search.includes('details'));

    // the CSV links carry the range and filters
    const csv = await page.locator('.chart-card .csv-link').getAttribute('href');
    expect(csv).toBe('/api/stats/localhost/export.csv?period=7d&interval=day&report=timeseries');
    const download = await page.request.get(server.url + csv);
    expect(download.headers()['content-type']).toMatch(/^text\/csv/);

    // Japanese: labels change, numbers follow the locale, the choice is remembered
    await page.getByTestId('range-select').selectOption('30d');
    await page.locator('[data-card="pages"] .row-main[data-value="/demo/products"]').click();
    await page.waitForURL(/f\.page=/);
    await page.getByRole('button', { name: '日本語' }).click();
    await expect.poll(() => page.locator('.kpi[data-metric="visitors"] .kpi-label').textContent()).toBe('ユニーク訪問者');
    expect(await page.locator('#card-pages').textContent()).toBe('ページ');
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    await settled(page);
    const ja = await kpis(page);
    for (const m of metrics) expect(ja[m]!.text, m).toBe(formatMetric(m, filtered.current[m], 'ja'));
    expect(await page.locator('[data-card="locations"] .row-label').first().textContent()).toBe('日本');
    await expect.poll(() => live.textContent()).toMatch(/現在の訪問者 \d+人/);
    await screenshot(page, 'test-results/dashboard-overview-ja.png');

    await page.reload();
    await page.locator('.kpi-value').first().waitFor();
    expect(await page.locator('.kpi[data-metric="visits"] .kpi-label').textContent()).toBe('訪問数');
    expect(errors).toEqual([]);
  });

  it('stacks the cards at phone width', async () => {
    const { page } = await open('/', { width: 390 });
    await signIn(page);
    await page.waitForURL(/\/app\/localhost/);
    await settled(page);
    const boxes = await Promise.all(['pages', 'sources'].map((c) => page.locator(`[data-card="${c}"]`).boundingBox()));
    expect(boxes[1]!.y).toBeGreaterThan(boxes[0]!.y + boxes[0]!.height - 1);
    expect(boxes[0]!.width).toBeGreaterThan(340);
    const chart = await page.locator('.chart canvas').boundingBox();
    expect(chart!.width).toBeGreaterThan(300);
    // nothing wider than the screen
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'test-results/dashboard-overview-phone.png');
  });

  it('takes a custom range and says so when it has no data', async () => {
    const { page } = await open('/');
    await signIn(page);
    await page.waitForURL(/\/app\/localhost/);
    await page.locator('.kpi-value').first().waitFor();
    // the custom range form opens from the dates shown
    await page.locator('button.range-dates').click();
    await page.getByLabel('From', { exact: true }).fill('2020-01-31');
    await page.getByLabel('To', { exact: true }).fill('2020-01-01');
    await page.getByRole('alert').filter({ hasText: 'The start date must be on or before the end date.' }).waitFor();
    await page.getByLabel('From', { exact: true }).fill('2020-01-01');
    await page.getByLabel('To', { exact: true }).fill('2020-01-31');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(`${server.url}/app/localhost?period=custom&from=2020-01-01&to=2020-01-31`);
    await expect.poll(() => page.locator('.chart-card .empty-title').textContent()).toBe('No data for this period');
    await expect.poll(() => page.locator('.kpi[data-metric="visitors"] .kpi-value').getAttribute('data-value')).toBe('0');
  });

  it('switches sites, keeping the range but not the filters', async () => {
    const { page } = await open('/');
    await signIn(page);
    await page.waitForURL(/\/app\/localhost/);
    await page.goto(`${server.url}/app/localhost?period=7d&f.country=JP`);
    await page.locator('.kpi-value').first().waitFor();
    await page.getByLabel('Site').selectOption('www.example.org');
    await page.waitForURL(`${server.url}/app/www.example.org?period=7d`);
    await expect.poll(() => page.locator('.chart-card .empty-title').textContent()).toBe('No data for this period');
  });

  it('shows an error with a retry when a request fails', async () => {
    const { page, context } = await open('/');
    await signIn(page);
    await page.waitForURL(/\/app\/localhost/);
    await page.locator('.kpi-value').first().waitFor();
    let fail = true;
    await context.route(/\/api\/stats\/localhost\/breakdown\/os/, (route) =>
      fail ? route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"internal","message":"boom"}' }) : route.fallback(),
    );
    await page.getByRole('tab', { name: 'Operating systems' }).click();
    const card = page.locator('[data-card="devices"]');
    await card.getByRole('alert').waitFor();
    expect(await card.getByRole('alert').textContent()).toContain('Something went wrong (internal)');
    fail = false;
    await card.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => card.locator('.rows li').count()).toBeGreaterThan(0);
    // the tabs follow the arrow keys
    await card.getByRole('tab', { name: 'Operating systems' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => card.getByRole('tab', { name: 'Devices' }).getAttribute('aria-selected')).toBe('true');
  });
});
