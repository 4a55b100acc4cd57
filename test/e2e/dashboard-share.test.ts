/**
 * Shared links in a real browser (Debian's chromium via playwright-core) against the real server with the
 * demo site's traffic: a marketer creates a password-protected link in the Share dialog; someone without an
 * account opens it in a fresh browser context, enters the password and sees the shared API's numbers; once
 * revoked, the link is "not found". Screenshots: test-results/dashboard-share.png (the shared view),
 * dashboard-share-ja.png, dashboard-share-dialog.png.
 */
import { mkdirSync } from 'node:fs';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium, openPage, type PageOptions } from '../helpers/browser.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SharedBreakdown, SharedSummaryReport } from '../../dashboard/src/lib/api.ts';
import { formatMetric } from '../../dashboard/src/lib/format.ts';
import { addUser } from '../../server/auth/index.ts';
import { demoEvents } from '../../server/demo/generate.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { commitEvents } from '../../server/ingest/writer.ts';
import { rollupAll } from '../../server/jobs/rollup.ts';
import { OTHER } from '../../server/stats/cell-suppression.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const PASSWORD = 'plum-orchard-44-lantern';
const LINK_PASSWORD = 'amber-kettle-29-meadow';
const MARKETER = 'marketer@example.jp';
const metrics = ['visitors', 'visits', 'pageviews', 'viewsPerVisit', 'bounceRate', 'visitDuration'] as const;

let browser: Browser;
let server: TestServer;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync('test-results', { recursive: true });
  // the runtime's app mounts the dashboard, /api/sites, the shared-link API and its management API itself
  [browser, server] = await Promise.all([
    launchChromium(),
    startTestServer(),
  ]);
  const now = Date.now();
  await seedDemo(server.db, server.runtime.store.dialect, now);
  await server.runtime.deps.events.sync(); // the generated weeks go into DuckDB at once, as a server's start does
  // small cells for the server to pool into "(other)": three rare pages and referrers, four visitors each
  const template = demoEvents({ siteId: 'localhost', days: 1, now }).next().value!;
  const rare = Array.from({ length: 12 }, (_, i) => ({
    ...template,
    type: 'pageview' as const,
    name: null,
    props: null,
    ts: now - 2 * 3_600_000 + i * 1000,
    path: `/demo/jobs/opening-${i % 3}`,
    referrer_host: `partner-${i % 3}.example`,
    visitor_id: `rare-visitor-${i}`,
    session_id: `rare-session-${i}`,
  }));
  await commitEvents(server.db, server.runtime.store.dialect, rare);
  // the demo seed already rolled these hours up: roll them again so the late rows count
  const hour = 3_600_000;
  await server.db.updateTable('stats_state').set({ rolled_until: now - 2 * hour - ((now - 2 * hour) % hour) }).execute();
  await rollupAll(server.db, server.runtime.store.dialect, now);
  await addUser(server.db, { email: MARKETER, role: 'marketer', password: PASSWORD });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

/** A new browser context: its own cookies and sessionStorage, like another person's browser. */
async function open(path: string, options: PageOptions = {}) {
  const opened = await openPage(browser, server.url, path, { ...options });
  contexts.push(opened.context);
  return opened;
}

async function signIn(page: Page, email = MARKETER) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The shared API's answer, asked the way the page asks (the password in X-Share-Password, no cookie). */
async function sharedApi<T>(page: Page, token: string, path: string, password: string | null = LINK_PASSWORD): Promise<{ status: number; body: T }> {
  const res = await page.request.get(`${server.url}/api/shared/${token}/${path}`, { headers: password ? { 'X-Share-Password': password } : {} });
  return { status: res.status(), body: (await res.json()) as T };
}

async function kpis(page: Page) {
  await poll(() => page.locator('.kpi-value').count()).toBe(6);
  const out: Record<string, { value: string | null; text: string }> = {};
  for (const m of metrics) {
    const el = page.locator(`.kpi[data-metric="${m}"] .kpi-value`);
    out[m] = { value: await el.getAttribute('data-value'), text: (await el.textContent())!.trim() };
  }
  return out;
}

async function screenshot(page: Page, path: string) {
  await page.evaluate(() => scrollTo(0, 0));
  await page.mouse.move(0, 0);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
}

/** expect.poll with room for a busy machine (the stats queries run on the demo's raw events). */
const poll = <T>(fn: () => T | Promise<T>, options: { message?: string } = {}) => expect.poll(fn, { timeout: 10_000, ...options });

