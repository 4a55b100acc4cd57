/**
 * The privacy office's pages in a real browser (Debian's chromium via playwright-core) against the real
 * server: a privacy user records a case, checks identity and the agent's authority, uploads a document,
 * moves the case through verifying → in progress → refused with a reason from the policy, and reads the
 * answer letter naming that reason (ja and en); verifies the consent receipts' chain and the audit log's;
 * records a provision. A marketer sees none of these pages in the navigation and is refused them.
 * Screenshots: test-results/dashboard-privacy.png (the refused case with its letter), dashboard-privacy-cases.png,
 * -new-case.png, -receipts.png, -audit.png, -provisions.png, -ja.png, -phone.png, -phone-case.png.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium, openPage, type PageOptions } from '../helpers/browser.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../server/auth/index.ts';
import { createCase } from '../../server/privacy/cases.ts';
import { audit, cliActor, systemActor } from '../../server/privacy/index.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const PASSWORD = 'plum-orchard-44-lantern';
const PRIVACY = 'privacy@example.jp';
const MARKETER = 'marketer@example.jp';
const ADMIN = 'admin@example.jp';
const DAY = 24 * 60 * 60 * 1000;

let browser: Browser;
let server: TestServer;
const contexts: BrowserContext[] = [];
const consentIds: string[] = [];

beforeAll(async () => {
  mkdirSync('test-results', { recursive: true });
  [browser, server] = await Promise.all([
    launchChromium(),
    startTestServer(),
  ]);
  for (const [email, role] of [
    [PRIVACY, 'privacy'],
    [MARKETER, 'marketer'],
    [ADMIN, 'admin'],
  ] as const) {
    await addUser(server.db, { email, role, password: PASSWORD });
  }

  // earlier cases: one long overdue, one due soon, one answered
  const deps = { db: server.db, policy: server.runtime.deps.policy, hash: server.runtime.deps.suppressions.hash };
  const now = Date.now();
  await createCase(deps, { type: 'disclosure', channel: 'mail', receivedAt: now - 19 * DAY, requester: { name: '佐藤 花子', contact: 'hanako@example.jp' }, agent: false, language: 'ja' }, cliActor(), now);
  await createCase(deps, { type: 'suspension', channel: 'form', receivedAt: now - 12 * DAY, requester: { name: 'Emma Weber', contact: null }, agent: false, language: 'en' }, cliActor(), now);
  await createCase(deps, { type: 'complaint', channel: 'email', receivedAt: now - 1 * DAY, requester: { name: null, contact: null }, agent: false, language: 'ja' }, cliActor(), now);

  // sixty nightly retention runs: the audit log has more than one page
  for (let i = 0; i < 60; i++) await audit(server.db, systemActor('retention'), 'retention.run', { events: i, sessions: 0 }, { now: now - (60 - i) * DAY });

  // three consent choices, as the banner sends them
  const revision = server.runtime.deps.policy.revision;
  for (const [action, accepted] of [
    ['accept_all', ['necessary', 'analytics', 'external_analytics']],
    ['custom', ['necessary', 'analytics']],
    ['reject_all', ['necessary']],
  ] as const) {
    const res = await fetch(`${server.url}/api/consent`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: server.url, 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' },
      body: JSON.stringify({
        s: 'localhost',
        a: action,
        acc: accepted,
        rej: ['necessary', 'analytics', 'external_analytics'].filter((c) => !(accepted as readonly string[]).includes(c)),
        rev: revision,
        th: createHash('sha256').update('banner text').digest('hex'),
        l: 'ja',
        u: `${server.url}/demo/products?utm_source=mail`,
      }),
    });
    expect(res.status).toBe(201);
    consentIds.push(((await res.json()) as { consentId: string }).consentId);
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function open(path = '/', options: PageOptions = {}) {
  const opened = await openPage(browser, server.url, path, { ...options, acceptDownloads: true });
  contexts.push(opened.context);
  return opened;
}

async function signIn(page: Page, email: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function screenshot(page: Page, path: string) {
  await page.evaluate(() => scrollTo(0, 0));
  await page.mouse.move(0, 0);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
}

const settled = async (page: Page) => {
  await expect.poll(() => page.locator('.skeleton').count()).toBe(0);
  await expect.poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
};

const nav = (page: Page) => page.getByRole('navigation', { name: 'Sections' });
const status = (page: Page) => page.locator('.case-status-line .status');

describe('the privacy office', () => {
  it('records a case, takes it through verifying and in progress to a refusal with a reason, and the letter names it', { timeout: 120_000 }, async () => {
    const { page, errors } = await open('/');
    await signIn(page, PRIVACY);
    // privacy staff read no statistics: /app takes them to their cases
    await page.waitForURL(/\/app\/privacy\/cases$/);
    await page.getByRole('heading', { name: 'Cases', level: 1 }).waitFor();
    await expect.poll(() => nav(page).getByRole('link').allTextContents()).toEqual(['Cases', 'Consent receipts', 'Provision records', 'Anonymized data', 'Audit log']);
    expect(await nav(page).getByRole('link', { name: 'Cases' }).getAttribute('aria-current')).toBe('page');
    await settled(page);
    // the seeded open cases, soonest due first; the long-overdue one is marked
    await expect.poll(() => page.locator('.cases-table tbody tr').count()).toBe(3);
    const overdue = page.locator('.cases-table tr.is-overdue');
    await expect.poll(() => overdue.count()).toBe(1);
    expect(await overdue.locator('.due-text.badge').textContent()).toBe('5 days overdue');

    // a new case
    await page.getByRole('link', { name: 'New case' }).click();
    await page.getByRole('heading', { name: 'New case', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Record case' }).click();
    await expect.poll(() => page.locator('#p-type').textContent()).toBe('Required.');
    expect(await page.locator('#p-channel').textContent()).toBe('Required.');
    await page.getByLabel('Type of request').selectOption('deletion');
    await expect.poll(() => page.getByText('No fee for this type.').count()).toBe(1);
    await page.getByLabel('E-mail', { exact: true }).check();
    await page.getByLabel('Requester’s name').fill('山田 太郎');
    await page.getByLabel('Contact (e-mail or postal address)').fill('taro@example.jp');
    await page.getByLabel('Made by an agent').check();
    await page.getByLabel('What is asked').fill('Delete the analytics data of my browser.');
    await screenshot(page, 'test-results/dashboard-privacy-new-case.png');
    await page.getByRole('button', { name: 'Record case' }).click();
    await page.waitForURL(/\/app\/privacy\/cases\/(\d+)$/);
    const id = Number(/(\d+)$/.exec(page.url())![1]);
    await page.getByRole('heading', { name: `Case ${id}`, level: 1 }).waitFor();
    await expect.poll(() => status(page).textContent()).toBe('Received');
    await expect.poll(() => page.locator('.case-status-line .due-text').textContent()).toBe('Due in 14 days');

    // → verifying
    await page.getByRole('button', { name: 'Start identity check' }).click();
    await expect.poll(() => status(page).textContent()).toBe('Verifying identity');
    // in progress waits for the identity check and the agent's authority
    const start = page.getByRole('button', { name: 'Start work' });
    expect(await start.isDisabled()).toBe(true);
    await expect.poll(() => page.locator('#block-in_progress').textContent()).toBe('The requester’s identity has not been verified yet.');
    const identity = page.getByRole('region', { name: /Identity check/ });
    await identity.getByLabel('Verified', { exact: true }).check();
    await identity.getByLabel('With a document').check();
    await identity.getByLabel(/^One official photo document/).check();
    await identity.getByRole('button', { name: 'Save identity check' }).click();
    await expect.poll(() => identity.locator('.check').textContent()).toBe('Verified');
    await expect.poll(() => page.locator('#block-in_progress').textContent()).toBe('The agent’s authority has not been verified yet.');
    await page.getByRole('region', { name: /Agent’s authority/ }).getByRole('button', { name: 'Verified', exact: true }).click();
    await expect.poll(() => start.isDisabled()).toBe(false);

    // → in progress
    await start.click();
    await expect.poll(() => status(page).textContent()).toBe('In progress');
    await expect.poll(() => page.getByText('Link a cookie or consent id first.').count()).toBe(1);

    // a document
    const docs = page.getByRole('region', { name: 'Documents' });
    await docs.getByLabel('File').setInputFiles({ name: 'request-form.txt', mimeType: 'text/plain', buffer: Buffer.from('Request for deletion\n'.repeat(120)) });
    await docs.getByRole('button', { name: 'Upload' }).click();
    await expect.poll(() => docs.locator('tbody tr').count()).toBe(1);
    expect(await docs.getByRole('link', { name: 'Download request-form.txt' }).count()).toBe(1);
    expect(await docs.locator('tbody td.num').textContent()).toBe('2.5 KB');

    // → refused, with a reason from the policy
    await page.getByRole('button', { name: 'Refuse…' }).click();
    const refusal = page.getByTestId('refusal');
    await refusal.getByRole('button', { name: 'Refuse the request' }).click();
    await expect.poll(() => page.locator('#p-reason').textContent()).toBe('Choose a reason.');
    await refusal.getByLabel('Reason (from the policy)').selectOption('not_held');
    await refusal.getByLabel('Further information').fill('Data of this kind is kept for 13 months only.');
    await refusal.getByRole('button', { name: 'Refuse the request' }).click();
    await expect.poll(() => status(page).textContent()).toBe('Refused');
    await expect.poll(() => page.getByText('This case is closed; its answer letter follows.').count()).toBe(1);

    // the history: each status change, from the audit log, with who made it and the reason
    const history = page.getByRole('region', { name: 'History' });
    await expect.poll(() => history.locator('.timeline-text').allTextContents()).toEqual([
      'Request received (E-mail)',
      'Case recorded',
      'Received → Verifying identity',
      'Changed: identity check',
      'Changed: agent’s authority',
      'Verifying identity → In progress',
      'In progress → Refused',
    ]);
    expect(await history.locator('li[data-kind="transition"]').last().locator('.timeline-sub').textContent()).toBe(
      'Reason: We do not hold the data asked for (including data already deleted at the end of its retention period, or already anonymized) · by privacy@example.jp',
    );

    // the letter, in the case's language (Japanese), names the reason; in English too
    const letter = page.frameLocator('[data-testid="letter"]');
    await expect.poll(() => letter.locator('body').textContent()).toContain('請求の対象となるデータを保有していない場合');
    expect(await letter.locator('body').textContent()).toContain('山田 太郎 様');
    expect(await letter.locator('body').textContent()).toContain('Data of this kind is kept for 13 months only.');
    await page.getByRole('region', { name: 'Answer letter' }).getByRole('button', { name: 'English' }).click();
    await expect.poll(() => letter.locator('body').textContent()).toContain('We do not hold the data asked for');
    expect(await page.getByRole('button', { name: 'Print' }).count()).toBe(1);
    expect(await page.getByTestId('refusal-reason').textContent()).toMatch(/^We do not hold the data asked for/);
    // the frame is as tall as the letter: nothing scrolls inside it
    await expect.poll(() => page.getByTestId('letter').evaluate((f: HTMLIFrameElement) => f.contentDocument!.documentElement.scrollHeight <= f.clientHeight)).toBe(true);
    await settled(page);
    await page.waitForTimeout(300); // the letter's frame paints
    await screenshot(page, 'test-results/dashboard-privacy.png');

    // what the server holds agrees
    const held = await page.request.get(`${server.url}/api/privacy/cases/${id}`);
    expect(await held.json()).toMatchObject({ status: 'refused', refusalReason: 'not_held', agent: true, agentAuthority: 'verified', identity: { status: 'verified', method: 'document', document: 0 } });

    // the list: all cases, the refused one among them
    await nav(page).getByRole('link', { name: 'Cases' }).click();
    await page.getByRole('button', { name: 'All' }).click();
    await page.waitForURL(/state=all/);
    await expect.poll(() => page.locator('.cases-table tbody tr').count()).toBe(4);
    expect(await page.locator(`tr[data-case="${id}"] .status`).textContent()).toBe('Refused');
    await page.getByRole('button', { name: 'Overdue' }).click();
    await expect.poll(() => page.locator('.cases-table tbody tr').count()).toBe(1);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.getByLabel('Type').selectOption('suspension');
    await page.waitForURL(/type=suspension/);
    await expect.poll(() => page.locator('.cases-table tbody tr').count()).toBe(1);
    await page.getByLabel('Type').selectOption('');
    await settled(page);
    await screenshot(page, 'test-results/dashboard-privacy-cases.png');
    expect(errors).toEqual([]);
  });

  it('lists the consent receipts, finds one by its consent id, and verifies their chain', async () => {
    const { page, errors } = await open('/app/privacy/receipts');
    await signIn(page, PRIVACY);
    await page.waitForURL(/\/app\/privacy\/receipts$/);
    await page.getByRole('heading', { name: 'Consent receipts', level: 1 }).waitFor();
    await settled(page);
    await expect.poll(() => page.locator('.receipts-table tbody').count()).toBe(3);
    expect(await page.locator('.receipts-table tbody').first().locator('td').first().textContent()).toBe('localhost');

    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expect.poll(() => page.getByTestId('verify-result').textContent()).toBe('Chain intact: 3 receipts checked (0 with content erased).');

    // one receipt by its consent id, opened to every field
    await page.getByLabel('Consent id').fill(consentIds[1]!);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/consent=/);
    await expect.poll(() => page.locator('.receipts-table tbody').count()).toBe(1);
    const row = page.locator('.receipts-table tbody').first();
    expect(await row.locator('td').nth(1).textContent()).toBe('Chose');
    expect(await row.locator('td').nth(2).textContent()).toBe('necessary, analytics');
    await row.locator('button.disclose').click();
    await expect.poll(() => row.locator('.detail-row dd').allTextContents()).toContain('/demo/products');
    await screenshot(page, 'test-results/dashboard-privacy-receipts.png');

    // a receipt changed behind the server's back: the check names it
    await server.db.updateTable('consent_receipts').set({ path: '/tampered' }).where('seq', '=', 2).execute();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expect.poll(() => page.getByTestId('verify-result').textContent()).toBe('Chain broken at no. 2: it was changed.');
    expect(await page.getByTestId('verify-result').getAttribute('class')).toContain('bad');
    await server.db.updateTable('consent_receipts').set({ path: '/demo/products' }).where('seq', '=', 2).execute();

    // a range that holds nothing
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('From', { exact: true }).fill('2020-01-01');
    await page.getByLabel('To', { exact: true }).fill('2020-01-31');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByText('No receipts match.').count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('records a provision, and shows the audit log, its actions and its verification', async () => {
    const { page, errors } = await open('/app/privacy/provisions');
    await signIn(page, PRIVACY);
    await page.getByRole('heading', { name: 'Provision records', level: 1 }).waitFor();
    await settled(page);
    await expect.poll(() => page.getByText('No provisions recorded.').count()).toBe(1);
    await page.getByRole('button', { name: 'Record a provision' }).click();
    const form = page.locator('form.provision-form');
    await form.getByLabel('Name', { exact: true }).fill('Example Research Inc.');
    await form.getByLabel('Address', { exact: true }).fill('1-2-3 Marunouchi, Chiyoda-ku, Tokyo');
    await form.getByLabel('Representative', { exact: true }).fill('Jiro Sato');
    await form.getByLabel(/^Country the visit came from/).check();
    await form.getByLabel(/^Address of the page viewed/).check();
    await form.getByLabel('The person concerned has consented').check();
    await form.getByRole('button', { name: 'Record' }).click();
    await expect.poll(() => page.locator('#p-consentConfirmation').textContent()).toBe('Say how the consent was confirmed.');
    await form.getByLabel('How the consent was confirmed').fill('Checkbox on the research panel’s sign-up form (2026-10-01 version).');
    await form.getByRole('button', { name: 'Record' }).click();
    await expect.poll(() => page.locator('.provision').count()).toBe(1);
    const entry = page.locator('.provision').first();
    expect(await entry.locator('h2').textContent()).toBe('Example Research Inc.');
    expect(await entry.locator('.tag').allTextContents()).toEqual(['Country the visit came from', 'Address of the page viewed (without parameters that look like personal data)']);
    expect(await entry.getByText('No exports yet.').count()).toBe(1);
    await screenshot(page, 'test-results/dashboard-privacy-provisions.png');

    await nav(page).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await settled(page);
    // newest first, fifty at a time
    await expect.poll(() => page.locator('.audit-table tbody tr').count()).toBe(50);
    const first = page.locator('.audit-table tbody tr').first();
    expect(await first.getAttribute('data-action')).toBe('provision.create');
    expect(await first.locator('td').first().textContent()).toBe(PRIVACY);
    // the first case's status changes, by action
    await page.getByLabel('Action').selectOption('case.transition');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/action=case\.transition/);
    await expect.poll(() => page.locator('.audit-table tbody tr').count()).toBe(3);
    expect(await page.locator('.audit-table tbody tr').first().locator('.kv').textContent()).toContain('not_held');

    const report = (await (await page.request.get(`${server.url}/api/privacy/audit/verify`)).json()) as { ok: boolean; count: number };
    expect(report.ok).toBe(true);
    await page.getByRole('button', { name: 'Verify chain' }).click();
    // the verification itself is not audited, so the count is the same
    await expect.poll(() => page.getByTestId('verify-result').textContent()).toBe(`Chain intact: ${report.count} entries checked.`);
    await page.getByLabel('Action').selectOption('');
    await page.getByRole('button', { name: 'Show' }).click();
    await settled(page);
    await screenshot(page, 'test-results/dashboard-privacy-audit.png');
    // the next page, by the API's cursor, down to the first entry
    await page.getByTestId('load-more').click();
    await expect.poll(() => page.locator('.audit-table tbody tr').count()).toBe(report.count);
    expect(await page.getByTestId('load-more').count()).toBe(0);
    expect(await page.locator('.audit-table tbody tr').last().getAttribute('data-action')).toBe('policy.revision');
    expect(await page.locator('.pager').textContent()).toContain(`${report.count} shown`);
    expect(errors).toEqual([]);
  });

  it('reads in Japanese and fits a phone', async () => {
    const { page, errors } = await open('/', { locale: 'ja-JP', width: 390, height: 844 });
    await page.getByLabel('メールアドレス').fill(PRIVACY);
    await page.getByLabel('パスワード', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.waitForURL(/\/app\/privacy\/cases$/);
    await page.getByRole('heading', { name: '請求・苦情', level: 1 }).waitFor();
    await settled(page);
    await expect.poll(() => page.getByRole('navigation', { name: 'メニュー' }).getByRole('link').allTextContents()).toEqual(['請求・苦情', '同意の記録', '第三者提供記録', '匿名加工情報', '操作ログ']);
    await expect.poll(() => page.locator('.cases-table tr.is-overdue .due-text').textContent()).toBe('期限を5日超過');
    // nothing wider than the screen
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'test-results/dashboard-privacy-phone.png');
    await page.locator('.cases-table tbody tr').first().locator('a.row-link').click();
    await page.waitForURL(/\/cases\/\d+$/);
    await settled(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'test-results/dashboard-privacy-phone-case.png');
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, 'test-results/dashboard-privacy-ja.png');
    expect(errors).toEqual([]);
  });

  it('says so when the server does not publish its policy lists', async () => {
    const { context, page } = await open('/app/privacy/cases');
    await context.route(`${server.url}/api/privacy/policy`, (route) => route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":"not_found","message":"no route"}' }));
    await signIn(page, PRIVACY);
    await settled(page);
    await page.locator('.cases-table a.row-link').first().click();
    await page.getByRole('button', { name: 'Refuse…' }).click();
    await expect.poll(() => page.getByRole('note').textContent()).toContain('The server does not publish its policy lists');
  });
});

describe('other roles', () => {
  it('a marketer sees none of the privacy pages in the navigation, and is refused them', async () => {
    const { page, errors } = await open('/');
    await signIn(page, MARKETER);
    await page.waitForURL(/\/app\/localhost/);
    await page.locator('.topbar .brand').waitFor();
    expect(await page.locator('.topnav').count()).toBe(0);
    for (const name of ['Cases', 'Consent receipts', 'Provision records', 'Anonymized data', 'Audit log']) expect(await page.getByRole('link', { name }).count(), name).toBe(0);
    await page.goto(`${server.url}/app/privacy/cases`);
    await expect.poll(() => page.locator('main .notice').textContent()).toBe('Only the privacy office and administrators can open this page.');
    expect(await page.locator('.topnav').count()).toBe(0);
    expect((await page.request.get(`${server.url}/api/privacy/cases`)).status()).toBe(403);
    expect((await page.request.get(`${server.url}/api/consent/receipts`)).status()).toBe(403);
    expect(errors).toEqual([]);
  });

  it('an admin has both: statistics and the privacy pages', async () => {
    const { page, errors } = await open('/');
    await signIn(page, ADMIN);
    await page.waitForURL(/\/app\/localhost/);
    await expect.poll(() => nav(page).getByRole('link').allTextContents()).toEqual(['Statistics', 'Cases', 'Consent receipts', 'Provision records', 'Anonymized data', 'Audit log']);
    expect(await nav(page).getByRole('link', { name: 'Statistics' }).getAttribute('aria-current')).toBe('page');
    await nav(page).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    expect(errors).toEqual([]);
  });
});
