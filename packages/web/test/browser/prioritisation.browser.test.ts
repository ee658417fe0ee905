import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Review } from '@winnow/core';
import { waitForQueueIdle } from '@winnow/core/testing';
import path from 'node:path';
import { HAS_CHROMIUM, launchBrowser, SCREENSHOT_DIR, screenshot, signIn } from '../support/browser.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';
import { seedRecords } from '../screening-fixtures.ts';

if (!HAS_CHROMIUM) console.warn('prioritisation browser test skipped: /usr/bin/chromium is not installed');

const PASSWORD = 'correct horse battery';

async function lastTrained(page: Page): Promise<string> {
  return (await page.innerText('[data-testid=last-trained]')).replace(/\s+/g, ' ').trim();
}

describe.skipIf(!HAS_CHROMIUM)('prioritisation page in Chromium: when the model trained, on what', () => {
  let app: TestApp;
  let browser: Browser;
  let review: Review;
  let lead: TestUser;
  let ann: TestUser;
  let bob: TestUser;
  let records: string[];
  const base = '/reviews/prio-page';
  const stage = 'title-abstract';

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    review = await app.review('prio-page', 'Prioritised review');
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['reviewer']);
    records = await seedRecords(app.rt.db, review.id, 12);
    const cfg = await lead.api('PUT', `${base}/stages/${stage}/config`, { order: 'prioritised' });
    expect(cfg.status).toBe(200);
    await waitForQueueIdle(app.config);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('says when the model last trained and on how many settled records, and the dashboard shows no job running', async () => {
    const { context, page } = await signIn(browser, app.url, lead.email, PASSWORD);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${base}/prioritisation`);
    await page.waitForSelector('[data-testid=last-trained]');
    expect(await lastTrained(page)).toBe(
      'No model yet: it trains as soon as at least one included and one excluded record are settled (so far 0 included, 0 excluded).',
    );
    await screenshot(page, 'prioritisation-no-model');

    // Both reviewers agree on four records: two included, two excluded. The first model trains
    // once one of each is settled; the default cadence (5) is not reached again.
    const votes: [string, 'include' | 'exclude'][] = [
      [records[0]!, 'include'],
      [records[1]!, 'exclude'],
      [records[2]!, 'include'],
      [records[3]!, 'exclude'],
    ];
    for (const [recordId, vote] of votes)
      for (const user of [ann, bob]) {
        const r = await user.api('POST', `${base}/stages/${stage}/decisions`, { recordId, vote });
        expect(r.status).toBe(201);
      }
    await waitForQueueIdle(app.config);
    const { rows } = await app.rt.db.query<{ labelled: number; relevant: number }>(
      `SELECT labelled, relevant FROM prioritisation_models WHERE review_id = $1`,
      [review.id],
    );
    expect(rows).toHaveLength(1);
    const { labelled, relevant } = rows[0]!;
    // The records that settled while the first retrain waited joined it: one job, not one per record.
    const { rows: jobs } = await app.rt.db.query(
      `SELECT 1 FROM jobs WHERE review_id = $1 AND name = 'prioritisation.retrain'`,
      [review.id],
    );
    expect(jobs).toHaveLength(1);
    // Trained two minutes ago, as far as the page can tell (the server's clock decides); the retrain took 1.5 s.
    await app.rt.db.query(
      `UPDATE prioritisation_models SET created_at = now() - interval '2 minutes', busy_ms = 1500 WHERE review_id = $1`,
      [review.id],
    );

    await page.reload();
    await page.waitForSelector('[data-testid=last-trained]:has-text("Last trained")');
    expect(await lastTrained(page)).toBe(
      `Last trained 2 minutes ago on ${labelled} settled records (${relevant} included, ${labelled - relevant} excluded); the retrain took 1.5 s.`,
    );
    // The stopping test in a lead's words: what it measures, and what would let it say stop, with its numbers.
    const status = await lead.api('GET', `${base}/prioritisation/${stage}`);
    const { pValue } = (status.body as { model: { stopping: { pValue: number } } }).model.stopping;
    const tableText = (await page.innerText('table')).replace(/\s+/g, ' ');
    expect(tableText).toContain(
      'Chance of this few includes among the last records screened if fewer than 95.0% of all includes had been found (p-value)',
    );
    expect(tableText).not.toContain('H0');
    expect(await page.innerText('[data-testid=stopping-chance]')).toBe(pValue.toPrecision(3));
    expect((await page.innerText('[data-testid=can-stop]')).trim()).toBe(
      `Not yet: stopping needs that chance below 5.0% (it is ${(100 * pValue).toFixed(1)}% now). It falls as more records are screened without finding new includes.`,
    );
    expect(await page.innerText('main')).toContain(
      `retrains each time 5 more records are settled (${4 - labelled} so far since it last trained)`,
    );
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    expect(await page.textContent('[data-testid=served-order]')).toMatch(
      /^Records are served most likely relevant first\. /,
    );
    await screenshot(page, 'prioritisation-last-trained');

    // Nothing waits or runs once the queue is idle, and the dashboard says so: no "Running" card.
    await page.goto(base);
    await page.waitForSelector('td:has-text("Training the prioritisation model")');
    expect(await page.$('section[aria-label="Running jobs"]')).toBeNull();
    await screenshot(page, 'prioritisation-dashboard');

    await page.goto(`${base}/settings`);
    const section = page.locator('[data-testid=settings-prioritisation-title-abstract]');
    await section.locator('label:has-text("Retrain after this many more settled records")').waitFor();
    // The model's switches, in words, as the cross-validated defaults set them (drug classes on,
    // the rest off); the lead turns drug classes off and picks the three-model ensemble, and both are stored.
    const drugs = section.getByLabel('Treat drugs of the same class as related');
    const resampling = section.getByLabel('Rebalance included and excluded records at each retrain');
    const ownModel = section.getByLabel('Let this review choose its own model');
    expect(await drugs.isChecked()).toBe(true);
    for (const box of [resampling, ownModel]) expect(await box.isChecked()).toBe(false);
    await section.screenshot({ path: path.join(SCREENSHOT_DIR, 'prioritisation-settings.png') });
    await drugs.uncheck();
    await section.locator(`#prio-${stage}-classifier`).selectOption('ensemble');
    const put = page.waitForResponse(
      (r) => r.request().method() === 'PUT' && r.url().endsWith(`/prioritisation/${stage}/settings`),
    );
    await section.getByRole('button', { name: 'Save prioritisation' }).click();
    expect((await put).status()).toBe(200);
    // The lead is told it is saved, and the note stays once the settings have reloaded.
    await section.locator('text=Saved.').waitFor();
    const saved = await lead.api('GET', `${base}/prioritisation/${stage}`);
    expect((saved.body as { settings: Record<string, unknown> }).settings).toMatchObject({
      classifier: 'ensemble',
      drugClasses: false,
      balance: 'weights',
      internalCv: false,
    });
    await page.reload();
    await section.locator('label:has-text("Retrain after this many more settled records")').waitFor();
    expect(await section.getByLabel('Treat drugs of the same class as related').isChecked()).toBe(false);
    await section.screenshot({ path: path.join(SCREENSHOT_DIR, 'prioritisation-settings-switches.png') });

    // With random order the page says the queues are served at random, not by the model.
    const random = await lead.api('PUT', `${base}/stages/${stage}/config`, { order: 'random' });
    expect(random.status).toBe(200);
    await page.goto(`${base}/prioritisation`);
    await page.waitForSelector('[data-testid=served-order]:has-text("random order")');
    expect(await page.textContent('[data-testid=served-order]')).not.toContain('most likely relevant first');
    await screenshot(page, 'prioritisation-random-order');
    await context.close();
  });
});
