import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Review } from '@winnow/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAxeViolations } from '../support/axe.ts';
import { HAS_CHROMIUM, launchBrowser, SCREENSHOT_DIR, settled, signIn } from '../support/browser.ts';
import { REPO_ROOT } from '../support/cli.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';
import { seedRecords, stageStatus, waitUntil } from '../screening-fixtures.ts';

if (!HAS_CHROMIUM) console.warn('review pages browser test skipped: /usr/bin/chromium is not installed');

const PASSWORD = 'correct horse battery';
const SLUG = 'pages-ui';
const VIEWPORT = { width: 1280, height: 800 };
const SHOTS = process.env.WINNOW_SHOTS_DIR ?? SCREENSHOT_DIR;

async function open(browser: Browser, app: TestApp, user: TestUser): Promise<Page> {
  const { page } = await signIn(browser, app.url, user.email, PASSWORD);
  await page.setViewportSize(VIEWPORT);
  return page;
}

describe.skipIf(!HAS_CHROMIUM)(
  'review pages in Chromium: conflicts, imports, layout and accessibility',
  () => {
    let app: TestApp;
    let browser: Browser;
    let review: Review;
    let lead: TestUser;
    let ann: TestUser;
    let bob: TestUser;
    let cat: TestUser;
    let conflicted: string;

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      app = await startTestApp({ workers: true });
      review = await app.review(SLUG, 'Pages under test');
      lead = await app.user('Lead', review, ['lead']);
      ann = await app.user('Ann', review, ['reviewer']);
      bob = await app.user('Bob', review, ['reviewer']);
      cat = await app.user('Cat', review, ['adjudicator']);
      const records = await seedRecords(app.rt.db, review.id, 2);
      await lead.api('PUT', `/reviews/${SLUG}/stages/title-abstract/config`, {
        criteria: 'Include: quality improvement in health care.',
        exclusionReasons: [{ code: 'not-health', label: 'Not health care' }],
      });
      const routed = await lead.api<{ jobId: string }>(
        'POST',
        `/reviews/${SLUG}/stages/title-abstract/route`,
      );
      await app.rt.queue.waitFor(routed.body.jobId, 20_000);
      // Ann includes both; Bob excludes the first: one conflict.
      conflicted = records[0]!;
      for (const recordId of records) {
        expect(
          (
            await ann.api('POST', `/reviews/${SLUG}/stages/title-abstract/decisions`, {
              recordId,
              vote: 'include',
            })
          ).status,
        ).toBe(201);
        const vote =
          recordId === conflicted ? { vote: 'exclude', reasons: ['not-health'] } : { vote: 'include' };
        expect(
          (await bob.api('POST', `/reviews/${SLUG}/stages/title-abstract/decisions`, { recordId, ...vote }))
            .status,
        ).toBe(201);
      }
      await waitUntil(
        async () => (await stageStatus(app.rt.db, conflicted, 'title-abstract')) === 'conflict',
      );
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    it('takes a resolved conflict off the screen as soon as it is sent, and a double click sends one decision', async () => {
      const page = await open(browser, app, cat);
      // Hold the decision at the network until the card has been looked at: the card must already be gone.
      let release: () => void = () => {};
      const held = new Promise<void>((r) => (release = r));
      const statuses: number[] = [];
      await page.route('**/conflicts/*/resolve', async (route) => {
        await held;
        await route.continue();
      });
      page.on('response', (r) => {
        if (r.url().includes('/resolve')) statuses.push(r.status());
      });
      await page.goto(`/reviews/${SLUG}/conflicts`);
      await page.waitForSelector(`[data-testid=conflict][data-record-id="${conflicted}"]`);
      // Two clicks in one turn of the event loop, as a double click on a slow machine lands.
      await page.evaluate(`(() => {
      const b = document.querySelector('[data-testid=conflict] [data-testid=resolve-include]');
      b.click();
      b.click();
    })()`);
      await page.waitForSelector('[data-testid=conflict]', { state: 'detached', timeout: 2_000 });
      release();
      await page.waitForSelector('[role=status]:has-text("Resolved")');
      await page.waitForSelector('[data-testid=no-conflicts]');
      expect(statuses).toEqual([200]);
      expect(await page.locator('[role=alert], .error').count()).toBe(0);
      const { rows } = await app.rt.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM resolutions WHERE record_id = $1`,
        [conflicted],
      );
      expect(rows[0]!.n).toBe(1);
      await page.context().close();
    });

    it('says in words how each import went: a failed one counts its error, and the row agrees with the status line', async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'winnow-pages-'));
      writeFileSync(path.join(dir, 'notes.txt'), 'just prose and no export here\n');
      const page = await open(browser, app, lead);
      await page.goto(`/reviews/${SLUG}/imports`);
      const form = 'form[aria-label="Upload an export"]';

      await page.setInputFiles(`${form} input[type=file]`, path.join(dir, 'notes.txt'));
      await page.getByRole('button', { name: 'Upload and import' }).click();
      await page.waitForSelector('[data-testid=import-status]:has-text("could not be imported")');
      const failed = page.locator('tr:has-text("notes.txt")');
      await expect.poll(() => failed.locator('td').nth(4).innerText()).toBe('Failed');
      expect(await failed.locator('td').nth(8).innerText()).toBe('1');
      expect(await page.innerText('[data-testid=import-status]')).toMatch(
        /notes\.txt.*format not recognised/,
      );

      await page.setInputFiles(
        `${form} input[type=file]`,
        path.join(REPO_ROOT, 'fixtures/demo/medline-ovid.ris'),
      );
      await page.getByLabel('Source').fill('Ovid Medline');
      await page.getByRole('button', { name: 'Upload and import' }).click();
      // The moment the status line says it is imported, the table row says so too.
      const seen = await page.waitForFunction(() => {
        const line = document.querySelector('[data-testid=import-status]')?.textContent ?? '';
        if (!line.startsWith('Imported')) return null;
        const row = Array.from(document.querySelectorAll('tbody tr')).find((r) =>
          r.textContent?.includes('medline-ovid.ris'),
        );
        return { line, row: row?.querySelectorAll('td')[4]?.textContent ?? '(no row)' };
      });
      expect(await seen.jsonValue()).toEqual({
        line: expect.stringMatching(/^Imported medline-ovid\.ris: \d+ records$/),
        row: 'Imported',
      });
      expect(await page.innerText('main')).not.toMatch(/\b(pending|complete|completed|active)\b/);
      await page.screenshot({ path: path.join(SHOTS, 'pages-imports.png') });
      await page.context().close();
    });

    it('fits every page of each role in 1280x800 and passes axe-core with no serious or critical violation', async () => {
      const problems: string[] = [];
      for (const user of [lead, ann, cat]) {
        const page = await open(browser, app, user);
        await page.goto(`/reviews/${SLUG}`);
        await page.waitForSelector('header.top nav[data-loaded=true]');
        const links = await page
          .locator('header.top nav a')
          .evaluateAll((as) => as.map((a) => (a as unknown as { pathname: string }).pathname));
        // The review's links sit on one line: every link's top edge is the first link's.
        const tops = await page
          .locator('header.top nav a')
          .evaluateAll((as) => as.map((a) => Math.round(a.getBoundingClientRect().top)));
        if (new Set(tops).size > 1)
          problems.push(`${user.name}: the review's links wrap (${tops.join(', ')})`);
        for (const href of [...links, `/reviews/${SLUG}/prisma/searches`, '/account/password']) {
          if (href.endsWith('/prisma/searches') && user !== lead) continue;
          await page.goto(href);
          await page.waitForSelector('main');
          await settled(page);
          await page.waitForFunction(
            () => !document.querySelector('main')?.textContent?.includes('Loading…'),
          );
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > VIEWPORT.width) problems.push(`${user.name} ${href}: ${width} px wide`);
          // Every page keeps its margins: the main column never touches the window's edge.
          const left = await page.evaluate(
            () => document.querySelector('main')!.getBoundingClientRect().left,
          );
          const padding = await page.evaluate(() =>
            parseFloat(getComputedStyle(document.querySelector('main')!).paddingLeft),
          );
          if (left + padding < 12) problems.push(`${user.name} ${href}: no page margin`);
          for (const v of await seriousAxeViolations(page))
            problems.push(`${user.name} ${href}: ${v.id} (${v.impact}) ${v.help} @ ${v.nodes.join(' | ')}`);
          await page.screenshot({
            path: path.join(SHOTS, `pages-${user.name}-${href.split('/').pop()}.png`),
          });
        }
        await page.context().close();
      }
      expect(problems).toEqual([]);
    }, 120_000);
  },
);
