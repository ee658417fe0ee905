import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { seriousAxeViolations } from '../support/axe.ts';
import { HAS_CHROMIUM, launchBrowser, SCREENSHOT_DIR, signIn } from '../support/browser.ts';
import { seedTwoColumns } from '../support/prisma-two-columns.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';

if (!HAS_CHROMIUM) console.warn('PRISMA page browser test skipped: /usr/bin/chromium is not installed');

const SHOTS = process.env.WINNOW_SHOTS_DIR ?? SCREENSHOT_DIR;
const SLUG = 'prisma-page-checks';

/** What is on screen at 1280x800, scrolled to the state under test. */
async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

const words = (s: string | null): string => (s ?? '').replace(/\s+/g, ' ').trim();

describe.skipIf(!HAS_CHROMIUM)('PRISMA page as the lead walks it, in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let lead: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ workers: false });
    const review = await app.review(SLUG, 'Improvement capability');
    lead = await app.user('Lead', review, ['lead']);
    await seedTwoColumns(app, review);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const open = async (): Promise<Page> => {
    const { page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`/reviews/${SLUG}/prisma`);
    await page.waitForSelector('.prisma-diagram svg .prisma-in-progress');
    await page.locator('[data-in-progress=true]').waitFor();
    return page;
  };

  it('says the same awaiting counts in the list and above the diagram, each column named', async () => {
    const page = await open();
    const list = page.locator('[data-in-progress=true]');
    expect(words(await list.locator('[data-waiting=records_awaiting]').textContent())).toBe(
      '4 records from databases and registers awaiting title/abstract screening, those in conflict included (2 screened so far)',
    );
    expect(words(await list.locator('[data-waiting=other_records_awaiting]').textContent())).toBe(
      '3 records from other methods awaiting title/abstract screening',
    );
    const banner = words(await page.locator('.prisma-diagram .prisma-in-progress').textContent());
    expect(banner).toContain(
      '4 records from databases and registers and 3 from other methods awaiting title/abstract screening',
    );
    expect(banner).not.toContain('7 records');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shoot(page, 'prisma-awaiting-two-columns');
    await page.context().close();
  });

  it('opens what a box counts when its number is clicked, not only its blank part', async () => {
    const page = await open();
    for (const [text, heading] of [
      ['Records screened (n\u00a0=\u00a02)', 'Records screened'],
      ['Records excluded (n\u00a0=\u00a01)', 'Records excluded'],
      ['Reports sought for retrieval (n\u00a0=\u00a01)', 'Reports sought for retrieval'],
      ['Records removed before screening:', 'Records removed before screening'],
    ] as const) {
      const words = page.locator('.prisma-diagram svg text', { hasText: text });
      // The words themselves are what the pointer lands on (Playwright checks the hit target).
      const hit = await words.evaluate((el) => {
        const r = el.getBoundingClientRect();
        el.scrollIntoView({ block: 'center' });
        const s = el.getBoundingClientRect();
        return document.elementFromPoint(s.x + s.width / 2, s.y + s.height / 2) === el && r.width > 0;
      });
      expect(hit, text).toBe(true);
      await words.click();
      await page.waitForURL(/\/prisma\/box\//);
      await page.waitForFunction((h) => document.querySelector('h1')?.textContent?.startsWith(h), heading);
      if (text.startsWith('Records excluded')) {
        await page.waitForSelector('tr[data-item]');
        await shoot(page, 'prisma-box-from-number');
      }
      await page.goBack();
      await page.waitForSelector('.prisma-diagram svg .prisma-in-progress');
    }
    await page.context().close();
  });

  it('says plainly that an image is not a CSV file, and names the line of a CSV syntax error', async () => {
    const page = await open();
    const check = page.locator('section', { hasText: 'Check a PRISMA2020 template CSV' });
    const input = check.locator('input[type=file]');
    const error = check.locator('p.error');
    const image = await page.screenshot();
    await input.setInputFiles({ name: 'prisma-diagram.png', mimeType: 'image/png', buffer: image });
    await error.waitFor();
    expect(await error.textContent()).toBe(
      '"prisma-diagram.png" is not a CSV file: the PRISMA 2020 template is a CSV file saved from its spreadsheet.',
    );
    await check.scrollIntoViewIfNeeded();
    await shoot(page, 'prisma-template-check-not-csv');

    const csv = await lead.api<string>('GET', `/reviews/${SLUG}/prisma?format=csv`);
    const lines = csv.body.split('\n');
    lines[5] = lines[5]!.replace(/,([^,]*)$/, ',4"9"');
    await input.setInputFiles({
      name: 'counts.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(lines.join('\n')),
    });
    await page.waitForFunction(
      () => document.querySelector('section p.error')?.textContent?.startsWith('"counts.csv"') ?? false,
    );
    const message = (await error.textContent()) ?? '';
    expect(message).toBe(
      '"counts.csv" is not a valid CSV file: line 6, column "n": a quote mark (") is in the middle of a cell. A cell that holds quote marks must start and end with one, and each quote mark inside it must be doubled ("").',
    );
    expect(message).not.toMatch(/Invalid Opening Quote|field \d|value is|\ufffd/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await check.scrollIntoViewIfNeeded();
    await shoot(page, 'prisma-template-check-bad-line');
    await page.context().close();
  });
});
