import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Review } from '@winnow/core';
import { HAS_CHROMIUM, launchBrowser, SCREENSHOT_DIR, signIn } from '../support/browser.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';
import { seedRecords, waitUntil } from '../screening-fixtures.ts';

if (!HAS_CHROMIUM) console.warn('settings browser test skipped: /usr/bin/chromium is not installed');

const PASSWORD = 'correct horse battery';
const SHOTS = process.env.WINNOW_SHOTS_DIR ?? SCREENSHOT_DIR;
const BROKEN_CODEBOOK = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../fixtures/extraction/broken.codebook.json',
);

/** 1280x800, the size the pages must fit without scrolling sideways; saved where the lead reviews them. */
async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/shots-h7-${name}.png`, fullPage: true });
}

async function noSidewaysScroll(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
}

async function saved(page: Page, section: string): Promise<void> {
  await page.waitForSelector(`[data-testid=${section}] [role=status]:has-text("Saved")`);
}

describe.skipIf(!HAS_CHROMIUM)('review settings in Chromium: a lead configures a fresh review', () => {
  let app: TestApp;
  let browser: Browser;
  let review: Review;
  let lead: TestUser;
  let ann: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    // A fresh review, no demo: nothing configured, three records waiting.
    review = await app.review('settings-ui', 'Untitled review');
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['viewer']);
    await seedRecords(app.rt.db, review.id, 3);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('sets protocol, criteria, reasons, highlighting, votes, blind mode and the codebook; the reviewer screens with them', async () => {
    const { page } = await signIn(browser, app.url, lead.email, PASSWORD);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/reviews/settings-ui');
    await page.click('header nav >> text=Settings');
    await page.waitForSelector('[data-testid=settings-protocol]');

    // Title and protocol: an empty title is named and highlighted, then the real values save.
    await page.fill('#protocol-title', '');
    await page.click('[data-testid=save-protocol]');
    await page.waitForSelector('#protocol-title[aria-invalid=true]');
    expect(await page.textContent('#protocol-title-error')).toContain('title');
    await page.fill('#protocol-title', 'Influences on quality improvement');
    await page.fill('#protocol-question', 'What influences quality improvement processes in healthcare?');
    await page.fill('#protocol-eligibility', 'Reviews of QI processes in health care, 2000-2020.');
    await page.fill('#protocol-registration', 'PROSPERO CRD42020123456');
    await page.click('[data-testid=save-protocol]');
    await saved(page, 'settings-protocol');
    expect(await page.getAttribute('#protocol-title', 'aria-invalid')).toBeNull();

    // Criteria and three reasons (labels only; the server makes the codes).
    const stage = '[data-testid=settings-stage-title-abstract]';
    await page.fill(
      '#title-abstract-criteria',
      'Include: studies of leadership for quality improvement in health care.',
    );
    for (const label of ['Not health care', 'Wrong design', 'Not about QI']) {
      await page.fill(`${stage} input[aria-label="New exclusion reason"]`, label);
      await page.click(`${stage} button:has-text("Add reason")`);
    }
    await page.click('[data-testid=save-stage-title-abstract]');
    await saved(page, 'settings-stage-title-abstract');

    // Rename, reorder, retire; highlight terms; votes needed (a bad value first); blind mode off.
    await page.fill('#title-abstract-reason-1', 'Wrong study design');
    await page.click(`${stage} button[aria-label="Move “Not about QI” up"]`);
    await page.click(
      `${stage} [data-testid=reason-row]:has(#title-abstract-reason-0) button:has-text("Retire")`,
    );
    await page.fill('#title-abstract-include', 'leadership\nquality improvement');
    await page.fill('#title-abstract-exclude', 'systematic review');
    await page.fill('#title-abstract-votes', '9');
    await page.click('[data-testid=save-stage-title-abstract]');
    await page.waitForSelector('#title-abstract-votes[aria-invalid=true]');
    const votesError = (await page.textContent('#title-abstract-votes-error')) ?? '';
    expect(votesError).toContain('Votes needed');
    expect(votesError).not.toMatch(/[A-Z_]{4,}:/);
    await shoot(page, 'settings-error');
    await page.fill('#title-abstract-votes', '1');
    await page.uncheck(`${stage} input[name=blind]`);
    await page.click('[data-testid=save-stage-title-abstract]');
    await saved(page, 'settings-stage-title-abstract');

    const cfg = await lead.api<{
      config: {
        criteria: string;
        votesNeeded: number;
        blind: boolean;
        exclusionReasons: { code: string; label: string; retired?: boolean }[];
        highlight: { include: string[]; exclude: string[] };
      };
    }>('GET', '/reviews/settings-ui/stages/title-abstract/config');
    expect(cfg.body.config.exclusionReasons).toEqual([
      { code: 'not-health-care', label: 'Not health care', retired: true },
      { code: 'not-about-qi', label: 'Not about QI' },
      { code: 'wrong-design', label: 'Wrong study design' },
    ]);
    expect(cfg.body.config).toMatchObject({
      votesNeeded: 1,
      blind: false,
      highlight: { include: ['leadership', 'quality improvement'], exclude: ['systematic review'] },
    });

    // The default codebook, loaded as a new version.
    await page.click('[data-testid=load-default-codebook]');
    await page.waitForSelector('[data-testid=settings-codebook] [role=status]:has-text("default framework")');
    await page.waitForSelector('[data-testid=codebook-current]:has-text("version 2")');
    expect(await page.textContent('[data-testid=codebook-current]')).toContain('Influences on improvement');

    // Codebook errors name and highlight the field: an empty name in the form, a broken file.
    await page.click('.codebook-edit > summary');
    await page.locator('[data-testid=codebook-field] > summary').first().click();
    await page.fill('[id="cb-fields[0].label"]', '');
    await page.click('[data-testid=settings-codebook] button:has-text("Save as a new version")');
    await page.waitForSelector('[id="cb-fields[0].label"][aria-invalid=true]');
    expect(await page.textContent('[id="cb-fields[0].label-error"]')).toBe('Give this a name.');
    await page.setInputFiles('#codebook-file', BROKEN_CODEBOOK);
    await page.waitForSelector('#codebook-file[aria-invalid=true]');
    const fileError = (await page.textContent('#codebook-file-error')) ?? '';
    expect(fileError).toContain('fields[0].options[1].key');
    expect(fileError).not.toMatch(/[A-Z_]{4,}:/);
    await shoot(page, 'settings-codebook-error');
    await page.click('.codebook-edit > summary');

    // Members: Bob becomes an adjudicator, then leaves the review.
    const bobRow = `[data-testid=member][data-email="${bob.email}"]`;
    await page.check(`${bobRow} input[name=role-adjudicator]`);
    await page.uncheck(`${bobRow} input[name=role-viewer]`);
    expect(await page.isChecked(`${bobRow} input[name=role-viewer]`)).toBe(false);
    expect(await page.isChecked(`${bobRow} input[name=role-adjudicator]`)).toBe(true);
    await page.click(`${bobRow} button:has-text("Save roles")`);
    await page.waitForSelector('[data-testid=settings-members] [role=status]:has-text("Roles of Bob saved")');
    const afterRole = await lead.api<{ members: { id: string; roles: string[] }[] }>(
      'GET',
      '/reviews/settings-ui/members',
    );
    expect(afterRole.body.members.find((m) => m.id === bob.id)?.roles).toEqual(['adjudicator']);
    await page.click(`${bobRow} button:has-text("Remove…")`);
    await page.click(`${bobRow} button.danger`);
    await page.waitForSelector(bobRow, { state: 'detached' });
    expect((await bob.api('GET', '/reviews/settings-ui')).status).toBe(404);

    await noSidewaysScroll(page);
    await shoot(page, 'settings');

    // Saving the stage routed the waiting records: Ann screens with the new settings.
    await waitUntil(
      async () =>
        (
          await app.rt.db.query(`SELECT 1 FROM assignments WHERE reviewer_id = $1 AND state = 'open'`, [
            ann.id,
          ])
        ).rows.length === 3,
      20_000,
      'records routed to Ann',
    );
    const a = await signIn(browser, app.url, ann.email, PASSWORD);
    await a.page.setViewportSize({ width: 1280, height: 800 });
    await a.page.goto('/reviews/settings-ui/screening');
    // The record shows only once the stage's settings have arrived (the section itself is there from the start).
    await a.page.waitForSelector('[data-testid=screening-record] .record-title');
    expect(await a.page.textContent('.criteria')).toContain('studies of leadership for quality improvement');
    const offered = await a.page.locator('.reasons li').allTextContents();
    expect(offered.map((t) => t.replace(/^\s*\d+\s*/, '').trim())).toEqual([
      'Not about QI',
      'Wrong study design',
    ]);
    expect(await a.page.locator('mark.hl-include').count()).toBeGreaterThan(0);
    expect(await a.page.locator('mark.hl-exclude').count()).toBeGreaterThan(0);
    // The menu shows an entry only once it knows the viewer's permissions: before, none would show.
    await a.page.waitForSelector('header nav[data-loaded=true]');
    expect(await a.page.locator('header nav >> text=Settings').count()).toBe(0);
    await noSidewaysScroll(a.page);
    await shoot(a.page, 'reviewer-screening');

    // A reviewer who opens the settings address anyway reads that it is for leads.
    await a.page.goto('/reviews/settings-ui/settings');
    await a.page.waitForSelector('[data-testid=settings-lead-only]');
    expect(await a.page.textContent('main')).toContain('Only a lead of this review');
    await noSidewaysScroll(a.page);

    // The lead screens nothing here (records go to reviewers), and the screening page says so
    // rather than that their queue is done.
    await page.goto('/reviews/settings-ui/screening');
    await page.waitForSelector('[data-testid=screening-done][data-done=true]');
    await page.waitForSelector('header nav[data-loaded=true]');
    expect(await page.textContent('[data-testid=screening-done]')).toBe(
      'You do not screen at this stage: its records go to the review’s reviewers. The Records page shows where each record stands.',
    );
    await shoot(page, 'lead-screening');
  });

  it('keeps what the lead types right after a save, before the saved settings have loaded again', async () => {
    const { page } = await signIn(browser, app.url, lead.email, PASSWORD);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/reviews/settings-ui/settings');
    await page.waitForSelector('#title-abstract-criteria');
    // The settings' reload after the save is held back, so what is typed meanwhile meets it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let saves = 0;
    await page.route('**/api/reviews/settings-ui/stages/title-abstract/config', async (route) => {
      if (route.request().method() === 'PUT') saves += 1;
      else if (saves > 0) await held;
      await route.continue();
    });
    await page.fill('#title-abstract-exclude', 'systematic review\nstudy protocol');
    await page.click('[data-testid=save-stage-title-abstract]');
    await saved(page, 'settings-stage-title-abstract');
    const typed = 'Include: leadership for quality improvement. Typed while the saved settings reload.';
    await page.fill('#title-abstract-criteria', typed);
    const reloaded = page.waitForResponse(
      (r) => r.url().endsWith('/stages/title-abstract/config') && r.request().method() === 'GET',
    );
    release();
    await reloaded;
    // Two frames: React has drawn whatever the reload changed.
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    expect(await page.inputValue('#title-abstract-criteria')).toBe(typed);
    expect(await page.inputValue('#title-abstract-exclude')).toBe('systematic review\nstudy protocol');
    await page.click('[data-testid=save-stage-title-abstract]');
    await waitUntil(
      async () =>
        (
          await lead.api<{ config: { criteria: string } }>(
            'GET',
            '/reviews/settings-ui/stages/title-abstract/config',
          )
        ).body.config.criteria === typed,
      20_000,
      'criteria saved',
    );
    const cfg = await lead.api<{ config: { highlight: { exclude: string[] } } }>(
      'GET',
      '/reviews/settings-ui/stages/title-abstract/config',
    );
    expect(cfg.body.config.highlight.exclude).toEqual(['systematic review', 'study protocol']);
  });

  it('names each refused number by its label, beside the highlighted field, in words', async () => {
    const { page } = await signIn(browser, app.url, lead.email, PASSWORD);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/reviews/settings-ui/settings');
    await page.waitForSelector('#prio-title-abstract-randomShare');
    const prio = '[data-testid=settings-prioritisation-title-abstract]';
    /** Types a bad value into one field, sends the form, and reads the message tied to that field. */
    const refused = async (field: string, value: string, submit: string): Promise<string> => {
      await page.fill(`#${field}`, value);
      await page.click(submit);
      await page.waitForSelector(`#${field}[aria-invalid=true][aria-describedby="${field}-error"]`);
      const message = (await page.textContent(`#${field}-error`)) ?? '';
      expect(message).not.toMatch(/field "|Too big|Too small|Invalid|expected|[A-Z_]{4,}/);
      return message;
    };
    const savePrio = `${prio} button:has-text("Save prioritisation")`;
    expect(await refused('prio-title-abstract-randomShare', '5', savePrio)).toBe(
      'Share of records served at random must be between 0 and 1.',
    );
    // What the lead sees at 1280x800, the refused field in the middle of the window.
    await page.evaluate(
      (sel) => document.querySelector(sel)?.scrollIntoView({ block: 'center' }),
      '#prio-title-abstract-randomShare',
    );
    await page.screenshot({ path: `${SHOTS}/shots-h7-settings-random-share-error.png` });
    await page.fill('#prio-title-abstract-randomShare', '0.1');
    expect(await refused('prio-title-abstract-retrainEvery', '0', savePrio)).toBe(
      'Retrain after this many more settled records must be a whole number between 1 and 10,000.',
    );
    // The message moves to the field at fault: the one fixed is no longer marked.
    expect(await page.getAttribute('#prio-title-abstract-randomShare', 'aria-invalid')).toBeNull();
    await page.fill('#prio-title-abstract-retrainEvery', '5');
    expect(await refused('prio-title-abstract-targetRecall', '', savePrio)).toBe(
      'The recall to reach (stopping rule) must be a number, more than 0 and at most 1.',
    );
    await page.fill('#prio-title-abstract-targetRecall', '0.95');
    expect(await refused('prio-title-abstract-confidence', '1', savePrio)).toBe(
      'The confidence (stopping rule) must be more than 0 and less than 1.',
    );
    await page.fill('#prio-title-abstract-confidence', '0.9');
    await page.click(savePrio);
    await saved(page, 'settings-prioritisation-title-abstract');
    expect(await page.locator(`${prio} [aria-invalid=true]`).count()).toBe(0);

    // The calibration pilot's numbers.
    const start = '[data-testid=calibration-title-abstract] button:has-text("Start a pilot")';
    expect(await refused('title-abstract-cal-size', '0', start)).toBe(
      'The number of pilot records must be a whole number between 2 and 500.',
    );
    // What the lead sees at 1280x800, the refused field in the middle of the window.
    await page.evaluate(
      (sel) => document.querySelector(sel)?.scrollIntoView({ block: 'center' }),
      '#title-abstract-cal-size',
    );
    await page.screenshot({ path: `${SHOTS}/shots-h7-settings-pilot-size-error.png` });
    await page.fill('#title-abstract-cal-size', '3');
    expect(await refused('title-abstract-cal-threshold', '2', start)).toBe(
      'The kappa threshold must be between -1 and 1.',
    );
    await noSidewaysScroll(page);
    const settings = await lead.api<{ settings: { randomShare: number; confidence: number } }>(
      'GET',
      '/reviews/settings-ui/prioritisation/title-abstract',
    );
    expect(settings.body.settings).toMatchObject({ randomShare: 0.1, confidence: 0.9 });
  });

  it('shows whether an exclusion needs a reason, and warns while a stage that needs one has none', async () => {
    const { page } = await signIn(browser, app.url, lead.email, PASSWORD);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/reviews/settings-ui/settings');
    await page.getByRole('tab', { name: 'Full text' }).click();
    const form = page.locator('[data-testid=settings-stage-full-text]');
    const required = form.getByLabel('Reviewers must give an exclusion reason to exclude');
    // Full text needs a reason unless the lead says otherwise, and has none yet: nobody could exclude.
    expect(await required.isChecked()).toBe(true);
    const warning = page.getByTestId('reasons-required-warning-full-text');
    expect(await warning.textContent()).toMatch(
      /^Reviewers cannot exclude at this stage until it has an exclusion reason/,
    );
    await noSidewaysScroll(page);
    await page.screenshot({ path: `${SHOTS}/shots-h7-settings-reasons-required.png`, fullPage: true });
    await required.uncheck();
    expect(await warning.count()).toBe(0);
    await page.click('[data-testid=save-stage-full-text]');
    await saved(page, 'settings-stage-full-text');
    const cfg = await lead.api<{ config: { reasonsRequired?: boolean } }>(
      'GET',
      '/reviews/settings-ui/stages/full-text/config',
    );
    expect(cfg.body.config.reasonsRequired).toBe(false);
  });
});
