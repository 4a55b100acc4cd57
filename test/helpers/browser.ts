import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium, headless, with no traffic of its own (background networking off): one per test file. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface PageOptions {
  locale?: string;
  width?: number;
  height?: number;
  acceptDownloads?: boolean;
  /** the browser's time zone (IANA name); the machine's when absent */
  timezoneId?: string;
}

/**
 * A fresh context and page at `origin + path`. Requests to any other origin are answered 204 here, so
 * nothing leaves 127.0.0.1; page errors are collected for the test to assert none happened.
 */
export async function openPage(browser: Browser, origin: string, path: string, options: PageOptions = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    locale: options.locale ?? 'en-US',
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    acceptDownloads: options.acceptDownloads ?? false,
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
  await context.route((url) => url.origin !== origin, (route) => route.fulfill({ status: 204 }));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(origin + path);
  return { context, page, errors };
}
