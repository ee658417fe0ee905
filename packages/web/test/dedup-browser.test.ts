import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Review } from '@winnow/core';
import { HAS_CHROMIUM, launchBrowser, screenshot, signIn } from './support/browser.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

if (!HAS_CHROMIUM) console.warn('dedup-browser: skipped, /usr/bin/chromium is not installed');

// Same title and authors, different volume and pages: a pair for the review queue.
const base = {
  title: 'Antimicrobial copper alloys decreased bacteria on stethoscope surfaces',
  authors: [{ family: 'Schmidt', given: 'M. G.', asWritten: 'Schmidt, M. G.' }],
  journal: 'American Journal of Infection Control',
  keywords: [],
  mesh: [],
  raw: '',
  source: { format: 'test' },
};
const RECORDS = [
  { ...base, year: 2017, volume: '45', pages: { asWritten: '642-647' } },
  { ...base, year: 2018, volume: '46', pages: { asWritten: '101-105' } },
];

describe.skipIf(!HAS_CHROMIUM)('duplicates review page in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let review: Review;
  let reviewer: TestUser;
  let lead: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    review = await app.review('dedup-browser', 'Dedup browser');
    reviewer = await app.user('Reviewer', review, ['reviewer']);
    lead = await app.user('Lead', review, ['lead']);
    const { rows } = await app.rt.db.query<{ id: string }>(
      `INSERT INTO imports (review_id, file_name, content_hash, format, status, record_count) VALUES ($1, 'a.ris', 'h-a', 'ris', 'complete', 2) RETURNING id`,
      [review.id],
    );
    for (const [i, r] of RECORDS.entries())
      await app.rt.db.query(
        `INSERT INTO records (review_id, import_id, source_index, title, year, data, raw) VALUES ($1, $2, $3, $4, $5, $6, '')`,
        [review.id, rows[0]!.id, i + 1, r.title, r.year, JSON.stringify(r)],
      );
    const run = await lead.api<{ jobId: string }>('POST', `/reviews/${review.slug}/duplicates/run`);
    await app.rt.queue.waitFor(run.body.jobId);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the pair side by side with differing fields highlighted and takes "d" from the keyboard', async () => {
    const { page } = await signIn(browser, app.url, reviewer.email, 'correct horse battery');
    await page.goto(`/reviews/${review.slug}/duplicates`);
    await page.waitForSelector('table.dedup-pair');
    expect(await page.getAttribute('tr[data-field="Title"]', 'data-differs')).toBe('false');
    expect(await page.getAttribute('tr[data-field="Volume"]', 'data-differs')).toBe('true');
    expect(await page.textContent('section[aria-label="Review queue"]')).toContain('volumes differ');
    await screenshot(page, 'dedup-review-queue');
    await page.keyboard.press('d');
    await page.waitForSelector('text=Nothing to review.');
    const events = await app.rt.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE review_id = $1 AND type = 'dedup.marked-distinct'`,
      [review.id],
    );
    expect(events.rows[0]!.n).toBe(1);
  });

  it('says so when the lead re-runs deduplication and the server refuses', async () => {
    const { context, page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    await page.goto(`/reviews/${review.slug}/duplicates`);
    // The job queue out of reach, as the server answers then (503 with its message).
    await page.route('**/api/reviews/dedup-browser/duplicates/run', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({
          error: {
            code: 'UNAVAILABLE',
            message: 'The job queue cannot be reached just now. Try again shortly.',
          },
        }),
      }),
    );
    await page.click('button:has-text("Re-run now")');
    await page.waitForSelector('text=The job queue cannot be reached just now. Try again shortly.');
    expect(await page.locator('text=Deduplication queued.').count()).toBe(0);
    await context.close();
  });
});
