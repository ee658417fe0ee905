import { sampleCodings, seedIncludedReports } from '@winnow/extraction/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, launchBrowser, screenshot, settled, signIn } from '../support/browser.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';

if (!HAS_CHROMIUM) console.warn('skipping consensus browser test: /usr/bin/chromium is not installed');

const SLUG = 'consensus-browser';
const base = `/reviews/${SLUG}/extraction`;

/**
 * Two coders of one study differ on a field that holds several answers (Ann: Lean; Bob: Lean and
 * Six Sigma). The lead can take either coder's answer, or both together, from the consensus page.
 */
describe.skipIf(!HAS_CHROMIUM)('consensus in Chromium: both coders’ answers together', () => {
  let app: TestApp;
  let browser: Browser;
  let lead: TestUser;
  let studyId: string;
  let secondStudy: string;
  let thirdStudy: string;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review(SLUG, 'Consensus browser review');
    lead = await app.user('Lead', review, ['lead']);
    const coders = {
      ann: await app.user('Ann', review, ['reviewer']),
      bob: await app.user('Bob', review, ['reviewer']),
    };
    await seedIncludedReports(app.rt.db, review.id, [
      { title: 'Lean and Six Sigma on the wards', year: 2021 },
      { title: 'Candid talk in improvement teams', year: 2022 },
      { title: 'Huddles across borders', year: 2023 },
    ]);
    const { body } = await lead.api<{ jobId: string }>('POST', `${base}/assign`);
    await app.rt.queue.waitFor(body.jobId, 20_000);
    const studies = await lead.api<{ studies: { id: string }[] }>('GET', `${base}/studies`);
    studyId = studies.body.studies[0]!.id;
    secondStudy = studies.body.studies[1]!.id;
    thirdStudy = studies.body.studies[2]!.id;
    for (const [sample, study] of [
      ['S1', studyId],
      ['S2', secondStudy],
    ] as const)
      for (const c of sampleCodings.filter((x) => x.studyId === sample)) {
        const coder = coders[c.coderId as keyof typeof coders];
        const r = await coder.api('PUT', `${base}/studies/${study}/coding`, {
          values: c.values,
          submit: true,
        });
        expect(r.status).toBe(200);
      }
    // The third study: the coders differ on Geography with keys that other questions use too
    // ("international" answers "Learning applied to", "unclear" answers "Evidence sources").
    const s1 = sampleCodings.find((x) => x.studyId === 'S1')!.values;
    for (const [coder, geography] of [
      [coders.ann, 'international'],
      [coders.bob, 'unclear'],
    ] as const) {
      const r = await coder.api('PUT', `${base}/studies/${thirdStudy}/coding`, {
        values: { ...s1, geography: { type: 'single_choice', option: geography } },
        submit: true,
      });
      expect(r.status).toBe(200);
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('offers both answers together beside each coder’s, and finalises with them', async () => {
    const { context, page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    await page.goto(`${base}/${studyId}/consensus`);
    const row = page.locator('tr[data-difference=improvement_approach]');
    await row.waitFor();
    await settled(page);
    expect(await page.locator('thead th').allTextContents()).toEqual([
      'Field',
      'Coder 1',
      'Coder 2',
      'Both coders',
    ]);
    const cells = (await row.locator('td').allTextContents()).map((t) => t.trim());
    // Which coder is "Coder 1" is the order their codings were read in; the third is both together.
    expect(cells[0]).toBe('Improvement approach');
    expect(cells.slice(1, 3).sort()).toEqual(['Lean', 'Lean, Six Sigma']);
    expect(cells[3]).toBe('Lean, Six Sigma');
    expect(await page.textContent('main')).toContain(
      'choose one answer for each, or both coders’ answers together where a field holds several',
    );
    await row.locator('input[type=radio]').nth(2).check();
    await screenshot(page, 'consensus-both-coders');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    await page.click('button:has-text("Finalise consensus")');
    await page.waitForSelector('[role=status]:has-text("Consensus finalised.")');

    const final = await lead.api<{ final: { values: Record<string, unknown>; resolvedFields: string[] } }>(
      'GET',
      `${base}/studies/${studyId}/consensus`,
    );
    expect(final.body.final.resolvedFields).toEqual(['improvement_approach']);
    expect(final.body.final.values.improvement_approach).toEqual({
      type: 'multi_choice',
      options: ['lean', 'six_sigma'],
    });
    await context.close();
  });

  it('shows each code with the quotations each coder gave for it', async () => {
    const { context, page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    await page.goto(`${base}/${secondStudy}/consensus`);
    const row = page.locator('tr[data-difference=influences]');
    await row.waitFor();
    await settled(page);
    const cells = (await row.locator('td').allTextContents()).map((t) => t.trim());
    // One coder quoted the open discussion; the other applied it bare and quoted another code.
    expect(cells.slice(1, 3).sort()).toEqual(
      [
        'Openness and transparency about needs, opportunities and difficulties (“-candid talk helped”)',
        'Openness and transparency about needs, opportunities and difficulties, Early involvement and informal, frequent contact that builds trust (“patients joined early”)',
      ].sort(),
    );
    expect(cells[3]).toBe(
      'Openness and transparency about needs, opportunities and difficulties (“-candid talk helped”), Early involvement and informal, frequent contact that builds trust (“patients joined early”)',
    );
    await context.close();
  });

  it('names each coder’s answer by its own question’s labels', async () => {
    const { context, page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    await page.goto(`${base}/${thirdStudy}/consensus`);
    const row = page.locator('tr[data-difference=geography]');
    await row.waitFor();
    await settled(page);
    const cells = (await row.locator('td').allTextContents()).map((t) => t.trim());
    expect(cells.slice(1, 3).sort()).toEqual([
      'Draws from an international evidence base',
      'Geographical origin not reported or unclear',
    ]);
    await context.close();
  });

  it('says so, with the way back, when the study is not in the review or the address is cut short', async () => {
    const { context, page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    for (const [study, words] of [
      ['00000000-0000-4000-8000-000000000000', 'This study is not in this review'],
      [studyId.slice(0, 20), 'Nothing at this address: the link may be mistyped or cut short.'],
    ] as const) {
      await page.goto(`${base}/${study}/consensus`);
      // Not "Loading…" for ever: the page says what is wrong and links back to the studies.
      await page.locator('main .error').waitFor();
      expect(await page.textContent('main .error')).toContain(words);
      expect(await page.textContent('main')).not.toMatch(/path parameter|UUID|Loading/);
      expect(await page.getAttribute('main a', 'href')).toBe(base);
    }
    await screenshot(page, 'consensus-no-such-study');
    await context.close();
  });
});
