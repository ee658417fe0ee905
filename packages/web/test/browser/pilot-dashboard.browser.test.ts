import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Review } from '@winnow/core';
import { HAS_CHROMIUM, launchBrowser, SCREENSHOT_DIR, signIn } from '../support/browser.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';
import { seedRecords } from '../screening-fixtures.ts';

if (!HAS_CHROMIUM) console.warn('pilot dashboard browser test skipped: /usr/bin/chromium is not installed');

const PASSWORD = 'correct horse battery';
const SHOTS = process.env.WINNOW_SHOTS_DIR ?? SCREENSHOT_DIR;

describe.skipIf(!HAS_CHROMIUM)('a lead runs a calibration pilot that does not reach agreement', () => {
  let app: TestApp;
  let browser: Browser;
  let review: Review;
  let lead: TestUser;
  let ann: TestUser;
  let bob: TestUser;
  const base = '/reviews/pilot-ui/stages/title-abstract';

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    review = await app.review('pilot-ui', 'Pilot review');
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['reviewer']);
    await seedRecords(app.rt.db, review.id, 6);
    const routed = await lead.api<{ jobId: string }>('POST', `${base}/route`);
    await app.rt.queue.waitFor(routed.body.jobId, 20_000);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** Screens every pilot record served to the reviewer, with the vote the record's turn gives. */
  async function screenPilot(reviewer: TestUser, vote: (i: number) => 'include' | 'exclude'): Promise<void> {
    for (let i = 0; ; i++) {
      const next = await reviewer.api<{ record: { recordId: string } }>('GET', `${base}/next`);
      if (next.status === 204) return;
      const cast = await reviewer.api('POST', `${base}/decisions`, {
        recordId: next.body.record.recordId,
        vote: vote(i),
      });
      expect(cast.status).toBe(201);
    }
  }

  it('says the pilot runs on the dashboard, why the stage stays closed, and who is short of reviewers', async () => {
    const started = await lead.api('POST', `${base}/calibration`, { size: 4, threshold: 0.6 });
    expect(started.status).toBeLessThan(300);
    const { page } = await signIn(browser, app.url, lead.email, PASSWORD);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/reviews/pilot-ui');
    // Closed for the pilot, not "open" to every record.
    const row = page.getByTestId('stage-hold-title-abstract');
    await row.getByText('calibration pilot running').waitFor();
    expect(await row.innerText()).not.toContain('open: new records go to reviewers');

    // Ann's screening page counts the pilot's records she can screen now, and says the rest wait.
    const annPage = (await signIn(browser, app.url, ann.email, PASSWORD)).page;
    await annPage.setViewportSize({ width: 1280, height: 800 });
    await annPage.goto('/reviews/pilot-ui/screening');
    await annPage.getByText('Your pilot records: 0 / 4').waitFor();
    await annPage.getByTestId('pilot-notice').getByText('2 more of your records wait until then.').waitFor();
    expect(await annPage.innerText('main')).not.toContain('Your records: 0 / 6');
    await annPage.screenshot({ path: `${SHOTS}/shots-pilot-reviewer.png` });
    await annPage.context().close();

    // Ann includes every pilot record, Bob includes two of four: kappa 0, below 0.6.
    await screenPilot(ann, () => 'include');
    await screenPilot(bob, (i) => (i % 2 === 0 ? 'include' : 'exclude'));
    await page.goto('/reviews/pilot-ui/settings');
    const status = page.getByTestId('calibration-status');
    await status.getByText('below the threshold of 0.6').waitFor();
    expect(await status.innerText()).toMatch(/stage stays closed.*open the stage with the button below/s);
    await status.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/shots-pilot-below-threshold.png` });

    // The lead opens the stage and removes Bob: Ann alone cannot give the second vote.
    await page.getByRole('button', { name: 'Stop the pilot and open the stage' }).click();
    await page.getByTestId('calibration-status').getByText('Pilot stopped early').waitFor();
    const removed = await lead.api<{ jobIds: string[] }>('DELETE', `/reviews/pilot-ui/members/${bob.id}`);
    expect(removed.status).toBe(200);
    for (const id of removed.body.jobIds) await app.rt.queue.waitFor(id, 20_000);
    await page.goto('/reviews/pilot-ui');
    const short = page.getByTestId('short-of-reviewers-title-abstract');
    await short.waitFor();
    expect(await short.innerText()).toMatch(
      /^\d+ records? still needs? a vote that no reviewer is left to give/,
    );
    await page.screenshot({ path: `${SHOTS}/shots-short-of-reviewers.png` });
  });
});
