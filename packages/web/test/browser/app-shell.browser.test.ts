import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { HAS_CHROMIUM, launchBrowser, screenshot, signIn } from '../support/browser.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';

if (!HAS_CHROMIUM)
  console.warn('skipping browser tests: /usr/bin/chromium is not installed (apt-get install chromium)');

describe.skipIf(!HAS_CHROMIUM)('web app shell in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let lead: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ workers: false });
    const review = await app.review('shell-review', 'Shell review');
    lead = await app.user('Lead', review, ['lead']);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('refuses a wrong password, signs in, lists reviews and opens the dashboard', async () => {
    const context = await browser.newContext({ baseURL: app.url });
    const page = await context.newPage();
    await page.goto('/');
    await page.fill('input[name=email]', lead.email);
    await page.fill('input[name=password]', 'not the password');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('[role=alert]')).toContain('Wrong email or password');
    await context.close();

    const { page: signed } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    await signed.click('text=Shell review');
    await signed.waitForSelector('[data-stat="identification.records"]');
    // The heading shows the review's address until its title arrives (a request of its own).
    await expect.poll(() => signed.textContent('h1')).toBe('Shell review');
    expect(await signed.textContent('[data-stat="identification.records"] .n')).toBe('0');
    await screenshot(signed, 'dashboard');
  });

  it('tells someone removed from a review (or never in it) that it is not open to them', async () => {
    const outsider = await app.user('Olga');
    const { page } = await signIn(browser, app.url, outsider.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/reviews/shell-review/extraction');
    await page.waitForSelector('[data-testid=review-not-open]');
    expect(await page.textContent('main h1')).toBe('This review is not open to you');
    // Neither the review's menu nor the page's empty frame.
    expect(await page.locator('nav[aria-label=Review]').count()).toBe(0);
    expect(await page.locator('main.extraction').count()).toBe(0);
    await screenshot(page, 'review-not-open');
  });
});
