import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { HAS_CHROMIUM, launchBrowser, screenshot, signIn } from '../support/browser.ts';
import { seriousAxeViolations } from '../support/axe.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';

const PASSWORD = 'correct horse battery';
const RIS = ['One', 'Two', 'Three']
  .map((t) => `TY  - JOUR\nTI  - ${t} record about nurse staffing\nER  - \n`)
  .join('');
const STRATEGY = '1. exp Personnel Staffing and Scheduling/\n2. staffing.ti,ab.\n3. 1 or 2';

async function upload(page: Page, name: string, body: Buffer | string): Promise<void> {
  await page.setInputFiles('form[aria-label="Upload an export"] input[type=file]', {
    name,
    mimeType: 'application/octet-stream',
    buffer: Buffer.isBuffer(body) ? body : Buffer.from(body),
  });
}

/**
 * A lead uploads an export with its search strategy, then corrects the search's details from the
 * imports page (PRISMA-S), and retries a file that failed: the form starts empty for each upload.
 */
describe.skipIf(!HAS_CHROMIUM)('an import’s search details on the imports page', () => {
  let app: TestApp;
  let lead: TestUser;
  let browser: Browser;
  const base = '/reviews/search-details-ui';

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('search-details-ui', 'Search details');
    lead = await app.user('Lead', review, ['lead']);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('keeps the strategy given with the upload, and corrects the details afterwards', async () => {
    const { context, page } = await signIn(browser, app.url, lead.email, PASSWORD);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${base}/imports`);
    const form = page.locator('form[aria-label="Upload an export"]');
    await upload(page, 'medline.ris', RIS);
    await form.getByLabel('Source', { exact: true }).fill('MEDLNE');
    await form.getByLabel('Search strategy (optional)').fill(STRATEGY);
    await form.getByRole('button', { name: 'Upload and import' }).click();
    await page.getByText('Imported medline.ris: 3 records').waitFor({ timeout: 30_000 });
    // The next upload starts from an empty form.
    expect(await form.getByLabel('Source', { exact: true }).inputValue()).toBe('');
    expect(await form.getByLabel('Search strategy (optional)').inputValue()).toBe('');
    expect(
      await form.locator('input[type=file]').evaluate((i: HTMLInputElement) => i.files?.length ?? 0),
    ).toBe(0);

    // Its details open under the table, brought into view, with the strategy given.
    await page.getByRole('button', { name: 'medline.ris' }).click();
    const details = page.locator('form[aria-label="Search details"]');
    await details.waitFor();
    // The search details form comes on screen whole, under the warnings.
    await expect
      .poll(async () => {
        const box = await details.boundingBox();
        return box !== null && box.y >= 0 && box.y + box.height <= 800;
      })
      .toBe(true);
    expect(await details.getByLabel('Search strategy').inputValue()).toBe(STRATEGY);
    await details.getByLabel('Source').fill('MEDLINE');
    await details.getByLabel('Platform').fill('Ovid');
    await details.getByLabel('Records reported').fill('3');
    await details.getByRole('button', { name: 'Save the search details' }).click();
    await details.getByRole('status').getByText('Saved the search’s details').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'import-search-details');
    const { body } = await lead.api<{
      searches: { source: string; platform: string; strategy: string; recordsReported: number }[];
    }>('GET', `${base}/prisma/searches`);
    expect(body.searches).toEqual([
      expect.objectContaining({
        source: 'MEDLINE',
        platform: 'Ovid',
        strategy: STRATEGY,
        recordsReported: 3,
      }),
    ]);
    // The table reads the new source name.
    await expect
      .poll(() => page.locator('tr', { hasText: 'medline.ris' }).locator('td').nth(1).textContent())
      .toBe('MEDLINE');
    // A wrong count is named, and nothing is sent.
    await details.getByLabel('Records reported').fill('three');
    await details.getByRole('button', { name: 'Save the search details' }).click();
    expect(await details.getByRole('alert').textContent()).toBe(
      'Records reported: a whole number, or nothing',
    );
    await context.close();
  });

  it('names a failed file once in its message, and takes the same file again', async () => {
    const { context, page } = await signIn(browser, app.url, lead.email, PASSWORD);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${base}/imports`);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const form = page.locator('form[aria-label="Upload an export"]');
    await upload(page, 'logo.png', png);
    await form.getByRole('button', { name: 'Upload and import' }).click();
    const failed = page.getByText(/^logo\.png could not be imported: /);
    await failed.waitFor({ timeout: 30_000 });
    expect(await failed.textContent()).not.toContain('logo.png: ');
    // The same bytes under another name: a new attempt, answered as the first was.
    await upload(page, 'logo.ris', png);
    await form.getByRole('button', { name: 'Upload and import' }).click();
    await page.getByText(/^logo\.ris could not be imported: /).waitFor({ timeout: 30_000 });
    expect(await page.getByText('Something went wrong').count()).toBe(0);
    await context.close();
  });
});
