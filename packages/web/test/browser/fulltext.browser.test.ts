import { seedIncludedReports } from '@winnow/extraction/testing';
import { testPdf } from '@winnow/core/testing';
import { zipFiles } from '@winnow/screening/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, launchBrowser, SCREENSHOT_DIR, signIn } from '../support/browser.ts';
import { seedRecords, waitUntil } from '../screening-fixtures.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';
import { viewerShows } from '../support/pdf-viewer.ts';

if (!HAS_CHROMIUM) console.warn('skipping full-text browser test: /usr/bin/chromium is not installed');

const PASSWORD = 'correct horse battery';
const SHOTS = process.env.WINNOW_SHOTS_DIR ?? SCREENSHOT_DIR;
const QUOTE = 'Ward leaders met every week to review the run charts.';

describe.skipIf(!HAS_CHROMIUM)(
  'full texts in Chromium: bulk upload, match list, viewer on both pages, quotation with page',
  () => {
    let app: TestApp;
    let browser: Browser;
    let lead: TestUser;
    let ann: TestUser;
    let records: string[];

    beforeAll(async () => {
      app = await startTestApp({ workers: true });
      const review = await app.review('ft-ui', 'Full texts');
      lead = await app.user('Lead', review, ['lead', 'reviewer']);
      ann = await app.user('Ann', review, ['reviewer']);
      records = await seedRecords(app.rt.db, review.id, 4);
      // Two records carry DOIs (as a database export gives them); the others only a title and year.
      for (const [i, id] of records.slice(0, 2).entries())
        await app.rt.db.query(`UPDATE records SET doi = $2 WHERE id = $1`, [id, `10.5555/ft.${i + 1}`]);
      const r = await lead.api<{ jobId: string }>('POST', '/reviews/ft-ui/stages/title-abstract/route');
      await app.rt.queue.waitFor(r.body.jobId, 20_000);
      for (const recordId of records)
        for (const u of [lead, ann])
          await u.api('POST', '/reviews/ft-ui/stages/title-abstract/decisions', {
            recordId,
            vote: 'include',
          });
      await waitUntil(async () => {
        const { rows } = await app.rt.db.query(`SELECT 1 FROM reports WHERE review_id = $1`, [review.id]);
        return rows.length === records.length;
      });
      const fr = await lead.api<{ jobId: string }>('POST', '/reviews/ft-ui/stages/full-text/route');
      await app.rt.queue.waitFor(fr.body.jobId, 20_000);
      browser = await launchBrowser();
    }, 90_000);
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    it('drops PDFs on the full-text page, lists the ones to match with their candidates, the lead picks, the viewer shows the PDF', async () => {
      const { page } = await signIn(browser, app.url, lead.email, PASSWORD);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto('/reviews/ft-ui/full-text');
      await page.waitForSelector('[data-testid=drop-zone] input[type=file]');
      const pdf = (lines: string[]) => ({ mimeType: 'application/pdf', buffer: testPdf({ pages: [lines] }) });
      const first = pdf([
        'BMJ Qual Saf 2001',
        'https://doi.org/10.5555/ft.1',
        'Leadership and quality improvement in hospitals, part 1',
        QUOTE,
      ]);
      await page.setInputFiles('[data-testid=drop-zone] input[type=file]', [
        { name: 'first.pdf', ...first },
        { name: 'second.pdf', ...pdf(['doi: 10.5555/ft.2', 'Part two of the series']) },
        {
          name: 'third.pdf',
          ...pdf(['Leadership and quality improvement in hospitals, part 3', 'Published 2003']),
        },
        {
          name: 'which-one.pdf',
          ...pdf(['Leadership and quality improvement in hospitals', 'A series in several parts']),
        },
        { name: 'soup.pdf', ...pdf(['A history of lentil soup', '1999']) },
        { name: 'first-again.pdf', ...first },
      ]);
      await page.waitForSelector('[data-testid=bulk-result][data-status=done]', { timeout: 30_000 });
      expect(await page.textContent('[data-testid=bulk-summary]')).toBe(
        '3 files attached · 1 to match · 1 unmatched · 1 duplicate · 0 could not be read',
      );
      const candidates = page.locator(
        '[data-testid=match-file][data-file="which-one.pdf"] [data-testid=candidate]',
      );
      expect(await candidates.count()).toBe(4);
      expect(await page.textContent('[data-testid=unmatched]')).toBe('soup.pdf');
      expect(await page.textContent('[data-testid=duplicates]')).toBe('first-again.pdf');
      expect(await page.textContent('main')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|[A-Z_]{4,}:/);
      await page.locator('[data-testid=fulltext-bulk]').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/bulk-match-list.png` });

      // A reviewer sees the same list (the latest upload with files waiting) but the pick is the lead's.
      const reviewer = await signIn(browser, app.url, ann.email, PASSWORD);
      await reviewer.page.setViewportSize({ width: 1280, height: 800 });
      await reviewer.page.goto('/reviews/ft-ui/full-text');
      await reviewer.page.waitForSelector('[data-testid=match-file][data-file="which-one.pdf"]');
      expect(await reviewer.page.locator('[data-testid=candidate]').count()).toBe(4);
      // Said once the page knows the reviewer's permissions, which the attach buttons also wait on.
      await reviewer.page.waitForSelector('text=The lead picks the report for each of these files.');
      expect(await reviewer.page.getByRole('button', { name: 'Attach to this report' }).count()).toBe(0);
      await reviewer.page.locator('[data-testid=fulltext-bulk]').scrollIntoViewIfNeeded();
      await reviewer.page.screenshot({ path: `${SHOTS}/bulk-match-list-reviewer.png` });
      await reviewer.context.close();

      // The lead picks part 4 for the file that named no part.
      await candidates
        .filter({ hasText: 'part 4' })
        .getByRole('button', { name: 'Attach to this report' })
        .click();
      await page.waitForFunction(() => !document.querySelector('[data-testid=match-file]'));
      expect(await page.textContent('[data-testid=bulk-summary]')).toBe(
        '4 files attached · 0 to match · 1 unmatched · 1 duplicate · 0 could not be read',
      );
      const { rows } = await app.rt.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM events WHERE type = 'report.attached' AND review_id = (SELECT id FROM reviews WHERE slug = 'ft-ui')`,
      );
      expect(rows[0]!.n).toBe(4);

      // Every record now has its PDF: the one on screen is shown by Chromium's viewer.
      await page.reload();
      // The file no report was found for is still listed after a reload, not dropped from sight.
      await page.waitForSelector('[data-testid=unmatched]');
      expect(await page.textContent('[data-testid=unmatched]')).toBe('soup.pdf');
      const frame = await page.waitForSelector('iframe.fulltext-pdf', { timeout: 20_000 });
      const src = (await frame.getAttribute('src'))!;
      await viewerShows(page, src, 1);
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: `${SHOTS}/fulltext-viewer.png` });

      // A zip dropped on the zone (a real drop event carrying the file) is unpacked and matched.
      const zip = Buffer.from(
        zipFiles({ 'more/stray.pdf': testPdf({ pages: [['Notes on bread making', '1987']] }) }),
      ).toString('base64');
      await page.locator('[data-testid=drop-zone]').scrollIntoViewIfNeeded();
      await page.evaluate(`(() => {
        const bytes = Uint8Array.from(atob(${JSON.stringify(zip)}), (c) => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], 'more.zip', { type: 'application/zip' }));
        const zone = document.querySelector('[data-testid=drop-zone]');
        zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      })()`);
      await page.waitForSelector('[data-testid=unmatched] >> text=more.zip/stray.pdf', { timeout: 30_000 });
      expect(await page.textContent('[data-testid=bulk-summary]')).toBe(
        '0 files attached · 0 to match · 1 unmatched · 0 duplicates · 0 could not be read',
      );
    });

    it('shows the PDF on the coding page and takes a quotation with its page from the text', async () => {
      const review = await app.review('ft-coding', 'Coding with full texts');
      const coder = await app.user('Coder', review, ['lead', 'reviewer']);
      const [reportId] = await seedIncludedReports(app.rt.db, review.id, [
        { title: 'Run charts on the ward: a study', year: 2020, authors: [{ family: 'Beta', given: 'B' }] },
      ]);
      // Attached as a reviewer attaches it, so the text is read by the worker's job.
      const up = await coder.api<{ blobId: string }>(
        'POST',
        `/reviews/ft-coding/reports/${reportId}/file?fileName=run-charts.pdf`,
        testPdf({
          pages: [
            ['Run charts on the ward', 'Methods were simple.'],
            ['Results', QUOTE],
          ],
        }),
      );
      expect(up.status).toBe(201);
      const base = '/reviews/ft-coding/extraction';
      expect((await coder.api('PUT', `${base}/settings`, { codersPerStudy: 1 })).status).toBe(200);
      const { body } = await coder.api<{ jobId: string }>('POST', `${base}/assign`);
      await app.rt.queue.waitFor(body.jobId, 20_000);

      const { page } = await signIn(browser, app.url, coder.email, PASSWORD);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(base);
      await page.click('text=Run charts on the ward');
      await page.waitForSelector('form.coding-form');
      const src = (await page.getAttribute('iframe.fulltext', 'src'))!;
      await viewerShows(page, src, 2);
      // Page 2's text, as the worker read it; select the sentence and quote it for a code.
      await page.waitForSelector('.source-text [data-page="2"] p');
      await page.evaluate(`(() => {
      const p = document.querySelector('.source-text [data-page="2"] p');
      const text = p.firstChild;
      const at = text.data.indexOf(${JSON.stringify(QUOTE)});
      const range = document.createRange();
      range.setStart(text, at);
      range.setEnd(text, at + ${QUOTE.length});
      document.getSelection().removeAllRanges();
      document.getSelection().addRange(range);
    })()`);
      await page.click('input[name="influences:leadership.clear_roles"]');
      await page.click('[data-quote-for="leadership.clear_roles"]');
      const quote = await page.waitForSelector(`[data-quote="${QUOTE}"]`);
      expect(await quote.textContent()).toContain(`“${QUOTE}” (p. 2)`);
      await page.screenshot({ path: `${SHOTS}/coding-viewer-quote.png` });
    });

    it('says a scanned PDF has no text layer on the coding page, instead of showing no text', async () => {
      const review = await app.review('ft-scan', 'Scanned full text');
      const coder = await app.user('Coder', review, ['lead', 'reviewer']);
      const [reportId] = await seedIncludedReports(app.rt.db, review.id, [
        { title: 'A scanned report', year: 1990 },
      ]);
      expect(
        (
          await coder.api(
            'POST',
            `/reviews/ft-scan/reports/${reportId}/file?fileName=scan.pdf`,
            testPdf({ pages: [[], []] }),
          )
        ).status,
      ).toBe(201);
      const base = '/reviews/ft-scan/extraction';
      await coder.api('PUT', `${base}/settings`, { codersPerStudy: 1 });
      const { body } = await coder.api<{ jobId: string }>('POST', `${base}/assign`);
      await app.rt.queue.waitFor(body.jobId, 20_000);
      const { page } = await signIn(browser, app.url, coder.email, PASSWORD);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(base);
      await page.click('text=A scanned report');
      const status = await page.waitForSelector('[data-testid=text-status][data-status=no-text-layer]');
      expect(await status.textContent()).toMatch(/^This PDF has no text layer \(a scan\)/);
      expect(await page.locator('.source-text [data-page]').count()).toBe(0);
    });
  },
);
