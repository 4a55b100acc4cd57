/**
 * The dashboard's days are the site's (and the privacy office's), never the browser's: a browser a day
 * behind Tokyo (Pacific/Pago_Pago, UTC−11) and one a day ahead (Pacific/Kiritimati, UTC+14) — at any real
 * time one of them is on another day than Tokyo — see Tokyo's today in every date form, and a provision
 * recorded with the defaults is accepted by the server, which checks the day in the site's zone.
 */
import { type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../server/auth/index.ts';
import { launchChromium, openPage } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { generateEvents } from '../server/anonymize/generate.ts';

const PASSWORD = 'plum-orchard-44-lantern';
const DAY = 24 * 60 * 60 * 1000;
const SITE_ZONE = 'Asia/Tokyo';
const dayIn = (timeZone: string, ms = Date.now()) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);

let browser: Browser;
let server: TestServer;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startTestServer()]);
  await addUser(server.db, { email: 'privacy@example.jp', role: 'privacy', password: PASSWORD });
  await generateEvents(server.db, { seed: 5, visitors: 120, site: 'localhost', start: Date.now() - 10 * DAY, days: 7 });
  const site = await server.db.selectFrom('sites').select('timezone').where('id', '=', 'localhost').executeTakeFirstOrThrow();
  expect(site.timezone).toBe(SITE_ZONE);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function signedIn(timezoneId: string) {
  const { context, page, errors } = await openPage(browser, server.url, '/', { timezoneId });
  contexts.push(context);
  await page.getByLabel('Email').fill('privacy@example.jp');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/app/);
  return { page, errors };
}

describe('days in the dashboard', () => {
  it('one of the two browser zones is always on another day than the site', () => {
    const tokyo = dayIn(SITE_ZONE);
    expect([dayIn('Pacific/Pago_Pago'), dayIn('Pacific/Kiritimati')].some((d) => d !== tokyo)).toBe(true);
  });

  for (const [n, timezoneId] of [
    [1, 'Pacific/Pago_Pago'],
    [2, 'Pacific/Kiritimati'],
  ] as const) {
    it(`a browser in ${timezoneId} gets the site’s days and records a provision with them`, { timeout: 90_000 }, async () => {
      const { page, errors } = await signedIn(timezoneId);
      const browserDay = await page.evaluate(() => {
        const d = new Date();
        return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
      });
      expect(browserDay).toBe(dayIn(timezoneId));

      await page.goto(`${server.url}/app/privacy/cases/new`);
      await expect.poll(() => page.locator('input[name="received"]').inputValue()).toBe(dayIn(SITE_ZONE));
      expect(await page.locator('input[name="received"]').getAttribute('max')).toBe(dayIn(SITE_ZONE));

      await page.goto(`${server.url}/app/privacy/provisions`);
      await page.getByRole('button', { name: 'Record a provision' }).click();
      await expect.poll(() => page.locator('input[name="periodFrom"]').inputValue()).toBe(dayIn(SITE_ZONE));

      await page.goto(`${server.url}/app/privacy/releases`);
      await page.getByRole('heading', { name: 'Anonymized datasets', level: 1 }).waitFor();
      await page.getByLabel('Site').fill('localhost');
      await expect.poll(() => page.locator('.release-form input[name="to"]').inputValue()).toBe(dayIn(SITE_ZONE));
      await page.getByRole('button', { name: 'Create and publish items' }).click();
      const release = page.locator(`li.release[data-release="${n}"]`);
      await release.waitFor({ timeout: 30_000 });
      await release.getByLabel('Method (Japanese)').fill('暗号化したファイルで提供します。');
      await release.getByLabel('Method (English)').fill('An encrypted file.');
      await release.getByRole('button', { name: 'Publish the method' }).click();
      await expect.poll(() => release.getAttribute('data-stage')).toBe('method_published');

      const releasedOn = release.locator('input[name="releasedOn"]');
      expect(await releasedOn.inputValue()).toBe(dayIn(SITE_ZONE));
      expect(await releasedOn.getAttribute('max')).toBe(dayIn(SITE_ZONE));
      await release.getByLabel('Recipient', { exact: true }).fill('Kaede Research Inc.');
      await release.getByRole('button', { name: 'Record' }).click();
      await expect.poll(() => release.getAttribute('data-stage')).toBe('provided');
      expect(await release.locator('.form-error').count()).toBe(0);

      // the dataset's period went as the site's midnights: 30 days up to its today, the last one included
      const res = await page.request.get(`${server.url}/api/privacy/releases/${n}`);
      const sent = (await res.json()) as { from: number; to: number };
      const tokyoMidnight = Date.parse(`${dayIn(SITE_ZONE)}T00:00:00+09:00`);
      expect(sent).toMatchObject({ from: tokyoMidnight - 30 * DAY, to: tokyoMidnight + DAY });
      expect(errors).toEqual([]);
    });
  }
});
