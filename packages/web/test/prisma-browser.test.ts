import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { HAS_CHROMIUM, launchBrowser, screenshot, signIn } from './support/browser.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

if (!HAS_CHROMIUM) console.warn('skipping PRISMA browser test: /usr/bin/chromium is not installed');

describe.skipIf(!HAS_CHROMIUM)('PRISMA page in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let lead: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ workers: false });
    const review = await app.review('prisma-page', 'PRISMA page review');
    lead = await app.user('Lead', review, ['lead']);
    const db = app.rt.db;
    const { rows: s } = await db.query<{ id: string }>(
      `INSERT INTO searches (review_id, source_name, source_kind, platform, searched_on, records_reported)
       VALUES ($1, 'MEDLINE', 'database', 'Ovid', '2026-10-01', 4) RETURNING id`,
      [review.id],
    );
    const { rows: i } = await db.query<{ id: string }>(
      `INSERT INTO imports (review_id, search_id, file_name, content_hash, status) VALUES ($1, $2, 'medline.ris', 'h-page', 'complete') RETURNING id`,
      [review.id, s[0]!.id],
    );
    const { rows: recs } = await db.query<{ id: string }>(
      `INSERT INTO records (review_id, import_id, source_index, title, data, raw)
       SELECT $1, $2, n, 'Leadership for improvement, study ' || n, '{}'::jsonb, '' FROM generate_series(1, 4) AS n RETURNING id`,
      [review.id, i[0]!.id],
    );
    await db.query(`UPDATE records SET duplicate_of = $1 WHERE id = $2`, [recs[0]!.id, recs[1]!.id]);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  // Until issue 14 the three records not yet screened counted as screened and a warning named them.
  it('shows the live diagram with what is under way; a box opens the records it counts', async () => {
    const { page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    await page.goto('/reviews/prisma-page/prisma');
    await page.waitForSelector('.prisma-diagram svg[role=group]');
    expect(await page.textContent('.prisma-diagram')).toContain('MEDLINE (n\u00a0=\u00a04)');
    expect(await page.textContent('[data-in-progress=true]')).toContain('awaiting title/abstract screening');
    expect(await page.locator('[data-warning]').count()).toBe(0);
    await screenshot(page, 'prisma-diagram');
    await page.click('.prisma-diagram a[href$="/prisma/box/duplicates"] >> nth=0');
    await page.waitForSelector('tr[data-item]');
    expect(page.url()).toContain('/prisma/box/duplicates');
    expect(await page.textContent('h1')).toContain('(1)');
    expect(await page.textContent('tbody')).toContain('Leadership for improvement, study 2');
    expect(await page.textContent('tr[data-item] td')).toBe('Record');
    await screenshot(page, 'prisma-box');
    // Its title opens the record's page, whose history says in words what happened to it.
    await page.click('tr[data-item] a');
    // (A record stored with no authors, keywords or headings, as this one is, once emptied the page.)
    await page.waitForSelector('#rec-history');
    expect(page.url()).toMatch(/\/reviews\/prisma-page\/records\/[0-9a-f-]{36}$/);
    await page.goto('/reviews/prisma-page/prisma/searches');
    await page.waitForSelector('tbody tr td');
    expect(await page.textContent('tbody')).toContain('Ovid');
    await screenshot(page, 'prisma-searches');
  });
});
