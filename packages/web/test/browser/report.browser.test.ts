import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { sampleCodings, seedIncludedReports } from '@winnow/extraction/testing';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAxeViolations } from '../support/axe.ts';
import { HAS_CHROMIUM, launchBrowser, SCREENSHOT_DIR, signIn } from '../support/browser.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';

if (!HAS_CHROMIUM) console.warn('skipping report browser test: /usr/bin/chromium is not installed');

const SLUG = 'report-browser';
const SHOTS = process.env.WINNOW_SHOTS_DIR ?? SCREENSHOT_DIR;

describe.skipIf(!HAS_CHROMIUM)('the Report page in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let lead: TestUser;
  let reviewer: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review(SLUG, 'Influences on improvement: a rapid evidence assessment');
    lead = await app.user('Lead', review, ['lead', 'reviewer']);
    reviewer = await app.user('Rita', review, ['viewer']);
    await seedIncludedReports(app.rt.db, review.id, [
      {
        title: 'Lean in paediatrics',
        authors: [{ family: 'Alpha', given: 'A' }],
        year: 2019,
        journal: 'BMJ',
      },
      { title: 'Collaboratives & <b>blogs</b>', authors: [{ family: 'Beta', given: 'B' }], year: 2021 },
    ]);
    const base = `/reviews/${SLUG}/extraction`;
    expect((await lead.api('PUT', `${base}/settings`, { codersPerStudy: 1 })).status).toBe(200);
    const { body } = await lead.api<{ jobId: string }>('POST', `${base}/assign`);
    for (let i = 0; i < 200; i++) {
      const r = await lead.api<{ job: { state: string } }>('GET', `/reviews/${SLUG}/jobs/${body.jobId}`);
      if (r.body.job.state === 'completed') break;
      await new Promise((res) => setTimeout(res, 50));
    }
    const studies = (await lead.api<{ studies: Array<{ id: string }> }>('GET', `${base}/studies`)).body
      .studies;
    for (const [i, key] of (['S1', 'S2'] as const).entries()) {
      const c = sampleCodings.find((x) => x.studyId === key && x.coderId === 'ann')!;
      const r = await lead.api('PUT', `${base}/studies/${studies[i]!.id}/coding`, {
        values: c.values,
        submit: true,
      });
      expect(r.status).toBe(200);
    }
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('a lead chooses the parts and downloads the Word and HTML reports', async () => {
    const { context, page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`/reviews/${SLUG}`);
    await page.click('header.top >> text=Report');
    await page.waitForSelector('h1:text("Report")');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/report-page.png` });

    const [docx] = await Promise.all([page.waitForEvent('download'), page.click('[data-download=report]')]);
    expect(docx.suggestedFilename()).toBe(`${SLUG}-report.docx`);
    const zip = unzipSync(new Uint8Array(await readFile((await docx.path())!)));
    const xml = strFromU8(zip['word/document.xml']!);
    expect(xml).toContain('<w:pStyle w:val="Heading1"/>');
    expect(xml).toContain('<w:tbl>');
    expect(Object.keys(zip).some((k) => /^word\/media\/.+\.png$/.test(k))).toBe(true);

    // HTML, Harvard, without the flow diagram.
    await page.check('text=Web page (HTML)');
    await page.check('text=Harvard');
    await page.uncheck('text=Flow of records');
    const [html] = await Promise.all([page.waitForEvent('download'), page.click('[data-download=report]')]);
    expect(html.suggestedFilename()).toBe(`${SLUG}-report.html`);
    const text = await readFile((await html.path())!, 'utf8');
    expect(text).not.toContain('Flow of records');
    expect(text).toContain('Alpha, A. (2019) “Lean in paediatrics,” BMJ [Preprint].');
    // The CSL processor reads <b> in a title as formatting; no markup reaches the page either way.
    expect(text).toContain('Collaboratives &#38; blogs');
    expect(text).not.toContain('<b>');

    // The HTML report as a reader opens it.
    const reader = await context.newPage();
    await reader.setViewportSize({ width: 1280, height: 800 });
    await reader.setContent(text);
    expect(await reader.locator('h2').allTextContents()).toEqual([
      'Methods',
      'Profile of the included studies',
      'Evidence by theme',
      'References',
      'Appendix: reports excluded at full text',
    ]);
    expect(await seriousAxeViolations(reader)).toEqual([]);
    await reader.screenshot({ path: `${SHOTS}/report-html.png`, fullPage: false });
    await reader.locator('h2:text("Evidence by theme")').scrollIntoViewIfNeeded();
    await reader.screenshot({ path: `${SHOTS}/report-html-evidence.png` });

    // With nothing ticked there is nothing to download, and the page says why.
    for (const label of ['Methods', 'Profile tables', 'Evidence by theme', 'References', 'Excluded reports'])
      await page.uncheck(`label:has-text("${label}")`);
    await page.waitForSelector('text=Choose at least one part to download.');
    expect(await page.$('[data-download=report]')).toBeNull();
    await context.close();
  });

  it('a viewer has no Report in the navigation', async () => {
    const { context, page } = await signIn(browser, app.url, reviewer.email, 'correct horse battery');
    await page.goto(`/reviews/${SLUG}`);
    await page.waitForSelector('header.top >> text=Records');
    expect(await page.locator('header.top >> text=Report').count()).toBe(0);
    await context.close();
  });
});
