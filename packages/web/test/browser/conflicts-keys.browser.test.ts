import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { HAS_CHROMIUM, launchBrowser, SCREENSHOT_DIR, screenshot, signIn } from '../support/browser.ts';
import { insertLibraryRecords } from '../support/library-records.ts';
import { stageStatus, waitUntil } from '../screening-fixtures.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';
import { testPdf } from '@winnow/core/testing';
import { viewerShows } from '../support/pdf-viewer.ts';

if (!HAS_CHROMIUM)
  console.warn('skipping browser tests: /usr/bin/chromium is not installed (apt-get install chromium)');

const SHOTS = process.env.WINNOW_SHOTS_DIR ?? SCREENSHOT_DIR;

/** An adjudicator reads the whole record (abstract with highlights) and resolves with the keyboard. */
describe.skipIf(!HAS_CHROMIUM)('adjudication with the whole record in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let cat: TestUser;
  let lead: TestUser;
  let ids: string[];
  const base = '/reviews/conflicts-keys';

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('conflicts-keys', 'Conflicts review');
    lead = await app.user('Lead', review, ['lead']);
    const ann = await app.user('Ann', review, ['reviewer']);
    const bob = await app.user('Bob', review, ['reviewer']);
    cat = await app.user('Cat', review, ['adjudicator']);
    ids = await insertLibraryRecords(app.rt.db, review.id, 'embase.ris');
    await lead.api('PUT', `${base}/stages/title-abstract/config`, {
      highlight: { include: ['lean'], exclude: [] },
      exclusionReasons: [
        { code: 'design', label: 'Wrong study design' },
        { code: 'setting', label: 'Not a healthcare setting' },
      ],
    });
    const routed = await lead.api<{ jobId: string }>('POST', `${base}/stages/title-abstract/route`);
    await app.rt.queue.waitFor(routed.body.jobId, 20_000);
    await ann.api('POST', `${base}/stages/title-abstract/decisions`, {
      recordId: ids[0],
      vote: 'include',
      note: 'Ann says wards are in scope',
    });
    await bob.api('POST', `${base}/stages/title-abstract/decisions`, {
      recordId: ids[0],
      vote: 'exclude',
      reasons: ['setting'],
    });
    await waitUntil(
      async () => (await stageStatus(app.rt.db, ids[0]!, 'title-abstract')) === 'conflict',
      20_000,
      'conflict',
    );
    // A second conflict, the next on the page once the first is decided.
    await ann.api('POST', `${base}/stages/title-abstract/decisions`, { recordId: ids[1], vote: 'include' });
    await bob.api('POST', `${base}/stages/title-abstract/decisions`, {
      recordId: ids[1],
      vote: 'exclude',
      reasons: ['design'],
      note: 'Bob reads it as an opinion piece',
    });
    // A record both include goes on to full text, where they disagree about its PDF.
    for (const who of [ann, bob])
      await who.api('POST', `${base}/stages/title-abstract/decisions`, { recordId: ids[2], vote: 'include' });
    await waitUntil(
      async () => (await stageStatus(app.rt.db, ids[2]!, 'title-abstract')) === 'advanced',
      20_000,
      'advanced to full text',
    );
    const reportId = await waitUntil(async () => {
      const { rows } = await app.rt.db.query<{ id: string }>(`SELECT id FROM reports WHERE record_id = $1`, [
        ids[2],
      ]);
      return rows[0]?.id;
    });
    await lead.api('PUT', `${base}/stages/full-text/config`, {
      exclusionReasons: [{ code: 'outcome', label: 'Wrong outcome' }],
    });
    const ftRouted = await lead.api<{ jobId: string }>('POST', `${base}/stages/full-text/route`);
    await app.rt.queue.waitFor(ftRouted.body.jobId, 20_000);
    const attached = await ann.api(
      'POST',
      `${base}/reports/${reportId}/file?fileName=wards.pdf`,
      testPdf({ pages: [['Lean thinking on hospital wards', 'Outcomes at 12 months.'], ['Page two']] }),
    );
    expect(attached.status).toBe(201);
    await ann.api('POST', `${base}/stages/full-text/decisions`, { recordId: ids[2], vote: 'include' });
    await bob.api('POST', `${base}/stages/full-text/decisions`, {
      recordId: ids[2],
      vote: 'exclude',
      reasons: ['outcome'],
    });
    await waitUntil(
      async () => (await stageStatus(app.rt.db, ids[2]!, 'full-text')) === 'conflict',
      20_000,
      'full-text conflict',
    );
    await waitUntil(
      async () => (await stageStatus(app.rt.db, ids[1]!, 'title-abstract')) === 'conflict',
      20_000,
      'second conflict',
    );
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the abstract with highlights, hides the votes, and resolves with 2 then E', async () => {
    const { context, page } = await signIn(browser, app.url, cat.email, 'correct horse battery');
    // The page asks only for what an adjudicator may read (agreement is the lead's).
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 403) refused.push(r.url());
    });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${app.url}${base}/conflicts`);
    const card = page.locator(`[data-testid=conflict][data-record-id="${ids[0]}"]`);
    await card.waitFor();
    // How many are open, counted as the cards are.
    await expect
      .poll(() => page.textContent('[data-testid=conflicts-open]'))
      .toBe('2 open conflicts at this stage.');
    expect(await card.locator('.conflict-abstract').textContent()).toBe('Lean methods.');
    expect(await card.locator('.conflict-abstract mark.hl-include').textContent()).toBe('Lean');
    // One author: named once, in the byline (the whole list shows only past the byline's three).
    expect(await card.locator('.byline').textContent()).toBe('Okafor (2015) · BMJ Quality & Safety');
    expect(await card.locator('.conflict-authors').count()).toBe(0);
    expect(await card.textContent()).toContain('Votes are hidden until you decide');
    expect(await card.textContent()).not.toContain('Ann says');
    await page.screenshot({ path: `${SHOTS}/conflicts-adjudicator.png` });
    // The reason keys read the stage's reasons, which arrive apart from the cards: a key pressed
    // before them does nothing.
    await card
      .locator('select[aria-label="Exclusion reason"] option[value=setting]')
      .waitFor({ state: 'attached' });
    // A note on the decision; leaving the field gives the keys back to the page.
    await card.locator('.conflict-note input').fill('School-based, as Bob says');
    await page.locator('h1').click();
    await page.keyboard.press('2');
    await expect
      .poll(() => card.locator('select[aria-label="Exclusion reason"]').inputValue())
      .toBe('setting');
    await page.keyboard.press('e');
    await page.waitForSelector('[role=status]:has-text("Resolved")');
    expect(await page.textContent('[role=status]:has-text("Resolved")')).toContain(
      'Both votes are shown under “Decided just now”, after the open conflicts.',
    );
    await waitUntil(
      async () => (await stageStatus(app.rt.db, ids[0]!, 'title-abstract')) === 'excluded',
      20_000,
      'excluded',
    );
    const { rows } = await app.rt.db.query<{ vote: string; reasons: string[]; note: string | null }>(
      `SELECT vote, reasons, note FROM resolutions WHERE record_id = $1`,
      [ids[0]],
    );
    expect(rows).toEqual([{ vote: 'exclude', reasons: ['setting'], note: 'School-based, as Bob says' }]);

    // The decided card stays, with both votes, their reasons by label and notes, sent by the server.
    const decided = page.locator('[data-testid=decided-conflict]');
    await decided.locator('.conflict-votes').waitFor();
    expect(await decided.locator('.conflict-votes li').allTextContents()).toEqual(
      expect.arrayContaining([
        'Ann: Include (note: Ann says wards are in scope)',
        'Bob: Exclude: Not a healthcare setting',
      ]),
    );
    expect(await decided.textContent()).toContain(
      'You decided: Exclude: Not a healthcare setting (note: School-based, as Bob says)',
    );
    await page.screenshot({ path: `${SHOTS}/conflict-decided.png`, fullPage: true });
    // The keys go on to the next conflict.
    const next = page.locator(`[data-testid=conflict][data-record-id="${ids[1]}"]`);
    await next.waitFor();
    expect(await page.locator('[data-testid=conflict]').first().getAttribute('data-record-id')).toBe(ids[1]);
    await expect
      .poll(() => page.textContent('[data-testid=conflicts-open]'))
      .toBe('One open conflict at this stage.');
    await page.keyboard.press('i');
    await page.waitForSelector('[data-testid=decided-conflict] >> nth=1');
    await page.waitForSelector('[data-testid=no-conflicts]');
    const first = page.locator('[data-testid=decided-conflict]').first();
    await first.locator('.conflict-votes').waitFor();
    expect(await first.locator('.conflict-votes li').allTextContents()).toEqual(
      expect.arrayContaining([
        'Ann: Include',
        'Bob: Exclude: Wrong study design (note: Bob reads it as an opinion piece)',
      ]),
    );
    const { rows: second } = await app.rt.db.query<{ vote: string }>(
      `SELECT vote FROM resolutions WHERE record_id = $1`,
      [ids[1]],
    );
    expect(second).toEqual([{ vote: 'include' }]);
    // A slip (I for E) is mended on its card: the decision changes, and the record follows it.
    const title = (await first.locator('h3').textContent())!;
    await first.getByRole('button', { name: 'Change my decision' }).click();
    await first
      .getByRole('group', { name: 'Change your decision' })
      .getByLabel('Exclusion reason')
      .selectOption('design');
    await first.getByRole('button', { name: 'Exclude instead' }).click();
    await expect
      .poll(() => first.locator('p').first().textContent())
      .toBe('You decided: Exclude: Wrong study design');
    expect(await page.textContent('main [role=status]')).toBe(
      `Changed your decision on “${title}”: excluded.`,
    );
    await screenshot(page, 'conflict-decision-changed');
    expect(await stageStatus(app.rt.db, ids[1]!, 'title-abstract')).toBe('excluded');
    // Nothing left here, but a full-text conflict waits: the page says so and goes there.
    await expect
      .poll(() => page.textContent('[data-testid=no-conflicts]'))
      .toBe('No open conflicts at this stage. One is open at full text: Show it');
    await page.click('[data-testid=other-stage-conflicts]');
    await page.locator(`[data-testid=conflict][data-record-id="${ids[2]}"]`).waitFor();
    expect(await page.inputValue('select:near(:text("Stage"))')).toBe('full-text');
    // The title/abstract decisions' cards stay behind, and so does the message that points to them.
    expect(await page.locator('[data-testid=decided-conflict]').count()).toBe(0);
    expect(await page.locator('main [role=status]').count()).toBe(0);
    expect(refused).toEqual([]);
    await context.close();
  });

  it('shows the report’s PDF one click from a full-text conflict', async () => {
    const { context, page } = await signIn(browser, app.url, cat.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${app.url}${base}/conflicts`);
    await page.selectOption('select:near(:text("Stage"))', 'full-text');
    const card = page.locator(`[data-testid=conflict][data-record-id="${ids[2]}"]`);
    await card.waitFor();
    expect(await card.locator('iframe').count()).toBe(0);
    await card.locator('[data-testid=show-fulltext]').click();
    const frame = await card.locator('iframe.fulltext-pdf').elementHandle();
    const src = (await frame!.getAttribute('src'))!;
    await viewerShows(page, src, 2);
    await page.screenshot({ path: `${SHOTS}/conflict-fulltext.png` });
    await context.close();
  });

  it('shows a lead both votes of an open conflict in words, as the decided cards show them', async () => {
    const { context, page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${app.url}${base}/conflicts`);
    await page.locator('[data-testid=no-conflicts], [data-testid=conflict]').first().waitFor();
    // The full-text reasons are held back: until they come, the page has only the title/abstract
    // labels, which do not name this stage's codes (CI once read "Exclude: outcome" here).
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/stages/full-text/config', async (route) => {
      await held;
      await route.continue();
    });
    const listed = page.waitForResponse((r) => r.url().includes('/conflicts?stage=full-text'));
    await page.selectOption('select:near(:text("Stage"))', 'full-text');
    await listed;
    await page.getByText('Loading the open conflicts…').waitFor();
    const card = page.locator(`[data-testid=conflict][data-record-id="${ids[2]}"]`);
    expect(await card.count()).toBe(0);
    release();
    await card.locator('.conflict-votes').waitFor();
    expect(await page.getByText('Loading the open conflicts…').count()).toBe(0);
    expect((await card.locator('.conflict-votes li').allTextContents()).sort()).toEqual([
      'Ann: Include',
      'Bob: Exclude: Wrong outcome',
    ]);
    await context.close();
  });
});
