import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { seriousAxeViolations } from '../support/axe.ts';
import { HAS_CHROMIUM, launchBrowser, signIn } from '../support/browser.ts';
import { insertLibraryRecords, LIBRARY_RECORDS } from '../support/library-records.ts';
import { stageStatus, waitUntil } from '../screening-fixtures.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';

if (!HAS_CHROMIUM)
  console.warn('skipping browser tests: /usr/bin/chromium is not installed (apt-get install chromium)');

const SHOTS = '/tmp/shots/h16b';

/** The record page: reached from the records list, its history as blinding allows, notes. */
describe.skipIf(!HAS_CHROMIUM)('record page in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let lead: TestUser;
  let ann: TestUser;
  let ids: string[];
  const base = '/reviews/record-page-browser';

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('record-page-browser', 'Record page review');
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    const bob = await app.user('Bob', review, ['reviewer']);
    ids = await insertLibraryRecords(app.rt.db, review.id, 'embase.ris');
    await lead.api('PUT', `${base}/stages/title-abstract/config`, {
      exclusionReasons: [{ code: 'setting', label: 'Not a healthcare setting' }],
    });
    const routed = await lead.api<{ jobId: string }>('POST', `${base}/stages/title-abstract/route`);
    await app.rt.queue.waitFor(routed.body.jobId, 20_000);
    for (const who of [ann, bob])
      await who.api('POST', `${base}/stages/title-abstract/decisions`, {
        recordId: ids[0],
        vote: 'exclude',
        reasons: ['setting'],
        note: `${who === ann ? 'Ann' : 'Bob'} thinks this is a school`,
      });
    await waitUntil(
      async () => (await stageStatus(app.rt.db, ids[0]!, 'title-abstract')) === 'excluded',
      20_000,
      'record excluded',
    );
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('a lead opens a record from the list, reads its history and adds a note', async () => {
    const { context, page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${app.url}${base}/records`);
    await page.click(`.records-item > a:text-is("${LIBRARY_RECORDS[0]!.title}")`);
    await page.waitForSelector('h1:has-text("' + LIBRARY_RECORDS[0]!.title + '")');
    expect(await page.textContent('#rec-stages + ul')).toContain('Title and abstract: Excluded');
    const history = await page.locator('.record-history li').allTextContents();
    expect(history.filter((h) => h.includes('Vote: Exclude: Not a healthcare setting'))).toHaveLength(2);
    expect(history.join('\n')).toContain('Bob thinks this is a school');
    expect(await page.textContent('.record-sources')).toContain('embase.ris');
    expect(await page.isVisible('.record-sources pre')).toBe(false);
    await page.click('.record-sources summary');
    expect(await page.isVisible('.record-sources pre')).toBe(true);
    await page.fill('#rec-note', 'Check the 2020 erratum');
    await page.click('button:has-text("Save note")');
    await page.waitForSelector('section[aria-labelledby=rec-notes] li:has-text("Check the 2020 erratum")');
    expect(await page.textContent('section[aria-labelledby=rec-notes] li')).toContain('Lead');
    await page.screenshot({ path: `${SHOTS}/record-page-lead.png`, fullPage: false });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });

  it("a reviewer who voted sees her own vote and the outcome, not Bob's vote", async () => {
    const { context, page } = await signIn(browser, app.url, ann.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${app.url}${base}/records/${ids[0]}`);
    await page.waitForSelector('.record-history');
    const history = (await page.locator('.record-history li').allTextContents()).join('\n');
    expect(history).toContain('Ann thinks this is a school');
    expect(history).not.toContain('Bob');
    expect(history).not.toContain('2 reviewers');
    expect(history).toContain('Outcome: excluded');
    expect(await page.textContent('section[aria-labelledby=rec-history]')).toContain('screening is blind');
    await page.screenshot({ path: `${SHOTS}/record-page-reviewer.png`, fullPage: false });
    await context.close();
  });
});
