import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Review } from '@winnow/core';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';
import { HAS_CHROMIUM, launchBrowser, screenshot, signIn } from '../support/browser.ts';
import { seedRecords, stageStatus, waitUntil } from '../screening-fixtures.ts';

if (!HAS_CHROMIUM) console.warn('screening browser test skipped: /usr/bin/chromium is not installed');

const PASSWORD = 'correct horse battery';

async function currentRecord(page: Page): Promise<string> {
  const handle = await page.waitForFunction(
    () => document.querySelector('[data-testid=screening-record]')?.getAttribute('data-record-id') || null,
  );
  return (await handle.jsonValue()) as string;
}

/** Presses `key` and waits until a different record is shown; returns the time it took. */
async function voteWith(page: Page, key: string, before: string): Promise<number> {
  const start = Date.now();
  await page.keyboard.press(key);
  await page.waitForFunction((prev) => {
    const el = document.querySelector('[data-testid=screening-record]');
    return el && el.getAttribute('data-record-id') !== prev;
  }, before);
  return Date.now() - start;
}

describe.skipIf(!HAS_CHROMIUM)('screening in the browser: two reviewers, a conflict, an adjudicator', () => {
  let app: TestApp;
  let review: Review;
  let ann: TestUser;
  let bob: TestUser;
  let cat: TestUser;
  let records: string[];

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    review = await app.review('screen-ui', 'Leadership for quality improvement');
    const lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['reviewer']);
    cat = await app.user('Cat', review, ['adjudicator']);
    records = await seedRecords(app.rt.db, review.id, 3);
    await lead.api('PUT', '/reviews/screen-ui/stages/title-abstract/config', {
      criteria:
        'Include: studies of leadership for quality improvement in health care.\nExclude: systematic reviews, non-health settings.',
      exclusionReasons: [
        { code: 'not-health', label: 'Not health care' },
        { code: 'review', label: 'Is a systematic review' },
      ],
      highlight: { include: ['leadership', 'quality improvement'], exclude: ['systematic review'] },
    });
    const r = await lead.api<{ jobId: string }>('POST', '/reviews/screen-ui/stages/title-abstract/route');
    await app.rt.queue.waitFor(r.body.jobId, 20_000);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('screens with the keyboard, resolves the conflict, and the record reaches full text', async () => {
    const browser = await launchBrowser();
    try {
      // Ann includes all three records with the I key.
      const a = await signIn(browser, app.url, ann.email, PASSWORD);
      await a.page.goto('/reviews/screen-ui/screening');
      let shown = await currentRecord(a.page);
      expect(await a.page.locator('mark.hl-include').count()).toBeGreaterThan(0);
      expect(await a.page.locator('mark.hl-exclude').count()).toBeGreaterThan(0);
      await screenshot(a.page, 'screening-title-abstract');
      const annSeen: string[] = [];
      const latencies: number[] = [];
      for (let i = 0; i < 2; i++) {
        annSeen.push(shown);
        latencies.push(await voteWith(a.page, 'i', shown));
        shown = await currentRecord(a.page);
      }
      annSeen.push(shown);
      await a.page.keyboard.press('i');
      await a.page.waitForSelector('[data-testid=screening-done][data-done=true]');
      expect(new Set(annSeen).size).toBe(3);
      // U undoes the last vote and brings the record back; I votes again.
      await a.page.keyboard.press('u');
      await a.page.waitForSelector(`[data-testid=screening-record][data-record-id="${annSeen[2]}"]`, {
        timeout: 5_000,
      });
      await a.page.keyboard.press('i');
      await a.page.waitForSelector('[data-testid=screening-done]');
      console.log(`vote-to-next in the browser (prefetched): ${latencies.join(', ')} ms`);

      // Bob excludes his first record with reason 2 (number key), includes the rest.
      const b = await signIn(browser, app.url, bob.email, PASSWORD);
      await b.page.goto('/reviews/screen-ui/screening');
      const conflicted = await currentRecord(b.page);
      await b.page.keyboard.press('2');
      expect(await b.page.locator('.reasons input[type=checkbox]').nth(1).isChecked()).toBe(true);
      await voteWith(b.page, 'e', conflicted);
      let next = await currentRecord(b.page);
      await voteWith(b.page, 'i', next);
      next = await currentRecord(b.page);
      await b.page.keyboard.press('i');
      await b.page.waitForSelector('[data-testid=screening-done][data-done=true]');

      await waitUntil(
        async () => (await stageStatus(app.rt.db, conflicted, 'title-abstract')) === 'conflict',
        20_000,
        'conflict',
      );

      // Cat adjudicates: the votes are hidden until she decides.
      const c = await signIn(browser, app.url, cat.email, PASSWORD);
      await c.page.goto('/reviews/screen-ui/conflicts');
      const card = await c.page.waitForSelector(`[data-testid=conflict][data-record-id="${conflicted}"]`);
      expect(await card.textContent()).toContain('hidden until you decide');
      await screenshot(c.page, 'screening-conflicts');
      await c.page.click('[data-testid=resolve-include]');
      await c.page.waitForSelector('[data-testid=no-conflicts]');

      await waitUntil(
        async () => (await stageStatus(app.rt.db, conflicted, 'full-text')) !== null,
        20_000,
        'record at full text',
      );
      expect(await stageStatus(app.rt.db, conflicted, 'title-abstract')).toBe('advanced');

      // Ann finds it in her full-text queue, with the full-text panel beside it.
      await waitUntil(
        async () => {
          const { rows } = await app.rt.db.query(
            `SELECT 1 FROM assignments WHERE record_id = $1 AND stage = 'full-text' AND reviewer_id = $2`,
            [conflicted, ann.id],
          );
          return rows.length > 0;
        },
        20_000,
        'full-text assignment',
      );
      await a.page.goto('/reviews/screen-ui/full-text');
      await currentRecord(a.page);
      await a.page.waitForSelector('[data-testid=fulltext-panel]');
      const { body } = await ann.api<{ record: { recordId: string }; upcoming: { recordId: string }[] }>(
        'GET',
        '/reviews/screen-ui/stages/full-text/next?prefetch=5',
      );
      expect([body.record, ...body.upcoming].map((r) => r.recordId)).toContain(conflicted);
      await screenshot(a.page, 'screening-full-text');
      expect(records).toContain(conflicted);
    } finally {
      await browser.close();
    }
  }, 90_000);
});
