import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli.ts';
import type { Page } from 'playwright-core';
import { HAS_CHROMIUM, launchBrowser, SCREENSHOT_DIR, signIn } from '../support/browser.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';

if (!HAS_CHROMIUM) console.warn('records-flow browser test skipped: /usr/bin/chromium is not installed');

const PASSWORD = 'correct horse battery';

/** What a 1280x800 screen shows (not the whole page), to look at layout as a person sees it. */
async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

describe.skipIf(!HAS_CHROMIUM)('records reach reviewers from the imports page with no further action', () => {
  let app: TestApp;
  let lead: TestUser;
  let ann: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('flow-ui', 'Leadership for quality improvement');
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    await app.user('Bob', review, ['reviewer']);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('an upload shows up on a reviewer’s open screening page; a held stage says so in plain words', async () => {
    const browser = await launchBrowser();
    try {
      // Ann already has the screening page open, with nothing to screen yet.
      const a = await signIn(browser, app.url, ann.email, PASSWORD);
      await a.page.setViewportSize({ width: 1280, height: 800 });
      await a.page.goto('/reviews/flow-ui/screening');
      await a.page.waitForSelector('[data-testid=screening-done][data-done=true]');
      await screenshot(a.page, 'shots-h6-1-empty-queue');

      const l = await signIn(browser, app.url, lead.email, PASSWORD);
      await l.page.setViewportSize({ width: 1280, height: 800 });
      await l.page.goto('/reviews/flow-ui/imports');
      await l.page.setInputFiles(
        'form[aria-label="Upload an export"] input[type=file]',
        path.join(REPO_ROOT, 'fixtures/demo/medline-ovid.ris'),
      );
      await l.page.getByLabel('Source').fill('MEDLINE');
      await l.page.getByRole('button', { name: 'Upload and import' }).click();
      await screenshot(l.page, 'shots-h6-2-lead-uploaded');

      // No reload, no route call: the record appears on Ann's page by itself.
      await a.page.waitForFunction(
        () => !!document.querySelector('[data-testid=screening-record]')?.getAttribute('data-record-id'),
        undefined,
        { timeout: 30_000 },
      );
      const shown = await a.page.getAttribute('[data-testid=screening-record]', 'data-record-id');
      const { rows } = await app.rt.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM assignments WHERE reviewer_id = $1 AND record_id = $2 AND state = 'open'`,
        [ann.id, shown],
      );
      expect(rows[0]!.n).toBe(1);
      await screenshot(a.page, 'shots-h6-3-records-arrived');

      // The lead holds the stage from the dashboard; Ann's page says so without a reload.
      await l.page.goto('/reviews/flow-ui');
      // The title/abstract row's own button: each row loads its stage on its own, so the first
      // "Put on hold" on screen can be the full-text row's (under load CI held full text instead).
      const titleAbstract = l.page.getByTestId('stage-hold-title-abstract');
      await titleAbstract.getByRole('button', { name: 'Put on hold' }).click();
      await titleAbstract.getByRole('button', { name: 'Open it' }).waitFor();
      await screenshot(l.page, 'shots-h6-4-lead-held');
      const notice = a.page.getByTestId('stage-held');
      await notice.waitFor({ timeout: 15_000 });
      const text = (await notice.textContent()) ?? '';
      expect(text).toMatch(/Title\/abstract screening is on hold/);
      expect(text).not.toMatch(/[A-Z_]{4,}:|[0-9a-f]{8}-[0-9a-f]{4}-/);
      // The record Ann had on screen leaves it: a vote now would only be refused.
      await a.page.waitForSelector(
        '[data-testid=screening-done]:text-is("Nothing to screen while this stage is on hold.")',
      );
      expect(await a.page.getAttribute('[data-testid=screening-record]', 'data-record-id')).toBe('');
      await a.page.keyboard.press('i');
      await screenshot(a.page, 'shots-h6-5-reviewer-held');
      const { rows: votes } = await app.rt.db.query(`SELECT 1 FROM decisions WHERE record_id = $1`, [shown]);
      expect(votes).toEqual([]);
      // Nothing is served while held.
      expect((await ann.api('GET', '/reviews/flow-ui/stages/title-abstract/next')).status).toBe(204);
    } finally {
      await browser.close();
    }
  }, 90_000);
});
