import type { Review } from '@winnow/core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, launchBrowser, screenshot, settled, signIn } from '../support/browser.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';
import { seedRecords } from '../screening-fixtures.ts';

if (!HAS_CHROMIUM) console.warn('session-ended browser test skipped: /usr/bin/chromium is not installed');

const PASSWORD = 'correct horse battery';
const RECORD = '[data-testid=screening-record]';
const DIALOG = '[data-testid=session-ended]';
/** An error code as the API spells it, a UUID or a header's name: none belongs on a page. */
const INTERNALS = /\b[A-Z_]{4,}\b|[0-9a-f]{8}-[0-9a-f]{4}-|[Cc][Ss][Rr][Ff]|[Bb]earer|--[a-z]/;

async function shownRecord(page: Page): Promise<string> {
  const handle = await page.waitForFunction(
    (sel) => document.querySelector(sel)?.getAttribute('data-record-id') || null,
    RECORD,
  );
  return (await handle.jsonValue()) as string;
}

async function decisionsOf(app: TestApp, userId: string) {
  const { rows } = await app.rt.db.query<{ recordId: string; vote: string; reasons: string[]; note: string }>(
    `SELECT record_id AS "recordId", vote, reasons, note FROM decisions
     WHERE reviewer_id = $1 AND stage = 'title-abstract' ORDER BY id`,
    [userId],
  );
  return rows;
}

describe.skipIf(!HAS_CHROMIUM)('signed out in another tab while screening', () => {
  let app: TestApp;
  let review: Review;
  let ann: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    review = await app.review('session-ended', 'Signed out while screening');
    const lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    await seedRecords(app.rt.db, review.id, 3);
    await lead.api('PUT', '/reviews/session-ended/stages/title-abstract/config', {
      criteria: 'Include: leadership for quality improvement.',
      exclusionReasons: [{ code: 'not-health', label: 'Not health care' }],
    });
    const r = await lead.api<{ jobId: string }>('POST', '/reviews/session-ended/stages/title-abstract/route');
    await app.rt.queue.waitFor(r.body.jobId, 20_000);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('a vote refused for the session never looks cast; signing in again goes on from the same record', async () => {
    const browser = await launchBrowser();
    try {
      const { context, page } = await signIn(browser, app.url, ann.email, PASSWORD);
      await page.goto('/reviews/session-ended/screening');
      const first = await shownRecord(page);
      await settled(page);

      // Another tab of the same browser signs out.
      const other = await context.newPage();
      await other.goto('/');
      await other.click('header.top button:has-text("Sign out")');
      await other.waitForSelector('input[name=email]');

      // A reason (number key) and a note, then E: the server refuses the vote.
      await page.keyboard.press('1');
      await page.fill('textarea[aria-label=Note]', 'half-written thought');
      await page.keyboard.press('Escape');
      await page.keyboard.press('e');
      await page.waitForSelector(DIALOG);
      await settled(page);

      // Not cast: the same record, with its reason and note, and "Your records" as before.
      expect(await shownRecord(page)).toBe(first);
      expect(await page.locator('.reasons input[type=checkbox]').first().isChecked()).toBe(true);
      expect(await page.inputValue('textarea[aria-label=Note]')).toBe('half-written thought');
      expect(await page.locator('[aria-label="Your records"] .muted').textContent()).toMatch(/: 0 \//);
      expect(await decisionsOf(app, ann.id)).toEqual([]);
      // Told in words: signed out, the vote not saved, and how to go on.
      const said = `${await page.locator('[role=alert]').first().textContent()} ${await page.locator(DIALOG).textContent()}`;
      expect(said).toMatch(/signed out/i);
      expect(said).toMatch(/not saved/);
      expect(said).toMatch(/Sign in again/);
      expect(said).not.toMatch(INTERNALS);
      await screenshot(page, 'session-ended-vote-refused');

      // Keys do nothing behind the sign-in form.
      await page.locator(DIALOG).click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('i');
      await settled(page);
      expect(await decisionsOf(app, ann.id)).toEqual([]);
      expect(await shownRecord(page)).toBe(first);

      // Signing in again in the form keeps the page: the same record, the reason and note.
      await page.fill(`${DIALOG} input[name=password]`, PASSWORD);
      await page.click(`${DIALOG} button[type=submit]`);
      await page.waitForSelector(DIALOG, { state: 'detached' });
      await settled(page);
      expect(await shownRecord(page)).toBe(first);
      expect(await page.inputValue('textarea[aria-label=Note]')).toBe('half-written thought');
      expect(await page.locator('[role=alert]').count()).toBe(0);

      // E again casts it, with its reason and note.
      const cast = page.waitForResponse(
        (r) => r.request().method() === 'POST' && r.url().endsWith('/stages/title-abstract/decisions'),
      );
      await page.keyboard.press('e');
      expect((await cast).status()).toBe(201);
      await page.waitForFunction(
        ([sel, prev]) => {
          const id = document.querySelector(sel!)?.getAttribute('data-record-id');
          return id && id !== prev;
        },
        [RECORD, first],
      );
      await settled(page);
      expect(await decisionsOf(app, ann.id)).toEqual([
        { recordId: first, vote: 'exclude', reasons: ['not-health'], note: 'half-written thought' },
      ]);
    } finally {
      await browser.close();
    }
  }, 90_000);
});
