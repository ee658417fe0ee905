import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';
import { HAS_CHROMIUM, launchBrowser, screenshot, signIn } from '../support/browser.ts';
import { routeTitleAbstract, seedRecords, stageStatus, waitUntil } from '../screening-fixtures.ts';

if (!HAS_CHROMIUM) console.warn('screening layout browser test skipped: /usr/bin/chromium is not installed');

const SLUG = 'screen-layout';

/** A review's criteria as leads write them: several lines, with more reasons than two. */
const CRITERIA = [
  'Include:',
  '- reviews or systematic reviews (academic literature), or grey literature from organisations active in quality improvement;',
  '- about the process of doing quality improvement in healthcare: what helps or hinders it, and what was learned.',
  'Exclude:',
  '- primary studies in the academic literature (the review read reviews only);',
  '- improvement of productivity or efficiency alone, or of the social determinants of health;',
  '- settings outside healthcare.',
].join('\n');

/** The screening page at a laptop's 1280x800: a reviewer votes without scrolling, criteria included. */
describe.skipIf(!HAS_CHROMIUM)('the screening page at 1280x800', () => {
  let app: TestApp;
  let ann: TestUser;
  let browser: Browser;
  let records: string[];

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review(SLUG, 'Quality improvement in healthcare');
    const lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    await app.user('Bob', review, ['reviewer']);
    records = await seedRecords(app.rt.db, review.id, 3);
    const cfg = await lead.api('PUT', `/reviews/${SLUG}/stages/title-abstract/config`, {
      criteria: CRITERIA,
      exclusionReasons: [
        { code: 'primary', label: 'Primary study, not a review' },
        { code: 'process', label: 'Not about the process of quality improvement' },
        { code: 'productivity', label: 'Productivity or social determinants only' },
        { code: 'setting', label: 'Not a healthcare setting' },
        { code: 'language', label: 'Not in English' },
        { code: 'duplicate', label: 'Duplicate the matcher missed' },
      ],
    });
    expect(cfg.status).toBe(200);
    await routeTitleAbstract(app, lead, SLUG);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the vote buttons without scrolling, and the criteria below them', async () => {
    const { context, page } = await signIn(browser, app.url, ann.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`/reviews/${SLUG}/screening`);
    // The record's id once it is shown (the card is drawn before its record arrives).
    const first = (await (
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid=screening-record]')?.getAttribute('data-record-id') || null,
      )
    ).jsonValue()) as string;
    await page.locator('.criteria:has-text("settings outside healthcare")').waitFor();
    await screenshot(page, 'screening-1280x800');
    for (const name of ['Include', 'Exclude', 'Maybe']) {
      const box = await page.getByRole('button', { name }).boundingBox();
      expect(box, name).not.toBeNull();
      expect(box!.y + box!.height, `${name} is below the fold`).toBeLessThanOrEqual(800);
    }
    // A click, not a key: the mouse user's vote lands and the next record comes.
    await page.getByRole('button', { name: 'Include' }).click();
    await page.waitForFunction(
      (prev) =>
        document.querySelector('[data-testid=screening-record]')?.getAttribute('data-record-id') !== prev,
      first,
    );
    await waitUntil(
      async () =>
        (await app.rt.db.query(`SELECT 1 FROM decisions WHERE record_id = $1`, [first])).rows.length === 1,
      10_000,
      'the vote stored',
    );
    expect(records).toContain(first);
    expect(await stageStatus(app.rt.db, first, 'title-abstract')).toBe('awaiting-votes');
    // The clicked button does not keep the keyboard: Space or Enter next is no second vote.
    const second = await page.getAttribute('[data-testid=screening-record]', 'data-record-id');
    expect(second).not.toBe(first);
    expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe('BUTTON');
    await page.keyboard.press('Space');
    // Space is the browser's: it scrolls the page (the page head, with its notices, leaves the
    // screen), here to the bottom, less than a page away; the scroll is animated, so wait for its end.
    await expect
      .poll(() =>
        page.evaluate(() => {
          const bottom = document.documentElement.scrollHeight - window.innerHeight;
          return bottom > 0 && Math.abs(window.scrollY - bottom) < 1;
        }),
      )
      .toBe(true);
    await page.keyboard.press('Enter');
    // E without a reason where none is required: a vote the keys do cast, after which only the
    // two votes (click and E) are stored, none from Space or Enter.
    await page.keyboard.press('e');
    await waitUntil(
      async () =>
        (await app.rt.db.query(`SELECT 1 FROM decisions WHERE record_id = $1 AND vote = 'exclude'`, [second]))
          .rows.length === 1,
      10_000,
      'the E vote stored',
    );
    const { rows } = await app.rt.db.query<{ vote: string }>(
      `SELECT vote FROM decisions WHERE reviewer_id = $1 ORDER BY created_at`,
      [ann.id],
    );
    expect(rows.map((r) => r.vote)).toEqual(['include', 'exclude']);
    // The next record is shown from the top of the page: its head and the record's title in view.
    await page.waitForFunction(
      (prev) =>
        document.querySelector('[data-testid=screening-record]')?.getAttribute('data-record-id') !== prev,
      second,
    );
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
    await context.close();
  });
});
