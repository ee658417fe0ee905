import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseText } from '@winnow/ingest';
import { seriousAxeViolations } from '../support/axe.ts';
import { HAS_CHROMIUM, launchBrowser, SCREENSHOT_DIR, signIn } from '../support/browser.ts';
import { insertLibraryRecords, LIBRARY_RECORDS } from '../support/library-records.ts';
import { stageStatus, waitUntil } from '../screening-fixtures.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';
import { testPdf } from '@winnow/core/testing';
import { sampleCodings, seedIncludedReports } from '@winnow/extraction/testing';
import { insertDuplicatePair, searchForImports } from '../support/record-page-setup.ts';
import { viewerShows } from '../support/pdf-viewer.ts';

if (!HAS_CHROMIUM)
  console.warn('skipping browser tests: /usr/bin/chromium is not installed (apt-get install chromium)');

const SHOTS = process.env.WINNOW_SHOTS_DIR ?? SCREENSHOT_DIR;

/** The record page: reached from the records list, its history as blinding allows, notes. */
describe.skipIf(!HAS_CHROMIUM)('record page in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let lead: TestUser;
  let ann: TestUser;
  let bob: TestUser;
  let ids: string[];
  let pair: [string, string];
  let withPdf: string;
  let noPdf: string;
  const base = '/reviews/record-page-browser';

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('record-page-browser', 'Record page review');
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['reviewer']);
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
    // PRISMA counts the records of a known search; a report of the same database with its PDF;
    // one report exported by two more databases, merged as duplicates.
    await searchForImports(app.rt.db, review.id);
    const [reportId, bareReport] = await seedIncludedReports(app.rt.db, review.id, [
      { title: 'Ward huddles and safety culture' },
      { title: 'Executive walkrounds on surgical wards' },
    ]);
    // Attached as a reviewer attaches it, through the report's file route.
    const attached = await ann.api(
      'POST',
      `${base}/reports/${reportId}/file?fileName=huddles.pdf`,
      testPdf({ pages: [['Ward huddles and safety culture', 'Daily huddles on 12 wards.']] }),
    );
    expect(attached.status).toBe(201);
    await searchForImports(app.rt.db, review.id, 'CINAHL');
    const { rows } = await app.rt.db.query<{ recordId: string }>(
      `SELECT record_id AS "recordId" FROM reports WHERE id = $1`,
      [reportId],
    );
    withPdf = rows[0]!.recordId;
    const { rows: bare } = await app.rt.db.query<{ recordId: string }>(
      `SELECT record_id AS "recordId" FROM reports WHERE id = $1`,
      [bareReport],
    );
    noPdf = bare[0]!.recordId;
    pair = await insertDuplicatePair(app.rt.db, review.id);
    const run = await lead.api<{ jobId: string }>('POST', `${base}/duplicates/run`);
    await app.rt.queue.waitFor(run.body.jobId, 20_000);
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
    expect(await page.textContent('#rec-stages + ul')).toContain('Title/abstract: Excluded');
    const history = await page.locator('.record-history li').allTextContents();
    expect(history.filter((h) => h.includes('Vote: Exclude: Not a healthcare setting'))).toHaveLength(2);
    expect(history.join('\n')).toContain('Bob thinks this is a school');
    expect(await page.textContent('.record-sources')).toContain('embase.ris');
    expect(await page.isVisible('.record-sources pre')).toBe(false);
    await page.click('.record-sources summary');
    expect(await page.isVisible('.record-sources pre')).toBe(true);
    // Kept verbatim, but a long abstract line wraps inside the page at 1280 wide.
    expect(await page.$eval('.record-sources pre', (el) => getComputedStyle(el).whiteSpace)).toBe('pre-wrap');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await page.fill('#rec-note', 'Check the 2020 erratum');
    await page.click('button:has-text("Save note")');
    await page.waitForSelector('section[aria-labelledby=rec-notes] li:has-text("Check the 2020 erratum")');
    expect(await page.textContent('section[aria-labelledby=rec-notes] li')).toContain('Lead');
    await page.screenshot({ path: `${SHOTS}/record-page-lead.png`, fullPage: false });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });

  it('shows every normalised field of an exported record, with the publisher', async () => {
    // Ovid's RIS of the PRISMA statement, read as an import reads it, and a publisher beside it.
    const { records } = await parseText(
      readFileSync(path.resolve(import.meta.dirname, '../../../../fixtures/ingest/ovid-numbered.ris')),
      { format: 'ris' },
    );
    // The language as MEDLINE exports it, a code.
    const record = { ...records[0]!.record, publisher: 'Public Library of Science', language: 'eng' };
    const { rows: imp } = await app.rt.db.query<{ id: string; review_id: string }>(
      `INSERT INTO imports (review_id, file_name, content_hash, status)
       SELECT id, 'ovid-numbered.ris', 'h-fields', 'complete' FROM reviews WHERE slug = 'record-page-browser'
       RETURNING id, review_id`,
    );
    const { rows } = await app.rt.db.query<{ id: string }>(
      `INSERT INTO records (review_id, import_id, source_index, title, year, data, raw)
       VALUES ($1, $2, 1, $3, $4, $5, $6) RETURNING id`,
      [imp[0]!.review_id, imp[0]!.id, record.title, record.year, JSON.stringify(record), record.raw],
    );
    const { context, page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    await page.goto(`${app.url}${base}/records/${rows[0]!.id}`);
    await page.waitForSelector(`h1:text-is("${record.title}")`);
    const field = (label: string) => page.textContent(`.record-fields dt:text-is("${label}") + dd`);
    expect(await field('Authors')).toBe(record.authors.map((a) => a.asWritten).join('; '));
    expect(await field('Year')).toBe('2009');
    expect(await field('Journal')).toBe('PLoS Medicine');
    expect(await field('Journal abbreviation')).toBe('PLoS Med');
    expect(await field('Publisher')).toBe('Public Library of Science');
    expect(await field('Volume')).toBe('6');
    expect(await field('Issue')).toBe('7');
    expect(await field('Pages')).toBe('e1000097');
    expect(await field('DOI')).toBe('10.1371/journal.pmed.1000097');
    expect(await field('Keywords')).toBe(record.keywords.join('; '));
    expect(await field('Database')).toBe('Ovid MEDLINE(R)');
    expect(await field('Platform')).toBe('Ovid Technologies');
    expect(await field('Language')).toBe('English');
    expect(await page.textContent('.abstract')).toContain('Clinicians read them');
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

  it('names the PRISMA box the record counts in: a link for the lead, hidden from a blind screener', async () => {
    const { context, page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${app.url}${base}/records/${ids[0]}`);
    const box = page.locator('[data-testid=prisma-box]');
    await box.first().waitFor();
    expect(await box.first().textContent()).toBe('Counted in: Records excluded at title/abstract screening');
    await page.screenshot({ path: `${SHOTS}/record-box-lead.png` });
    await box.first().locator('a').click();
    await page.waitForSelector(`tr[data-item="${ids[0]}"]`);
    expect(await page.textContent('h1')).toContain('Records excluded');
    await context.close();

    const asAnn = await signIn(browser, app.url, ann.email, 'correct horse battery');
    await asAnn.page.setViewportSize({ width: 1280, height: 800 });
    // She voted and the record is settled: the box, without a link to PRISMA's lists.
    await asAnn.page.goto(`${app.url}${base}/records/${ids[0]}`);
    const annBox = asAnn.page.locator('[data-testid=prisma-box]');
    await annBox.first().waitFor();
    expect(await annBox.first().textContent()).toBe(
      'Counted in: Records excluded at title/abstract screening',
    );
    expect(await annBox.first().locator('a').count()).toBe(0);
    // The record reads as the Records page says it, reason included.
    expect(await asAnn.page.textContent('#rec-stages + ul')).toBe(
      'Title/abstract: Excluded (Not a healthcare setting)',
    );
    // A record she still has to screen: the box would tell her where the other votes have put it.
    await asAnn.page.goto(`${app.url}${base}/records/${ids[1]}`);
    await asAnn.page.waitForSelector('[data-testid=prisma-box]:has-text("not shown")');
    expect(await asAnn.page.textContent('[data-testid=prisma-box]')).toBe(
      'Counted in: not shown until blind screening lets you see this record’s outcome',
    );
    // In the list's words, and why no more is said.
    expect(await asAnn.page.textContent('#rec-stages + ul')).toBe(
      'Title/abstract: Awaiting my vote (other votes are hidden until you have voted, as screening is blind)',
    );
    await asAnn.page.goto(
      `${app.url}${base}/records?q=${encodeURIComponent(`"${LIBRARY_RECORDS[1]!.title}"`)}`,
    );
    await asAnn.page.waitForSelector('.records-item .tag');
    expect(await asAnn.page.textContent('.records-item .tag')).toBe('Title/abstract: Awaiting my vote');
    await asAnn.page.screenshot({ path: `${SHOTS}/record-box-blind.png` });
    await asAnn.context.close();
  });

  it('shows the attached PDF on the record page in Chromium’s viewer', async () => {
    const { context, page } = await signIn(browser, app.url, ann.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${app.url}${base}/records/${withPdf}`);
    const frame = await page.waitForSelector('section[aria-labelledby=rec-fulltext] iframe.fulltext-pdf');
    const src = (await frame.getAttribute('src'))!;
    await viewerShows(page, src, 1);
    expect(await page.textContent('section[aria-labelledby=rec-fulltext]')).not.toContain('shortcut keys');
    await page.locator('#rec-fulltext').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/record-pdf.png` });
    await context.close();
  });

  it('lets a lead attach a PDF from the record page of a record outside any queue of hers', async () => {
    const { context, page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${app.url}${base}/records/${noPdf}`);
    const section = page.locator('section[aria-labelledby=rec-fulltext]');
    await section.locator('[data-testid=retrieval-state]:has-text("Not found yet")').waitFor();
    await section.locator('input[type=file]').setInputFiles({
      name: 'walkrounds.pdf',
      mimeType: 'application/pdf',
      buffer: testPdf({ pages: [['Executive walkrounds', 'Monthly walkrounds on four wards.']] }),
    });
    await section.locator('[data-testid=retrieval-state]:has-text("PDF attached")').waitFor();
    const frame = await page.waitForSelector('section[aria-labelledby=rec-fulltext] iframe.fulltext-pdf');
    await viewerShows(page, (await frame.getAttribute('src'))!, 1);
    expect(await section.textContent()).not.toContain('shortcut keys');
    // The history has the attachment, read again from the log.
    await page.waitForSelector('ol.record-history li:has-text("walkrounds.pdf")');
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/record-attach-lead.png` });
    // Stored as any attachment is: the report's file route serves it.
    const { rows } = await app.rt.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM report_retrievals rr JOIN reports rp ON rp.id = rr.report_id
        WHERE rp.record_id = $1 AND rr.kind = 'file'`,
      [noPdf],
    );
    expect(rows[0]!.n).toBe(1);
    await context.close();
  });

  it('shows codings in the history: a coder her own only, the lead both coders’', async () => {
    const assigned = await lead.api<{ jobId: string }>('POST', `${base}/extraction/assign`);
    await app.rt.queue.waitFor(assigned.body.jobId, 20_000);
    const { rows } = await app.rt.db.query<{ id: string }>(
      `SELECT study_id AS id FROM reports WHERE record_id = $1`,
      [withPdf],
    );
    for (const [who, as] of [
      [ann, 'ann'],
      [bob, 'bob'],
    ] as const) {
      const values = sampleCodings.find((c) => c.studyId === 'S1' && c.coderId === as)!.values;
      const saved = await who.api('PUT', `${base}/extraction/studies/${rows[0]!.id}/coding`, {
        values,
        submit: true,
      });
      expect(saved.status).toBe(200);
    }
    const asAnn = await signIn(browser, app.url, ann.email, 'correct horse battery');
    await asAnn.page.setViewportSize({ width: 1280, height: 800 });
    await asAnn.page.goto(`${app.url}${base}/records/${withPdf}`);
    await asAnn.page.waitForSelector('.record-history li:has-text("Coding submitted")');
    const annSees = await asAnn.page.locator('.record-history li').allTextContents();
    expect(annSees.filter((h) => h.includes('Coding submitted'))).toEqual([
      expect.stringContaining('Ann · Extraction · Coding submitted'),
    ]);
    expect(annSees.join('\n')).not.toContain('Bob');
    await asAnn.page.locator('#rec-history').scrollIntoViewIfNeeded();
    await asAnn.page.screenshot({ path: `${SHOTS}/record-codings-coder.png` });
    await asAnn.context.close();

    const { context, page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${app.url}${base}/records/${withPdf}`);
    await page.waitForSelector('.record-history li:has-text("Coding submitted")');
    const leadSees = (await page.locator('.record-history li').allTextContents()).filter((h) =>
      h.includes('Coding submitted'),
    );
    expect(leadSees).toHaveLength(2);
    expect(leadSees.join('\n')).toContain('Bob · Extraction · Coding submitted');
    await context.close();
  });

  it('lets a lead split a duplicate out of its group from the record page; a reviewer has no button', async () => {
    const [a, b] = pair;
    const asAnn = await signIn(browser, app.url, ann.email, 'correct horse battery');
    await asAnn.page.goto(`${app.url}${base}/records/${a}`);
    await asAnn.page.waitForSelector('#rec-sources:has-text("2 records of this report")');
    // Said once the page knows Ann's roles, which the split button also waits on.
    await asAnn.page.waitForSelector('text=A lead can split a record out of the group.');
    // Why, as evidence: not the matcher's verdict "duplicate;" after "certain duplicates:".
    const why = (await asAnn.page.textContent('p:has-text("Grouped as")')) ?? '';
    expect(why).toMatch(/^Grouped as (certain|likely) duplicates: \S/);
    expect(why).not.toMatch(/duplicates: (duplicate|grouped)\b/);
    expect(await asAnn.page.locator('button:has-text("Split out of the group")').count()).toBe(0);
    await asAnn.context.close();

    // Which of the two the dedup run kept: the other is the duplicate removed before screening.
    const { rows: dup } = await app.rt.db.query<{ id: string }>(
      `SELECT id FROM records WHERE id = ANY($1::uuid[]) AND duplicate_of IS NOT NULL`,
      [pair],
    );
    const removed = dup[0]!.id;
    const kept = removed === a ? b : a;
    const { context, page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${app.url}${base}/records/${removed}`);
    await page.waitForSelector('#rec-sources:has-text("2 records of this report")');
    // The removed duplicate is never screened itself: the page says so, not "not yet in screening".
    expect(await page.textContent('section[aria-labelledby=rec-stages]')).toContain(
      'Not screened: removed as a duplicate. The kept record of this report is screened instead.',
    );
    expect(await page.textContent('.record-sources')).toContain('This record (removed as a duplicate)');
    await page.waitForSelector('[data-testid=prisma-box]:has-text("Duplicate records removed")');
    // The kept record is a link away.
    await page.click('.record-sources a:text-is("Duplicate")');
    await page.waitForURL(`**${base}/records/${kept}`);
    await page.waitForSelector('.record-sources:has-text("This record (kept)")');
    await page.goBack();
    await page.waitForSelector('.record-sources:has-text("This record (removed as a duplicate)")');
    await page.screenshot({ path: `${SHOTS}/record-split-before.png` });
    await page.click('button[aria-label="Split this record out of the group"]');
    await page.waitForSelector('[role=status]:has-text("This record was split out of the group")');
    await page.waitForSelector('#rec-sources:text-is("Source")');
    expect(await page.locator('.record-sources > li').count()).toBe(1);
    expect(await page.textContent('.record-history')).toContain(
      'Split out of a duplicate group of 2 records',
    );
    // Its PRISMA box is asked again: no longer a duplicate removed before screening.
    await page.waitForSelector('[data-testid=prisma-box]:not(:has-text("Duplicate records removed"))');
    await page.screenshot({ path: `${SHOTS}/record-split-after.png` });
    const { rows } = await app.rt.db.query<{ parts: string[][] }>(
      `SELECT data->'parts' AS parts FROM events WHERE type = 'dedup.split' AND data->>'manual' = 'true'
        AND review_id = (SELECT id FROM reviews WHERE slug = 'record-page-browser')`,
    );
    expect(rows).toEqual([{ parts: [[removed], [kept]] }]);
    await context.close();
  });
});
