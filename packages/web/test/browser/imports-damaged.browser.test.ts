import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, launchBrowser, SCREENSHOT_DIR, signIn } from '../support/browser.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';

if (!HAS_CHROMIUM) console.warn('imports-damaged browser test skipped: /usr/bin/chromium is not installed');

const PASSWORD = 'correct horse battery';

const entry = (n: number, abstract = `Abstract ${n}.`): string =>
  `@article{key${n},\n  title = {Damaged export entry ${n}},\n  abstract = {${abstract}},\n  year = {20${10 + n}}\n}\n\n`;

/** Uploads `text` as `name` from the imports page's form, with `source` as the search's source. */
async function uploadExport(page: Page, name: string, text: string, source: string): Promise<void> {
  await page.setInputFiles('form[aria-label="Upload an export"] input[type=file]', {
    name,
    mimeType: 'text/plain',
    buffer: Buffer.from(text),
  });
  await page.getByLabel('Source').fill(source);
  await page.getByRole('button', { name: 'Upload and import' }).click();
}

describe.skipIf(!HAS_CHROMIUM)('an export with a damaged record, on the imports page', () => {
  let app: TestApp;
  let lead: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('damaged-ui', 'Damaged exports');
    lead = await app.user('Lead', review, ['lead']);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('says imported with warnings and counts the damaged record in words', async () => {
    const browser = await launchBrowser();
    try {
      const l = await signIn(browser, app.url, lead.email, PASSWORD);
      await l.page.setViewportSize({ width: 1280, height: 800 });
      await l.page.goto('/reviews/damaged-ui/imports');
      const text = Array.from({ length: 6 }, (_, n) =>
        entry(n + 1, n === 2 ? 'An {unbalanced abstract' : undefined),
      ).join('');
      await uploadExport(l.page, 'scopus-damaged.bib', text, 'Scopus');
      const damage = l.page.getByTestId('import-damage');
      await damage.waitFor({ timeout: 30_000 });
      expect(await damage.textContent()).toBe('1 damaged record repaired');
      const row = l.page.locator('tr', { hasText: 'scopus-damaged.bib' });
      expect(await row.locator('td').nth(4).textContent()).toMatch(/^Imported with warnings/);
      expect(await row.locator('td').nth(5).textContent()).toBe('6');
      // Formats and kinds by their names, never their tokens.
      expect(await row.locator('td').nth(3).textContent()).toBe('BibTeX');
      const form = l.page.locator('form[aria-label="Upload an export"]');
      expect(await form.getByLabel('Format').locator('option').allTextContents()).toContain(
        'MEDLINE / PubMed (.nbib)',
      );
      expect(await form.getByLabel('Kind').locator('option').first().textContent()).toBe('Database');
      // The file name is a button the keyboard reaches: Enter opens the diagnostics and closes them.
      const file = row.getByRole('button', { name: 'scopus-damaged.bib' });
      const list = l.page.getByRole('list', { name: 'Diagnostics of scopus-damaged.bib' });
      expect(await file.getAttribute('aria-expanded')).toBe('false');
      await file.focus();
      await l.page.keyboard.press('Enter');
      await list.waitFor();
      expect(await file.getAttribute('aria-expanded')).toBe('true');
      await l.page.keyboard.press('Enter');
      await list.waitFor({ state: 'detached' });
      // A click anywhere on the row still opens them.
      await row.locator('td').nth(5).click();
      await list.waitFor();
      expect(await list.textContent()).toMatch(/record 3 \(line 15\): abstract: unbalanced braces/);
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await l.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'imports-damaged.png') });
    } finally {
      await browser.close();
    }
  }, 90_000);

  it('imports an export with a NUL byte in a title, and says which record lost it', async () => {
    const browser = await launchBrowser();
    try {
      const l = await signIn(browser, app.url, lead.email, PASSWORD);
      await l.page.setViewportSize({ width: 1280, height: 800 });
      await l.page.goto('/reviews/damaged-ui/imports');
      const ris = [1, 2, 3]
        .map((n) => `TY  - JOUR\nTI  - Ward huddles, part${n === 2 ? '\u0000' : ''} ${n}\nER  - \n`)
        .join('\n');
      await uploadExport(l.page, 'embase-nul.ris', ris, 'Embase');
      const row = l.page.locator('tr', { hasText: 'embase-nul.ris' });
      await row.locator('td', { hasText: /^Imported with warnings/ }).waitFor({ timeout: 30_000 });
      expect(await row.locator('td').nth(5).textContent()).toBe('3');
      await row.click();
      const list = l.page.getByRole('list', { name: 'Diagnostics of embase-nul.ris' });
      await list.waitFor();
      expect(await list.textContent()).toMatch(
        /record 2 \(line 5\): a NUL character \(byte 0x00\) removed from title \(the database cannot store it\); kept with warning/,
      );
      await list.scrollIntoViewIfNeeded();
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await l.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'imports-nul.png') });
    } finally {
      await browser.close();
    }
  }, 90_000);

  it('refuses the same export a second time in one sentence, with no import under way beside it', async () => {
    const browser = await launchBrowser();
    try {
      const l = await signIn(browser, app.url, lead.email, PASSWORD);
      await l.page.setViewportSize({ width: 1280, height: 800 });
      await l.page.goto('/reviews/damaged-ui/imports');
      const ris = [1, 2].map((n) => `TY  - JOUR\nTI  - Handover checklists ${n}\nER  - \n`).join('\n');
      await uploadExport(l.page, 'cinahl.ris', ris, 'CINAHL');
      const status = l.page.getByTestId('import-status');
      await l.page.waitForFunction(
        () =>
          document.querySelector('[data-testid=import-status]')?.textContent ===
          'Imported cinahl.ris: 2 records',
        undefined,
        { timeout: 30_000 },
      );
      await uploadExport(l.page, 'cinahl.ris', ris, 'CINAHL');
      const refusal = l.page.getByRole('alert');
      await refusal.waitFor();
      expect(await refusal.textContent()).toMatch(
        /already imported into this review\. Tick “Import again even if already imported” to import it anyway\.$/,
      );
      // The refused upload started nothing: no progress line says it is importing.
      expect(await status.count()).toBe(0);
      expect(await l.page.locator('progress').count()).toBe(0);
      // Its clean import, opened, says there is nothing to show rather than showing an empty list.
      await l.page
        .locator('tr', { hasText: 'cinahl.ris' })
        .getByRole('button', { name: 'cinahl.ris' })
        .click();
      expect(await l.page.getByRole('list', { name: 'Diagnostics of cinahl.ris' }).textContent()).toBe(
        'No warnings or errors.',
      );
    } finally {
      await browser.close();
    }
  }, 90_000);
});
