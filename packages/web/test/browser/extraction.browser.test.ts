import { readFile } from 'node:fs/promises';
import { readXlsx, seedIncludedReports, tinyPdf } from '@winnow/extraction/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, launchBrowser, screenshot, signIn } from '../support/browser.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';

if (!HAS_CHROMIUM) console.warn('skipping extraction browser test: /usr/bin/chromium is not installed');

const ABSTRACT =
  'Leaders set out clear roles for every improvement team. Data collection was a burden on ward staff.';

describe.skipIf(!HAS_CHROMIUM)('extraction coding in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let lead: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('extraction-browser', 'Extraction browser review');
    // The lead codes too (single coding), so the coding is final and shows in the wide table.
    lead = await app.user('Lead', review, ['lead', 'reviewer']);
    await seedIncludedReports(app.rt.db, review.id, [
      {
        title: 'Leadership for improvement: a review',
        authors: [{ family: 'Alpha', given: 'A' }],
        year: 2020,
        abstract: ABSTRACT,
        pdf: tinyPdf('Leaders set out clear roles for every improvement team.'),
      },
    ]);
    const base = '/reviews/extraction-browser/extraction';
    expect((await lead.api('PUT', `${base}/settings`, { codersPerStudy: 1 })).status).toBe(200);
    const { body } = await lead.api<{ jobId: string }>('POST', `${base}/assign`);
    for (let i = 0; i < 200; i++) {
      const r = await lead.api<{ job: { state: string } }>(
        'GET',
        `/reviews/extraction-browser/jobs/${body.jobId}`,
      );
      if (r.body.job.state === 'completed') break;
      await new Promise((res) => setTimeout(res, 50));
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('opens an included study, codes it with a quotation, adds an emergent code and exports the XLSX', async () => {
    const { context, page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    await page.goto('/reviews/extraction-browser/extraction');
    await page.click('text=Leadership for improvement');
    await page.waitForSelector('form.coding-form');
    // The full text sits beside the form and is served as a PDF.
    const src = await page.getAttribute('iframe.fulltext', 'src');
    const pdf = await page.request.get(src!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');

    // Submitting with a required field empty marks that field, in words, with no ids on screen.
    await page.click('button[type=submit]');
    await page.waitForSelector('fieldset[data-field=publication_type][aria-invalid=true] .field-error');
    expect(await page.textContent('fieldset[data-field=publication_type] .field-error')).toBe(
      'This field is required',
    );
    expect(await page.textContent('[role=status]')).toBe(
      'The coding was not submitted: fix the highlighted fields.',
    );
    expect(await page.textContent('main')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|[A-Z_]{4,}:/);
    await screenshot(page, 'extraction-coding-invalid');
    // Nothing pushes the page sideways at 1280 px (long option labels once did).
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);

    await page.selectOption('select[name=publication_type]', 'academic.systematic_review');
    await page.selectOption('select[name=geography]', 'international.including_uk');
    await page.selectOption('select[name=learning_aim]', 'explicit.core');
    await page.check('input[name="improvement_approach:pdsa"]');
    await page.check('input[name="influences:leadership.clear_roles"]');

    await page.waitForSelector('.source-text [data-page="1"] p');
    // Select a sentence of the PDF's text (page 1) and take it as the quotation for the code.
    // A script string: this file is type-checked without the DOM library.
    await page.evaluate(`(() => {
      const p = document.querySelector('.source-text [data-page="1"] p');
      const range = document.createRange();
      range.setStart(p.firstChild, 0);
      range.setEnd(p.firstChild, ${JSON.stringify('Leaders set out clear roles for every improvement team.')}.length);
      document.getSelection().removeAllRanges();
      document.getSelection().addRange(range);
    })()`);
    await page.click('[data-quote-for="leadership.clear_roles"]');
    await page.waitForSelector('[data-quote="Leaders set out clear roles for every improvement team."]');

    await page.fill('input[name="emergent-label:influences"]', 'Data burden on staff');
    await page.selectOption('select[name="emergent-parent:influences"]', 'data');
    await page.click('text=Add emergent code');
    await page.waitForSelector('input[name="influences:emergent.data_burden_on_staff"]:checked');
    // Listed under the theme it was proposed for, not as a theme of its own.
    const underData =
      'li:has(> label > input[name="influences:data"]) input[name="influences:emergent.data_burden_on_staff"]';
    expect(await page.locator(underData).count()).toBe(1);
    // The same name again is the code already applied: said so, and the coding still submits.
    await page.fill('input[name="emergent-label:influences"]', 'Data burden on staff');
    await page.click('text=Add emergent code');
    await page.waitForSelector(
      '[role=status]:has-text("“Data burden on staff” is already applied to this study.")',
    );
    expect(await page.locator('input[name="influences:emergent.data_burden_on_staff"]').count()).toBe(1);
    // Saved as a draft and read again, the code is still there, applied.
    await page.click('button:has-text("Save draft")');
    await expect.poll(() => page.textContent('[role=status]')).toBe('Draft saved.');
    await page.reload();
    await page.waitForSelector('input[name="influences:emergent.data_burden_on_staff"]:checked');
    expect(await page.locator(underData).count()).toBe(1);

    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('[role=status]')).toBe('Submitted.');
    expect(await page.$('fieldset[aria-invalid=true]')).toBeNull();
    await screenshot(page, 'extraction-coding');

    // Scroll up to the link first, as a person would: the click that Playwright scrolls for itself
    // from the foot of this long page (a sticky column holds Chromium's PDF viewer) can miss it.
    const back = page.locator('main a[href="/reviews/extraction-browser/extraction"]');
    await back.scrollIntoViewIfNeeded();
    await back.click();
    await page.waitForSelector('main.extraction');
    await page.waitForSelector('[data-emergent="emergent.data_burden_on_staff"]');
    // Where it was proposed, by the codebook's labels, not its keys.
    const place = (await page.textContent('[data-emergent="emergent.data_burden_on_staff"] .muted')) ?? '';
    expect(place).toMatch(/^\(.+ › .+\) · proposed$/);
    expect(place).not.toMatch(/\(influences|› data\)/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-export=xlsx]')]);
    const sheets = await readXlsx(await readFile((await download.path())!));
    const wide = sheets.get('wide')!;
    const cell = (col: string) => wide.rows[1]![wide.rows[0]!.indexOf(col)];
    expect(wide.formulas).toBe(0);
    expect(cell('publication_type')).toBe('Systematic review');
    expect(cell('improvement_approach:pdsa')).toBe(1);
    expect(cell('improvement_approach:lean')).toBe(0);
    expect(cell('influences:leadership.clear_roles')).toBe(1);
    expect(cell('influences:emergent.data_burden_on_staff')).toBe(1);
    const long = sheets.get('long')!;
    const header = long.rows[0]!;
    const quoted = long.rows.find((r) => r[header.indexOf('code')] === 'leadership.clear_roles')!;
    expect(quoted[header.indexOf('quotation')]).toBe(
      'Leaders set out clear roles for every improvement team.',
    );
    expect(quoted[header.indexOf('page')]).toBe(1);
    const emergent = long.rows.find((r) => r[header.indexOf('code')] === 'emergent.data_burden_on_staff')!;
    expect(emergent[header.indexOf('inductive')]).toBe(1);
    await context.close();
  });
});
