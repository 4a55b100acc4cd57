import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium, headless, with no traffic of its own (background networking off): one per test file. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