const settled = async (page: Page) => {
  await page.waitForSelector('.chart canvas');
  await poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
  await poll(() => page.locator('.skeleton').count()).toBe(0);
};

describe('a shared link', () => {
  it('is created by a marketer, opened with its password by someone without an account, and revoked', { timeout: 60_000 }, async () => {
    // ---- the marketer's side: the Share dialog
    const staff = await open('/');
    await signIn(staff.page);
    await staff.page.waitForURL(/\/app\/localhost$/);
    await staff.page.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = staff.page.getByRole('dialog', { name: 'Share localhost' });
    await dialog.waitFor();
    await poll(() => dialog.getByText('No links yet.').count()).toBe(1);

    // the form says what is wrong before asking the server
    await dialog.getByLabel('Password (optional)').fill('too-short');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    await poll(() => dialog.getByRole('alert').textContent()).toBe('A password needs at least 12 characters.');

    await dialog.getByLabel('Label', { exact: true }).fill('Press kit');
    await dialog.getByLabel('Password (optional)').fill(LINK_PASSWORD);
    await dialog.getByLabel('Expires after … days (optional)').fill('30');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const urlBox = dialog.getByTestId('share-url');
    await urlBox.waitFor();
    const url = await urlBox.inputValue();
    expect(url).toMatch(new RegExp(`^${server.url.replace(/\./g, '\\.')}/share/[A-Za-z0-9_-]{43}$`));
    const token = url.split('/share/')[1]!;
    expect(await dialog.getByRole('status').textContent()).toContain('it will not be shown again');
    expect(await dialog.getByRole('button', { name: 'Copy' }).count()).toBe(1);
    // the list: label, dates, protected
    const row = dialog.locator('tbody tr', { hasText: 'Press kit' });
    await row.waitFor();
    const cells = (await row.locator('th, td').allTextContents()).map((s) => s.trim());
    const today = new Intl.DateTimeFormat('en', { year: 'numeric', month: 'short', day: 'numeric' });
    expect(cells.slice(0, 4)).toEqual(['Press kit', today.format(Date.now()), today.format(Date.now() + 30 * 86_400_000), 'Yes']);
    // the token itself is never listed
    expect(await dialog.locator('table').textContent()).not.toContain(token);
    await staff.page.screenshot({ path: 'test-results/dashboard-share-dialog.png', animations: 'disabled' });

    // ---- someone else's browser: no staff cookie
    const guest = await open(`/share/${token}`);
    const { page } = guest;
    expect(await guest.context.cookies()).toEqual([]);
    await page.getByRole('heading', { name: 'This link is protected' }).waitFor();
    await page.getByLabel('Password').fill('not-the-right-password');
    await page.getByRole('button', { name: 'Show statistics' }).click();
    await poll(() => page.getByRole('alert').textContent()).toBe('The password is wrong.');
    await page.screenshot({ path: 'test-results/dashboard-share-password.png', animations: 'disabled' });
    await page.getByLabel('Password').fill(LINK_PASSWORD);
    await page.getByRole('button', { name: 'Show statistics' }).click();
    await settled(page);

    // the KPI cards are the shared API's numbers
    const expected = await sharedApi<SharedSummaryReport>(page, token, 'summary?period=30d');
    expect(expected.status).toBe(200);
    const current = expected.body.current;
    if ('suppressed' in current) throw new Error('the demo site has more than k visitors');
    expect(current.visitors).toBeGreaterThan(1000);
    const shown = await kpis(page);
    for (const m of metrics) {
      expect(Number(shown[m]!.value), m).toBe(current[m]);
      expect(shown[m]!.text, m).toBe(formatMetric(m, current[m]!, 'en'));
    }
    expect(await page.locator('.site-name').textContent()).toBe('localhost');
    const { minCellSize: k, withheldDays, pendingDays } = expected.body;
    expect(pendingDays.current, 'today is still in progress').toBe(1);
    expect(await page.locator('.share-note').textContent()).toBe(
      `Shared statistics · small numbers hidden (fewer than ${k} visitors)` +
        (withheldDays.current ? ` · ${withheldDays.current} day(s) with fewer than ${k} visitors left out` : '') +
        ' · 1 day(s) still in progress shown once complete',
    );

    // the overview without staff chrome: four cards, no goals, filters, realtime, CSV or user menu
    for (const card of ['pages', 'sources', 'locations', 'devices']) {
      await poll(() => page.locator(`[data-card="${card}"] .rows li`).count(), { message: card }).toBeGreaterThan(0);
    }
    for (const absent of ['[data-card="goals"]', '.csv-link', '.realtime', '.filters', 'summary.avatar', 'select']) {
      expect(await page.locator(absent).count(), absent).toBe(0);
    }
    expect(await page.locator('.rows button').count()).toBe(0);
    // never a link into the staff app: the only link is the skip link
    expect(await page.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['#main']);

    // small cells pooled by the server read "Other"
    const pooled: string[] = [];
    for (const [card, dimension] of [['pages', 'page'], ['sources', 'source'], ['locations', 'country'], ['devices', 'browser']] as const) {
      const answer = await sharedApi<SharedBreakdown>(page, token, `breakdown/${dimension}?period=30d`);
      const values = answer.body.items.slice(0, 10).map((i) => i.value ?? '(none)');
      expect(await page.locator(`[data-card="${card}"] .rows li`).evaluateAll((lis) => lis.map((li) => li.getAttribute('data-value')))).toEqual(
        answer.body.items.length <= 11 ? answer.body.items.map((i) => i.value ?? '(none)') : values,
      );
      if (answer.body.items.some((i) => i.value === OTHER) && answer.body.items.length <= 11) pooled.push(card);
    }
    expect(pooled).toEqual(expect.arrayContaining(['pages', 'sources']));
    for (const card of pooled) {
      expect(await page.locator(`[data-card="${card}"] .row-other .row-label`).textContent()).toMatch(/^Other \(Values with fewer than \d+ visitors each, combined\)$/);
    }
    await screenshot(page, 'test-results/dashboard-share.png');

    // a preset goes into the URL and the numbers follow
    await page.getByRole('button', { name: 'Last 7 days' }).click();
    await page.waitForURL(/\?period=7d$/);
    const week = await sharedApi<SharedSummaryReport>(page, token, 'summary?period=7d');
    if ('suppressed' in week.body.current) throw new Error('unexpected');
    const weekVisits = week.body.current.visits;
    await poll(async () => Number((await kpis(page)).visits!.value)).toBe(weekVisits);
    expect(await page.getByRole('button', { name: 'Last 7 days' }).getAttribute('aria-pressed')).toBe('true');

    // Japanese
    await page.getByRole('button', { name: '日本語' }).click();
    await poll(() => page.locator('.kpi[data-metric="visitors"] .kpi-label').textContent()).toBe('ユニーク訪問者');
    expect(await page.locator('.share-note').textContent()).toBe(
      `共有された統計・少数の値は非表示（訪問者${k}人未満）` +
        (withheldDays.current ? ` · 訪問者${k}人未満の${withheldDays.current}日分を除外` : '') +
        ' · 集計中の1日分は日付が変わってから表示',
    );
    await settled(page);
    await page.getByRole('button', { name: '過去30日間' }).click();
    await page.waitForURL((u) => u.search === '');
    await settled(page);
    expect(await page.locator('[data-card="pages"] .row-other .row-label').textContent()).toMatch(/^その他 \(訪問者がそれぞれ\d+人未満の値の合計\)$/);
    await screenshot(page, 'test-results/dashboard-share-ja.png');

    // the password is kept for this tab: a reload does not ask again
    await page.reload();
    await page.locator('.kpi-value').first().waitFor();
    expect(await page.getByRole('heading', { name: 'パスワードで保護されたリンク' }).count()).toBe(0);

    // suppressed numbers read "—", and say why
    await page.route(/\/api\/shared\/[^/]+\/summary/, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({
          site: 'localhost',
          range: expected.body.range,
          minCellSize: 10,
          method: 'minimum-cell-size',
          visitorsAre: 'daily-unique-summed',
          current: { suppressed: true },
          previous: { suppressed: true },
          withheldDays: { current: 1, previous: 1 },
          pendingDays: { current: 0, previous: 0 },
        }),
      }),
    );
    await page.getByRole('button', { name: '今日' }).click();
    await poll(() => page.locator('.kpi[data-metric="visitors"] .kpi-value').textContent()).toBe('—非表示：訪問者が10人未満');
    expect(await page.locator('.kpi[data-metric="visitors"] [aria-hidden="true"]').first().textContent()).toBe('—');
    expect(await page.locator('.kpi[data-metric="visitors"] .kpi-value').getAttribute('data-value')).toBeNull();
    expect(await page.locator('.share-note').textContent()).toContain('訪問者10人未満の1日分を除外');
    await page.unroute(/\/api\/shared\/[^/]+\/summary/);
    expect(guest.errors).toEqual([]);

    // ---- revoked in the dialog: the link is gone
    await row.getByRole('button', { name: 'Revoke “Press kit”' }).click();
    await row.getByRole('group', { name: 'Revoke “Press kit”' }).getByRole('button', { name: 'Revoke', exact: true }).click();
    await dialog.getByText('Revoked and expired (1)').waitFor();
    expect(await dialog.getByText('No links yet.').count()).toBe(1);
    expect((await sharedApi(page, token, 'summary')).status).toBe(404);

    await page.reload();
    await page.getByRole('heading', { name: 'リンクが見つかりません' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Link not found' }).waitFor();
    await page.screenshot({ path: 'test-results/dashboard-share-not-found.png', animations: 'disabled' });
    expect(await page.locator('a[href^="/app"], a[href="/"]').count()).toBe(0);
    expect(staff.errors).toEqual([]);
  });

  it('says so when there were too many wrong passwords', async () => {
    const staff = await open('/');
    await signIn(staff.page);
    await staff.page.waitForURL(/\/app\/localhost$/);
    const csrf = await staff.page.evaluate(async () => ((await (await fetch('/api/auth/me')).json()) as { csrfToken: string }).csrfToken);
    const created = await staff.page.request.post(`${server.url}/api/sites/localhost/shared-links`, {
      headers: { 'X-CSRF-Token': csrf, Origin: server.url },
      data: { password: LINK_PASSWORD },
    });
    expect(created.status()).toBe(201);
    const { token } = (await created.json()) as { token: string };

    const { page, context } = await open(`/share/${token}`);
    await page.getByRole('heading', { name: 'This link is protected' }).waitFor();
    await context.route(/\/api\/shared\/[^/]+\/summary/, (route) =>
      route.fulfill({ status: 429, headers: { 'Retry-After': '120' }, contentType: 'application/json', body: '{"error":"too_many_attempts","message":"too many wrong passwords; try again later"}' }),
    );
    await page.getByLabel('Password').fill(LINK_PASSWORD);
    await page.getByRole('button', { name: 'Show statistics' }).click();
    await poll(() => page.getByRole('alert').textContent()).toBe('Too many wrong passwords. Try again in 120 seconds.');
    // an open link that is rate-limited says the same without a form
    const open429 = await open(`/share/${token}`);
    await open429.context.route(/\/api\/shared\//, (route) =>
      route.fulfill({ status: 429, headers: { 'Retry-After': '30' }, contentType: 'application/json', body: '{"error":"too_many_attempts","message":"x"}' }),
    );
    await open429.page.reload();
    await poll(() => open429.page.getByRole('alert').textContent()).toBe('Too many wrong passwords. Try again in 30 seconds.');
    expect(await open429.page.getByRole('button', { name: 'Retry' }).count()).toBe(1);
  });

  it('fits a phone', async () => {
    const staff = await open('/');
    await signIn(staff.page);
    await staff.page.waitForURL(/\/app\/localhost$/);
    const csrf = await staff.page.evaluate(async () => ((await (await fetch('/api/auth/me')).json()) as { csrfToken: string }).csrfToken);
    const created = await staff.page.request.post(`${server.url}/api/sites/localhost/shared-links`, { headers: { 'X-CSRF-Token': csrf, Origin: server.url }, data: {} });
    const { token } = (await created.json()) as { token: string };

    const { page, errors } = await open(`/share/${token}?period=7d`, { width: 390, locale: 'ja-JP' });
    await settled(page);
    // an open link asks for nothing
    expect(await page.locator('input[type="password"]').count()).toBe(0);
    expect(await page.getByRole('button', { name: '過去7日間' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const boxes = await Promise.all(['pages', 'sources'].map((c) => page.locator(`[data-card="${c}"]`).boundingBox()));
    expect(boxes[1]!.y).toBeGreaterThan(boxes[0]!.y + boxes[0]!.height - 1);
    await screenshot(page, 'test-results/dashboard-share-phone.png');
    expect(errors).toEqual([]);
  });
});
