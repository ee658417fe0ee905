import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRecords } from '../screening-fixtures.ts';
import path from 'node:path';
import { HAS_CHROMIUM, launchBrowser, SCREENSHOT_DIR, signIn } from '../support/browser.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';

if (!HAS_CHROMIUM) console.warn('skipping conflicts paging browser test: /usr/bin/chromium is not installed');

const SLUG = 'conflicts-page';
const base = `/reviews/${SLUG}`;

/** A review with more open conflicts than the page shows at once. */
describe.skipIf(!HAS_CHROMIUM)('an adjudicator with many conflicts in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let cat: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review(SLUG, 'Many conflicts');
    const lead = await app.user('Lead', review, ['lead']);
    const ann = await app.user('Ann', review, ['reviewer']);
    const bob = await app.user('Bob', review, ['reviewer']);
    cat = await app.user('Cat', review, ['adjudicator']);
    const ids = await seedRecords(app.rt.db, review.id, 52);
    const routed = await lead.api<{ jobId: string }>('POST', `${base}/stages/title-abstract/route`);
    await app.rt.queue.waitFor(routed.body.jobId, 20_000);
    // Ann includes and Bob excludes every record: the second vote of each makes its conflict.
    for (const recordId of ids) {
      expect(
        (await ann.api('POST', `${base}/stages/title-abstract/decisions`, { recordId, vote: 'include' }))
          .status,
      ).toBe(201);
      expect(
        (await bob.api('POST', `${base}/stages/title-abstract/decisions`, { recordId, vote: 'exclude' }))
          .status,
      ).toBe(201);
    }
    const { rows } = await app.rt.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM conflicts WHERE review_id = $1 AND status = 'open'`,
      [review.id],
    );
    expect(rows[0]!.n).toBe(52);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the oldest 50 with how many are open, and each decision makes room for the next', async () => {
    const { context, page } = await signIn(browser, app.url, cat.email, 'correct horse battery');
    await page.goto(`${base}/conflicts`);
    await page.waitForSelector('[data-testid=conflicts-shown]');
    expect(await page.textContent('[data-testid=conflicts-shown]')).toBe(
      '52 open conflicts at this stage: the 50 oldest are shown, and each one you decide makes room for the next.',
    );
    expect(await page.locator('[data-testid=conflict]').count()).toBe(50);
    const firstTitle = await page.textContent('[data-testid=conflict] h2');
    // The first screenful only: fifty cards make a very long page.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'conflicts-paged.png') });
    // I includes the first on the page; the count follows, and the page fills up again.
    await page.keyboard.press('i');
    await page.waitForSelector(
      '[data-testid=conflicts-shown]:has-text("51 open conflicts at this stage: the 50 oldest are shown")',
    );
    // The count and the cards come in one answer: the same drawing shows both.
    expect(await page.locator('[data-testid=conflict]').count()).toBe(50);
    expect(await page.textContent('[data-testid=conflict] h2')).not.toBe(firstTitle);
    expect(await page.textContent('main')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|[A-Z_]{4,}:/);
    await context.close();
  });
});
