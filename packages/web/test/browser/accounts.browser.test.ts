import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { HAS_CHROMIUM, launchBrowser, SCREENSHOT_DIR } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

if (!HAS_CHROMIUM)
  console.warn('skipping browser tests: /usr/bin/chromium is not installed (apt-get install chromium)');

// Screenshots of the three pages land with the other browser tests' (gitignored), or where asked.
const SHOTS = process.env.WINNOW_SHOTS_DIR ?? SCREENSHOT_DIR;
const VIEWPORT = { width: 1280, height: 800 };

/** Nothing a person reads may be an error code or an id. */
async function expectHumanText(page: Page): Promise<void> {
  const text = await page.innerText('body');
  expect(text).not.toMatch(/[A-Z_]{4,}:/);
  expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
  // At 1280 px nothing scrolls sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORT.width);
}

describe.skipIf(!HAS_CHROMIUM)('accounts in Chromium: from an empty install to an invited member', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    app = await startTestApp({ workers: false });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('sets up the first account, creates a review, invites by link, and the link signs the new member in', async () => {
    const lead = await browser.newContext({ baseURL: app.url, viewport: VIEWPORT });
    const page = await lead.newPage();
    await page.goto('/');
    await page.waitForSelector('h1:has-text("Set up Winnow")');

    // A problem is said on its field, which is outlined.
    await page.fill('input[name=name]', 'Ada Lead');
    await page.fill('input[name=email]', 'ada@example.org');
    await page.fill('input[name=password]', 'short');
    await page.click('button[type=submit]');
    await page.waitForSelector('input[name=password][aria-invalid=true]');
    expect(await page.textContent('#field-password-message')).toContain('at least 8 characters');
    await page.screenshot({ path: `${SHOTS}/shots-h3-setup.png` });
    await expectHumanText(page);

    await page.fill('input[name=password]', 'a long lead password');
    await page.click('button[type=submit]');
    await page.waitForSelector('header.top');
    expect(await page.textContent('header.top')).toContain('Ada Lead');

    // The browser checks the short name's pattern itself (a pattern it cannot compile checks nothing).
    await page.fill('label:has-text("Short name") input', 'First Review');
    expect(
      await page.$eval(
        'label:has-text("Short name") input',
        (i) => (i as HTMLInputElement).validity.patternMismatch,
      ),
    ).toBe(true);
    // …and says what fits, not only that it does not.
    expect(
      await page.$eval(
        'label:has-text("Short name") input',
        (i) => (i as HTMLInputElement).validationMessage,
      ),
    ).toContain('Lowercase letters, digits and hyphens');
    await page.fill('label:has-text("Short name") input', 'first-review');
    await page.fill('label:has-text("Title") input', 'First review');
    await page.click('button:has-text("Create")');
    await page.waitForURL('**/reviews/first-review');
    await page.click('header.top nav >> text=Members');
    await page.waitForSelector('h2:has-text("Invite people")');
    await page.fill('.invite-form input[name=email]', 'not an email');
    await page.click('button:has-text("Create invitation link")');
    await page.waitForSelector('.invite-form input[name=email][aria-invalid=true]');
    await page.fill('.invite-form input[name=email]', 'Bea.Reviewer@example.org');
    await page.selectOption('select[name=role]', 'reviewer');
    // Found by its name, as a screen reader announces it (not a blank label round it).
    await page.getByRole('button', { name: 'Create invitation link', exact: true }).click();
    await page.waitForSelector('[data-testid=new-invitation]');
    const link = await page.inputValue('#invite-link');
    expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{40,}$/);
    await page.waitForSelector('[data-testid=pending-invitation]:has-text("bea.reviewer@example.org")');
    await page.screenshot({ path: `${SHOTS}/shots-h3-invite.png` });
    await expectHumanText(page);

    // The invitee opens the link in a browser of their own.
    const invitee = await browser.newContext({ baseURL: app.url, viewport: VIEWPORT });
    const inv = await invitee.newPage();
    await inv.goto(new URL(link).pathname);
    await inv.waitForSelector('[data-testid=invitation]');
    expect(await inv.textContent('[data-testid=invitation]')).toMatch(/First review.*as a reviewer/);
    await inv.fill('input[name=name]', 'Bea Reviewer');
    await inv.click('button[type=submit]');
    await inv.waitForSelector('input[name=password][aria-invalid=true]');
    await inv.fill('input[name=password]', 'a long reviewer password');
    // Editing the field takes its message away.
    await inv.waitForSelector('input[name=password]:not([aria-invalid])');
    await inv.screenshot({ path: `${SHOTS}/shots-h3-accept.png` });
    await expectHumanText(inv);
    await inv.click('button[type=submit]');

    // Signed in as the new member, on the review's page.
    await inv.waitForURL('**/reviews/first-review');
    await inv.waitForSelector('header.top');
    expect(await inv.textContent('header.top')).toContain('Bea Reviewer');
    const me = await inv.evaluate(async () => (await fetch('/api/auth/me')).json());
    expect(me).toMatchObject({ user: { email: 'bea.reviewer@example.org', name: 'Bea Reviewer' } });
    const review = await inv.evaluate(async () => (await fetch('/api/reviews/first-review')).json());
    expect(review).toMatchObject({ roles: ['reviewer'] });

    // The lead sees the new member and no open invitation; the link does not work twice.
    await page.reload();
    await page.waitForSelector('[data-testid=member-row]:has-text("Bea Reviewer")');
    await page.waitForSelector('text=No open invitations.');
    const again = await browser.newContext({ baseURL: app.url, viewport: VIEWPORT });
    const second = await again.newPage();
    await second.goto(new URL(link).pathname);
    await second.waitForSelector('[role=alert]:has-text("already been used")');
    await expectHumanText(second);

    // The signed-in name in the header leads to the password page; a change keeps this session
    // signed in.
    await inv.getByRole('banner').getByRole('link', { name: 'Bea Reviewer' }).click();
    await inv.fill('input[name=currentPassword]', 'a long reviewer password');
    await inv.fill('input[name=newPassword]', 'a newer reviewer password');
    await inv.fill('input[name=repeat]', 'a newer reviewer password');
    await inv.click('button[type=submit]');
    await inv.waitForSelector('[role=status]:has-text("Password changed")');
    await expectHumanText(inv);
    await Promise.all([lead.close(), invitee.close(), again.close()]);
  });
});
