import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { seriousAxeViolations } from '../support/axe.ts';
import { HAS_CHROMIUM, launchBrowser, SCREENSHOT_DIR, signIn } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

if (!HAS_CHROMIUM)
  console.warn('skipping browser tests: /usr/bin/chromium is not installed (apt-get install chromium)');

const SHOTS = process.env.WINNOW_SHOTS_DIR ?? SCREENSHOT_DIR;
const TITLE = 'Making the case for quality improvement: lessons for NHS boards and leaders';

/** A lead adds a grey-literature report by hand and finds it on its record page and in PRISMA. */
describe.skipIf(!HAS_CHROMIUM)('add a record by hand in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let leadEmail: string;
  const base = '/reviews/add-record-browser';

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('add-record-browser', 'Grey literature review');
    leadEmail = (await app.user('Lead', review, ['lead'])).email;
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('a lead adds a King’s Fund report, is told a missing field in words, then opens its record page', async () => {
    const { context, page } = await signIn(browser, app.url, leadEmail, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${app.url}${base}/imports`);
    await page.click('button:text-is("Add a record")');
    const form = page.locator('form[aria-label="Add a record"]');
    await form.getByLabel('Title').fill(TITLE);
    await form.getByLabel('Year').fill('2017');
    await form
      .getByLabel('Web address')
      .fill('https://www.kingsfund.org.uk/publications/making-case-quality-improvement');
    await form.getByLabel('Date accessed').fill('2024-05-02');
    await form.getByLabel('Where it was found').selectOption('organisation');
    await form.getByRole('button', { name: 'Add the record' }).click();
    // Neither authors nor organisation: the error names the field in words.
    expect(await page.locator('.add-record [role="alert"]').textContent()).toBe(
      'Authors: name the authors or the organisation',
    );
    await form.getByLabel('Organisation', { exact: true }).fill('The King’s Fund');
    // The people who wrote it, and the organisation that issued it: the page keeps both.
    await form.getByLabel('Authors (one per line)').fill('Alderwick, Hugh\nJones, Ben');
    // The form's last button at the bottom edge of a short window, as on a long imports page: the
    // confirmation drawn under it must still come on screen.
    await page.setViewportSize({ width: 1280, height: 560 });
    const submit = form.getByRole('button', { name: 'Add the record' });
    await submit.evaluate((b) => b.scrollIntoView({ block: 'end' }));
    await submit.click();
    await page.waitForSelector('[data-testid="record-added"] a:text-is("Open its record page")');
    await expect
      .poll(async () => {
        const box = await page.locator('[data-testid="record-added"]').boundingBox();
        // On screen with room below it, not on the window's bottom edge.
        return box !== null && box.y >= 0 && box.y + box.height <= 560 - 40;
      })
      .toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });
    // The imports list names it as added by hand where an upload names its file's format.
    const row = page.locator('tr', {
      has: page.locator('button.import-file', { hasText: 'Added by hand - ' }),
    });
    await expect.poll(() => row.locator('td').nth(3).textContent()).toBe('Added by hand');
    await page.screenshot({ path: `${SHOTS}/add-record-imports.png` });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.click('[data-testid="record-added"] a');
    await page.waitForSelector(`h1:text-is("${TITLE}")`);
    const field = (label: string) => page.textContent(`.record-fields dt:text-is("${label}") + dd`);
    expect(await field('Authors')).toBe('Alderwick, Hugh; Jones, Ben');
    expect(await field('Publisher')).toBe('The King’s Fund');
    expect(await page.textContent('.record-sources')).toContain('Organisation: The King’s Fund');
    await page.click('.record-sources summary');
    expect(await page.textContent('.record-sources pre')).toContain('Accessed 2024-05-02');
    await page.screenshot({ path: `${SHOTS}/add-record-record-page.png` });
    // PRISMA counts it under other methods (organisations).
    const flow = await page.evaluate(
      async (url) => (await fetch(url)).json(),
      `${app.url}/api${base}/prisma`,
    );
    expect((flow as { counts: { other: { organisations: number } } }).counts.other.organisations).toBe(1);
    await context.close();
  });
});
