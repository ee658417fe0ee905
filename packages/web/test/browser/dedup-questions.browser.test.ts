import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { addMember, type Review } from '@winnow/core';
import { MANUAL_SAME } from '@winnow/ingest';
import { HAS_CHROMIUM, launchBrowser, SCREENSHOT_DIR, signIn } from '../support/browser.ts';
import { ris, risVolumes } from '../support/dedup-variants.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';

if (!HAS_CHROMIUM) console.warn('dedup-questions browser test skipped: /usr/bin/chromium is not installed');

const PASSWORD = 'correct horse battery';
const SHOTS = process.env.WINNOW_SHOTS_DIR ?? SCREENSHOT_DIR;

describe.skipIf(!HAS_CHROMIUM)('one question for two groups, on the Duplicates page', () => {
  let app: TestApp;
  let browser: Browser;
  let review: Review;
  let lead: TestUser;
  let reviewer: TestUser;
  let series: Review;

  beforeAll(async () => {
    app = await startTestApp();
    review = await app.review('dedup-once-ui', 'Dedup once');
    lead = await app.user('Lead', review, ['lead']);
    reviewer = await app.user('Reviewer', review, ['reviewer']);
    for (const [fileName, text] of [
      ['embase.ris', ris('a', 6)],
      ['scopus.ris', ris('b', 5)],
    ] as const) {
      const res = await lead.api<{ importId: string; jobId: string }>(
        'POST',
        `/reviews/${review.slug}/imports?fileName=${fileName}`,
        text,
      );
      expect(res.status).toBe(202);
      await app.rt.queue.waitFor(res.body.jobId);
      await app.rt.queue.waitFor(`dedup-${review.id}-${res.body.importId}`);
    }
    series = await app.review('dedup-series-ui', 'Dedup series');
    await addMember(app.rt.db, { reviewId: series.id, userId: lead.id, role: 'lead' });
    const imp = await lead.api<{ importId: string; jobId: string }>(
      'POST',
      `/reviews/${series.slug}/imports?fileName=series.ris`,
      risVolumes(5),
    );
    expect(imp.status).toBe(202);
    await app.rt.queue.waitFor(imp.body.jobId);
    await app.rt.queue.waitFor(`dedup-${series.id}-${imp.body.importId}`);
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('a reviewer sees what one answer covers and no pair export', async () => {
    const { page, context } = await signIn(browser, app.url, reviewer.email, PASSWORD);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`/reviews/${review.slug}/duplicates`);
    await page.waitForSelector('[data-testid=covers]');
    expect(await page.textContent('section[aria-label="Review queue"] h2')).toBe('To review: 1 question');
    expect(await page.textContent('[data-testid=covers]')).toMatch(
      /^This answer covers 11 records: the left record's group of [56] and the right record's group of [56] \(30 record pairs\)\.$/,
    );
    expect(await page.textContent('[data-testid=pending-pairs]')).toMatch(
      /^They cover \d+ compared record pairs\.$/,
    );
    // Both wait on the viewer's roles: the answer buttons show once they are known.
    await page.waitForSelector('button:has-text("Same report")');
    expect(await page.locator('a', { hasText: 'Export compared pairs' }).count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/duplicates-reviewer-one-question.png` });
    await context.close();
  });

  it('a lead downloads the pairs, answers once and the two groups become one', async () => {
    const { page, context } = await signIn(browser, app.url, lead.email, PASSWORD);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`/reviews/${review.slug}/duplicates`);
    await page.waitForSelector('[data-testid=covers]');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a:has-text("Export compared pairs")'),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe(
      'record_a,record_b,source_file_a,source_index_a,source_file_b,source_index_b,status,score,reason',
    );
    const pending = csv.filter((l) => l.includes(',pending,')).length;
    expect(pending).toBeGreaterThan(1);
    expect(await page.textContent('[data-testid=pending-pairs]')).toBe(
      `They cover ${pending} compared record pairs.`,
    );
    await page.screenshot({ path: `${SHOTS}/duplicates-lead-one-question.png` });
    const [answer] = await Promise.all([
      page.waitForResponse(
        (r) => r.url().endsWith('/duplicates/decisions') && r.request().method() === 'POST',
      ),
      page.keyboard.press('s'),
    ]);
    expect(answer.status()).toBe(202);
    await page.waitForSelector('text=Marked the same report (11 records): merging.');
    await page.waitForSelector('text=Nothing to review.');
    await app.rt.queue.waitFor(((await answer.json()) as { jobId: string }).jobId);
    await page.reload();
    await page.waitForSelector('section[aria-label="Duplicate groups"] tbody tr');
    const rows = page.locator('section[aria-label="Duplicate groups"] tbody tr');
    expect(await rows.count()).toBe(1);
    const members = rows.first().locator('td').nth(1).locator('div');
    expect(await members.count()).toBe(11);
    // The group is named by its kept record's title, which opens that record; no id on the page.
    const groups = (await page.textContent('section[aria-label="Duplicate groups"]')) ?? '';
    expect(groups).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(await members.first().textContent()).toMatch(/^kept · /);
    expect(await members.nth(1).textContent()).toMatch(
      /^((certain|likely) duplicate|joined by a reviewer) · /,
    );
    // The records the answer joined say who joined them, not "certain duplicate" as the rule's do.
    expect(await members.allTextContents()).toContainEqual(expect.stringMatching(/^joined by a reviewer · /));
    await page.screenshot({ path: `${SHOTS}/duplicates-lead-answered.png` });
    await rows.first().locator('td').first().locator('a').click();
    await page.waitForSelector('#rec-sources:has-text("11 records of this report")');
    // A record the answer joined says on its own page who grouped it, not "certain duplicates".
    const { rows: joined } = await app.rt.db.query<{ record_id: string }>(
      `SELECT record_id FROM dedup_members WHERE review_id = $1 AND reason = $2 LIMIT 1`,
      [review.id, MANUAL_SAME],
    );
    await page.goto(`/reviews/${review.slug}/records/${joined[0]!.record_id}`);
    await page.waitForSelector('#rec-sources:has-text("11 records of this report")');
    expect(await page.textContent('section[aria-labelledby=rec-sources]')).toContain(
      'A reviewer marked this record the same report as the others.',
    );
    await context.close();
  });

  it('five records of one title in five volumes are one question, settled by "All different reports"', async () => {
    const { page, context } = await signIn(browser, app.url, lead.email, PASSWORD);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`/reviews/${series.slug}/duplicates`);
    await page.waitForSelector('[aria-label="Other records of this question"]');
    expect(await page.textContent('section[aria-label="Review queue"] h2')).toBe('To review: 1 question');
    expect(await page.textContent('[aria-label="Other records of this question"] p')).toBe(
      'These two are part of 5 records in 5 groups that may be one report. The others:',
    );
    expect(await page.locator('[aria-label="Other records of this question"] li').count()).toBe(3);
    expect(await page.textContent('[data-testid=covers-all]')).toMatch(
      /^This match is one of 5 linked groups, 5 records in all \(\s*10 record pairs\): the others are listed under the pair, and one answer can settle them all\.$/,
    );
    await page.screenshot({ path: `${SHOTS}/duplicates-lead-series-question.png` });
    await page.screenshot({ path: `${SHOTS}/duplicates-lead-series-question-full.png`, fullPage: true });
    const [answer] = await Promise.all([
      page.waitForResponse(
        (r) => r.url().endsWith('/duplicates/decisions') && r.request().method() === 'POST',
      ),
      page.click('button:has-text("All different reports")'),
    ]);
    expect(answer.status()).toBe(202);
    await page.waitForSelector('text=Marked all different reports (5 records).');
    await page.waitForSelector('text=Nothing to review.');
    await app.rt.queue.waitFor(((await answer.json()) as { jobId: string }).jobId);
    await page.reload();
    // "Nothing to review." shows only once the queue has been read.
    await page.waitForSelector('text=Nothing to review.');
    expect(await page.textContent('section[aria-label="Review queue"] h2')).toBe('To review: 0 questions');
    await context.close();
  });

  it('a lead splits the merged group: the question and the answer name it by title, never by id', async () => {
    const { page, context } = await signIn(browser, app.url, lead.email, PASSWORD);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`/reviews/${review.slug}/duplicates`);
    const row = page.locator('section[aria-label="Duplicate groups"] tbody tr').first();
    await row.waitFor();
    const title = (await row.locator('td').first().textContent()) ?? '';
    expect(title).not.toBe('');
    // The heading counts every group, not the ones on this page.
    const all = await lead.api<{ total: number }>('GET', `/reviews/${review.slug}/duplicates/groups?limit=1`);
    expect(await page.textContent('section[aria-label="Duplicate groups"] h2')).toBe(
      `Groups (${all.body.total})`,
    );
    const asked = new Promise<string>((resolve) => {
      page.once('dialog', (d) => {
        resolve(d.message());
        void d.accept();
      });
    });
    await row.getByRole('button', { name: 'Split' }).click();
    expect(await asked).toBe(`Split the group “${title}” into 11 separate records?`);
    const said = page.locator('[role=status]', { hasText: 'Split the group' });
    await said.waitFor();
    expect(await said.textContent()).toBe(`Split the group “${title}”: re-running deduplication.`);
    expect(await page.textContent('main')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    await context.close();
  });
});
