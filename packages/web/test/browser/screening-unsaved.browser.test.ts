import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Dialog, Route } from 'playwright-core';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';
import { HAS_CHROMIUM, launchBrowser, screenshot, signIn } from '../support/browser.ts';
import { routeTitleAbstract, seedRecords, waitUntil } from '../screening-fixtures.ts';

if (!HAS_CHROMIUM) console.warn('unsaved votes browser test skipped: /usr/bin/chromium is not installed');

const SLUG = 'screen-unsaved';

/** A vote shows as cast at once and is saved behind the reviewer's back: closing the tab first asks. */
describe.skipIf(!HAS_CHROMIUM)('votes not saved yet', () => {
  let app: TestApp;
  let ann: TestUser;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review(SLUG, 'Unsaved votes');
    const lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    await app.user('Bob', review, ['reviewer']);
    await seedRecords(app.rt.db, review.id, 6);
    await routeTitleAbstract(app, lead, SLUG);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** Ann's screening page with a record on it, and the id of the record it shows. */
  async function openScreening() {
    const { context, page } = await signIn(browser, app.url, ann.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`/reviews/${SLUG}/screening`);
    const shown = () => page.getAttribute('[data-testid=screening-record]', 'data-record-id');
    await page.waitForFunction(
      () => !!document.querySelector('[data-testid=screening-record]')?.getAttribute('data-record-id'),
    );
    return { context, page, shown };
  }

  const stored = async () =>
    (await app.rt.db.query(`SELECT 1 FROM decisions WHERE reviewer_id = $1`, [ann.id])).rows.length;

  it('asks before the tab closes while votes are unsaved, and closes quietly once they are saved', async () => {
    const { context, page, shown } = await openScreening();
    // The server's answer to the first vote is held back, as on a slow network.
    const held: Route[] = [];
    // Both votes' requests are held (they go at once: they are on different records).
    await page.route('**/stages/title-abstract/decisions', (route) => {
      held.push(route);
    });
    const first = await shown();
    await page.keyboard.press('i');
    await expect.poll(shown).not.toBe(first);
    await page.keyboard.press('e');
    await expect
      .poll(() => page.textContent('[data-testid=unsaved-votes]'))
      .toBe('Saving your last 2 votes…');
    await expect.poll(() => held.length).toBe(2);
    await screenshot(page, 'screening-unsaved-votes');

    const dialogs: Dialog[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d);
      void d.dismiss();
    });
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => dialogs.map((d) => d.type())).toEqual(['beforeunload']);
    expect(page.isClosed()).toBe(false);

    // Let the answers through: both votes are saved, the page says nothing more, and closes unasked.
    for (const r of held) await r.continue();
    await waitUntil(async () => (await stored()) === 2, 10_000, 'both votes stored');
    // Every answer back (the server stores a vote before its answer reaches the page).
    await page.waitForSelector('main[data-unsaved="0"]');
    expect(await page.locator('[data-testid=unsaved-votes]').count()).toBe(0);
    const closed = page.waitForEvent('close');
    await page.close({ runBeforeUnload: true });
    await closed;
    expect(dialogs).toHaveLength(1);
    await context.close();
  });

  it('saves the votes cast after one whose answer is slow, without waiting for it', async () => {
    const { context, page, shown } = await openScreening();
    const before = await stored();
    // The first vote's request hangs (a busy server); the two after it go through.
    const held: Route[] = [];
    await page.route('**/stages/title-abstract/decisions', (route) => {
      if (held.length === 0) held.push(route);
      else void route.continue();
    });
    for (const key of ['i', 'e', 'i']) {
      const was = await shown();
      await page.keyboard.press(key);
      await expect.poll(shown).not.toBe(was);
    }
    await waitUntil(async () => (await stored()) === before + 2, 10_000, 'the two later votes stored');
    expect(held).toHaveLength(1);
    await page.waitForSelector('main[data-unsaved="1"]');
    await held[0]!.continue();
    await waitUntil(async () => (await stored()) === before + 3, 10_000, 'the slow vote stored');
    await page.waitForSelector('main[data-unsaved="0"]');
    await context.close();
  });
});
