import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, launchBrowser, screenshot, signIn } from '../support/browser.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';

if (!HAS_CHROMIUM) console.warn('skipping role-aware browser test: /usr/bin/chromium is not installed');

const PASSWORD = 'correct horse battery';
/** An error code as the API spells it, or a UUID: neither belongs on a page. */
const INTERNALS = /[A-Z_]{4,}:|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

async function navEntries(page: Page): Promise<string[]> {
  // The entries follow the member's access, which loads after the page: read them once it has.
  await page.waitForSelector('nav[aria-label=Review][data-loaded=true]');
  return page.$$eval('nav[aria-label=Review] a', (as) => as.map((a) => a.textContent ?? ''));
}

describe.skipIf(!HAS_CHROMIUM)('pages show each role only the controls it can use', () => {
  let app: TestApp;
  let browser: Browser;
  let lead: TestUser;
  let reviewer: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ workers: false });
    const review = await app.review('roles-review', 'Roles review');
    lead = await app.user('Lead', review, ['lead']);
    reviewer = await app.user('Rita Reviewer', review, ['reviewer']);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('answers each member with the actions the server allows them', async () => {
    const asLead = await lead.api<{ roles: string[]; allowed: string[] }>(
      'GET',
      '/reviews/roles-review/access',
    );
    const asReviewer = await reviewer.api<{ roles: string[]; allowed: string[] }>(
      'GET',
      '/reviews/roles-review/access',
    );
    expect(asLead.body.allowed).toContain('POST /reviews/:review/imports');
    expect(asReviewer.body.roles).toEqual(['reviewer']);
    expect(asReviewer.body.allowed).not.toContain('POST /reviews/:review/imports');
    expect(asReviewer.body.allowed).toContain('POST /reviews/:review/stages/:stage/decisions');
    // The list is the server's own rule: a route the reviewer is refused is never listed.
    expect(
      (await reviewer.api('POST', '/reviews/roles-review/prioritisation/title-abstract/stop', {})).status,
    ).toBe(403);
    expect(asReviewer.body.allowed).not.toContain('POST /reviews/:review/prioritisation/:stage/stop');
  });

  it('hides lead-only controls and pages from a reviewer, and shows them to the lead', async () => {
    const { context: rc, page: rp } = await signIn(browser, app.url, reviewer.email, PASSWORD);
    await rp.goto('/reviews/roles-review/imports');
    const reviewerNav = await navEntries(rp);
    expect(reviewerNav).toContain('Screening');
    expect(reviewerNav).not.toContain('PRISMA');
    expect(reviewerNav).not.toContain('Conflicts');
    await rp.waitForSelector('section.imports table');
    expect(await rp.$('form.import-form')).toBeNull();
    await rp.goto('/reviews/roles-review/prioritisation');
    await rp.waitForSelector('h1, h2');
    await rp.waitForLoadState('networkidle');
    expect(await rp.$('text=Stop early')).toBeNull();
    expect(await rp.$('text=Stop anyway')).toBeNull();
    expect(await rp.innerText('body')).not.toMatch(INTERNALS);
    // Page margins come from <main>: the heading does not touch the window's edge.
    expect(await rp.$eval('h1', (h) => h.getBoundingClientRect().left)).toBeGreaterThan(8);
    expect(await rp.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    await screenshot(rp, 'roles-reviewer-prioritisation');
    await rc.close();

    const { context: lc, page: lp } = await signIn(browser, app.url, lead.email, PASSWORD);
    await lp.goto('/reviews/roles-review/imports');
    const leadNav = await navEntries(lp);
    expect(leadNav).toEqual(expect.arrayContaining(['PRISMA', 'Conflicts']));
    await lp.waitForSelector('form.import-form');
    await lp.goto('/reviews/roles-review/prioritisation');
    await lp.waitForSelector('text=Stop anyway');
    await lc.close();
  });
});
