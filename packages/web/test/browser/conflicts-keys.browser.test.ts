import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { HAS_CHROMIUM, launchBrowser, signIn } from '../support/browser.ts';
import { insertLibraryRecords } from '../support/library-records.ts';
import { stageStatus, waitUntil } from '../screening-fixtures.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';

if (!HAS_CHROMIUM)
  console.warn('skipping browser tests: /usr/bin/chromium is not installed (apt-get install chromium)');

const SHOTS = '/tmp/shots/h16b';

/** An adjudicator reads the whole record (abstract with highlights) and resolves with the keyboard. */
describe.skipIf(!HAS_CHROMIUM)('adjudication with the whole record in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let cat: TestUser;
  let ids: string[];
  const base = '/reviews/conflicts-keys';

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('conflicts-keys', 'Conflicts review');
    const lead = await app.user('Lead', review, ['lead']);
    const ann = await app.user('Ann', review, ['reviewer']);
    const bob = await app.user('Bob', review, ['reviewer']);
    cat = await app.user('Cat', review, ['adjudicator']);
    ids = await insertLibraryRecords(app.rt.db, review.id, 'embase.ris');
    await lead.api('PUT', `${base}/stages/title-abstract/config`, {
      highlight: { include: ['lean'], exclude: [] },
      exclusionReasons: [
        { code: 'design', label: 'Wrong study design' },
        { code: 'setting', label: 'Not a healthcare setting' },
      ],
    });
    const routed = await lead.api<{ jobId: string }>('POST', `${base}/stages/title-abstract/route`);
    await app.rt.queue.waitFor(routed.body.jobId, 20_000);
    await ann.api('POST', `${base}/stages/title-abstract/decisions`, {
      recordId: ids[0],
      vote: 'include',
      note: 'Ann says wards are in scope',
    });
    await bob.api('POST', `${base}/stages/title-abstract/decisions`, {
      recordId: ids[0],
      vote: 'exclude',
      reasons: ['setting'],
    });
    await waitUntil(
      async () => (await stageStatus(app.rt.db, ids[0]!, 'title-abstract')) === 'conflict',
      20_000,
      'conflict',
    );
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the abstract with highlights, hides the votes, and resolves with 2 then E', async () => {
    const { context, page } = await signIn(browser, app.url, cat.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${app.url}${base}/conflicts`);
    const card = page.locator(`[data-testid=conflict][data-record-id="${ids[0]}"]`);
    await card.waitFor();
    expect(await card.locator('.conflict-abstract').textContent()).toBe('Lean methods.');
    expect(await card.locator('.conflict-abstract mark.hl-include').textContent()).toBe('Lean');
    expect(await card.locator('.conflict-authors').textContent()).toBe('Okafor, N.');
    expect(await card.textContent()).toContain('Votes are hidden until you decide');
    expect(await card.textContent()).not.toContain('Ann says');
    await page.screenshot({ path: `${SHOTS}/conflicts-adjudicator.png` });
    await page.keyboard.press('2');
    await expect
      .poll(() => card.locator('select[aria-label="Exclusion reason"]').inputValue())
      .toBe('setting');
    await page.keyboard.press('e');
    await page.waitForSelector('[role=status]:has-text("Resolved")');
    await waitUntil(
      async () => (await stageStatus(app.rt.db, ids[0]!, 'title-abstract')) === 'excluded',
      20_000,
      'excluded',
    );
    const { rows } = await app.rt.db.query<{ vote: string; reasons: string[] }>(
      `SELECT vote, reasons FROM resolutions WHERE record_id = $1`,
      [ids[0]],
    );
    expect(rows).toEqual([{ vote: 'exclude', reasons: ['setting'] }]);
    await context.close();
  });
});
