/**
 * Anonymized datasets in a real browser against the real server: a privacy user creates a dataset, finds
 * its items on the public register at once, is not offered a provision until the method of provision is
 * published, publishes it, records a provision to a third party, and downloads the CSV with its statement.
 * An admin reads the page but gets neither forms nor files; a marketer is refused the page and the API.
 * Screenshots: test-results/dashboard-anonymized.png, dashboard-anonymized-register.png.
 */
import { mkdirSync } from 'node:fs';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../server/auth/index.ts';
import { launchChromium, openPage } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { generateEvents } from '../server/anonymize/generate.ts';

const PASSWORD = 'plum-orchard-44-lantern';
const DAY = 24 * 60 * 60 * 1000;

let browser: Browser;
let server: TestServer;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync('test-results', { recursive: true });
  [browser, server] = await Promise.all([launchChromium(), startTestServer()]);
  for (const role of ['privacy', 'admin', 'marketer'] as const) await addUser(server.db, { email: `${role}@example.jp`, role, password: PASSWORD });
  await generateEvents(server.db, { seed: 21, visitors: 600, site: 'localhost', start: Date.now() - 20 * DAY, days: 14 });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function signedIn(role: string, path: string) {
  const { context, page, errors } = await openPage(browser, server.url, '/', { acceptDownloads: true });
  contexts.push(context);
  await page.getByLabel('Email').fill(`${role}@example.jp`);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/app/);
  await page.goto(server.url + path);
  return { page, errors };
}

const release = (page: Page) => page.locator('li.release').first();

describe('anonymized datasets', () => {
  it('privacy staff create one, publish the method, then record a provision; the register follows each step', { timeout: 120_000 }, async () => {
    const { page, errors } = await signedIn('privacy', '/app/privacy/releases');
    await page.getByRole('heading', { name: 'Anonymized datasets', level: 1 }).waitFor();
    await page.getByText('No dataset has been created.').waitFor();
    await page.getByLabel('Site').fill('localhost');
    await expect.poll(() => page.locator('.release-form input[name="columns"]').count()).toBe(11);
    expect(await page.locator('.release-form input[name="columns"]:checked').count()).toBe(11);
    await page.getByRole('button', { name: 'Create and publish items' }).click();
    await release(page).waitFor({ timeout: 30_000 });
    expect(await release(page).getAttribute('data-stage')).toBe('items_published');
    expect(await release(page).locator('.badge').textContent()).toBe('Items published');
    expect(await release(page).getByText('Publish the method of provision first.').count()).toBe(1);
    expect(await release(page).getByRole('button', { name: 'Record' }).count()).toBe(0);

    const register = await page.context().newPage();
    await register.goto(`${server.url}/privacy/anonymized?lang=en`);
    expect(await register.locator('#dataset-1').count()).toBe(1);
    expect(await register.locator('#dataset-1').textContent()).toContain('No provision to third parties is planned.');

    await release(page).getByLabel('Method (Japanese)').fill('暗号化したファイルを専用の転送サービスで提供します。');
    await release(page).getByLabel('Method (English)').fill('An encrypted file through a dedicated transfer service.');
    await release(page).getByRole('button', { name: 'Publish the method' }).click();
    await expect.poll(() => release(page).getAttribute('data-stage')).toBe('method_published');

    await release(page).getByLabel('Recipient', { exact: true }).fill('Kaede Research Inc.');
    await release(page).getByRole('button', { name: 'Record' }).click();
    await expect.poll(() => release(page).getAttribute('data-stage')).toBe('provided');
    expect(await release(page).textContent()).toContain('A third party: Kaede Research Inc.');

    await register.reload();
    const card = (await register.locator('#dataset-1').textContent())!;
    expect(card).toContain('An encrypted file through a dedicated transfer service.');
    expect(card).toContain('A third party');
    expect(card).not.toContain('Kaede');
    await register.screenshot({ path: 'test-results/dashboard-anonymized-register.png', fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), release(page).getByRole('link', { name: /\.csv$/ }).click()]);
    const csv = await (await download.createReadStream()).toArray();
    expect(Buffer.concat(csv).toString('utf8')).toMatch(/^# このデータは個人情報保護法にいう匿名加工情報です。/);
    expect(await release(page).getByLabel('Method (English)').inputValue()).toBe('');
    await page.evaluate(() => scrollTo(0, 0));
    await page.screenshot({ path: 'test-results/dashboard-anonymized.png', fullPage: true });
    expect(errors).toEqual([]);
  });

  it('admins read the page without forms or files; marketers are refused', { timeout: 60_000 }, async () => {
    const admin = await signedIn('admin', '/app/privacy/releases');
    await admin.page.getByText('Only privacy staff can create, provide or download datasets; you can read the register.').waitFor();
    await release(admin.page).waitFor();
    expect(await admin.page.getByRole('button').filter({ hasText: /Create|Publish|Record/ }).count()).toBe(0);
    expect(await release(admin.page).getByRole('link', { name: /\.csv$/ }).count()).toBe(0);
    expect((await admin.page.request.get(`${server.url}/api/privacy/releases/1/files/anonymized-1-session.csv`)).status()).toBe(403);

    const marketer = await signedIn('marketer', '/app/privacy/releases');
    await expect.poll(() => marketer.page.locator('main .notice').textContent()).toBe('Only the privacy office and administrators can open this page.');
    expect((await marketer.page.request.get(`${server.url}/api/privacy/releases`)).status()).toBe(403);
  });
});
