import { seedIncludedReports, tinyPdf } from '@winnow/extraction/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, launchBrowser, screenshot, signIn } from '../support/browser.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';

if (!HAS_CHROMIUM) console.warn('skipping study links browser test: /usr/bin/chromium is not installed');

const SLUG = 'study-links-browser';

describe.skipIf(!HAS_CHROMIUM)('a lead joins the reports of one study in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let lead: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    const review = await app.review(SLUG, 'Study links review');
    lead = await app.user('Lead', review, ['lead']);
    await seedIncludedReports(app.rt.db, review.id, [
      {
        title: 'Lean on wards: trial protocol',
        authors: [{ family: 'Alpha', given: 'A' }],
        year: 2018,
        pdf: tinyPdf('The protocol sets out the wards and the measures.'),
      },
      {
        title: 'Lean on wards: trial results',
        authors: [{ family: 'Alpha', given: 'A' }],
        year: 2020,
        abstract: 'Falls fell by a third on the lean wards.',
        pdf: tinyPdf('Falls fell by a third on the lean wards.'),
      },
      {
        // A long title: the "Same study as…" list holds full citations, and must not widen the page.
        title:
          'Six sigma in theatres: a mixed-methods evaluation of waiting times, cancellations, staff experience and costs across twelve operating suites in three regions over five years of improvement work',
        authors: [{ family: 'Beta', given: 'B' }],
        year: 2019,
      },
    ]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('makes studies, joins the results paper to its protocol, then separates it again', async () => {
    const { context, page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    await page.goto(`/reviews/${SLUG}/extraction`);
    await page.waitForSelector('[data-testid=no-studies]');
    await page.click('button:has-text("Make studies of included reports")');
    await page.waitForSelector('tr[data-study="3"]');
    expect(await page.textContent('[role=status]')).toBe(
      '3 new studies, not yet given to coders. Join the reports of one study (“Same study as…”) before you assign them.',
    );
    // Study 2 (the results paper) is the same study as study 1 (its protocol).
    await page.selectOption('tr[data-study="2"] select', {
      label: '1. Alpha A (2018). Lean on wards: trial protocol.',
    });
    await page.click('tr[data-study="2"] button:has-text("Join")');
    await page.waitForSelector('tr[data-study="1"] ul[aria-label^="Reports of"] li >> nth=1');
    // Said in the row of the study it joined, where the lead looks next (the list may be long).
    await page.waitForSelector('tr[data-study="1"] [role=status]');
    expect(await page.locator('main > [role=status]').count()).toBe(0);
    expect(await page.textContent('tr[data-study="1"] [role=status]')).toBe(
      '“Lean on wards: trial results” is now a report of study 1, “Lean on wards: trial protocol”.',
    );
    expect(await page.locator('tbody tr').count()).toBe(2);
    expect(await page.textContent('tr[data-study="2"]')).toContain('Six sigma in theatres');
    const reports = page.locator('tr[data-study="1"] ul[aria-label^="Reports of"] a');
    expect(await reports.allTextContents()).toEqual([
      'Lean on wards: trial protocol',
      'Lean on wards: trial results',
    ]);
    expect(await page.textContent('main')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|[A-Z_]{4,}:/);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    await screenshot(page, 'study-links-joined');

    // Each report links to its record's page, whose history says which study it belongs to.
    await reports.nth(1).click();
    await page.waitForSelector(
      'text=Made a report of the study “Alpha A (2018). Lean on wards: trial protocol.”',
    );
    await page.goBack();

    // The coding page of the joined study shows each report's full text in turn.
    await page.click('tr[data-study="1"] a:has-text("Alpha A (2018)")');
    await page.waitForSelector('nav[aria-label="Reports of this study"]');
    await page.waitForSelector('.source-text [data-page="1"] p:has-text("The protocol sets out")');
    await page.click('nav[aria-label="Reports of this study"] button:has-text("Report 2 of 2")');
    await page.waitForSelector('.source-text [data-page="1"] p:has-text("Falls fell by a third")');
    expect(await page.textContent('.source-text h2')).toBe('Lean on wards: trial results');
    const src = await page.getAttribute('iframe.fulltext', 'src');
    const pdf = await page.request.get(src!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    // A quotation taken from it says which report it is of, as well as its page.
    await page.check('input[name="influences:leadership.clear_roles"]');
    await page.evaluate(`(() => {
      const p = document.querySelector('.source-text [data-page="1"] p');
      const range = document.createRange();
      range.setStart(p.firstChild, 0);
      range.setEnd(p.firstChild, p.firstChild.textContent.trim().length);
      document.getSelection().removeAllRanges();
      document.getSelection().addRange(range);
    })()`);
    await page.click('[data-quote-for="leadership.clear_roles"]');
    const quote = page.locator('[data-quote="Falls fell by a third on the lean wards."]');
    await quote.waitFor();
    expect(await quote.textContent()).toContain(
      '“Falls fell by a third on the lean wards.” (Report 2: Lean on wards: trial results, p. 1)',
    );
    await screenshot(page, 'study-links-coding-second-report');
    await page.goBack();

    await page.click('tr[data-study="1"] li:has-text("trial results") button:has-text("Separate")');
    await page.waitForSelector('tr[data-study="3"]');
    await page.waitForSelector('tr[data-study="1"] [role=status]');
    expect(await page.textContent('tr[data-study="1"] [role=status]')).toBe(
      '“Lean on wards: trial results” is now a study of its own, at the end of the list. Assign included studies to coders to give it coders.',
    );
    expect(await page.locator('tr[data-study="1"] ul[aria-label^="Reports of"]').count()).toBe(0);
    await screenshot(page, 'study-links-separated');
    await context.close();
  });
});
