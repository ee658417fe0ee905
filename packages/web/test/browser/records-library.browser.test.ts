import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { seriousAxeViolations } from '../support/axe.ts';
import { HAS_CHROMIUM, launchBrowser, SCREENSHOT_DIR, screenshot, signIn } from '../support/browser.ts';
import { insertLibraryRecords, LIBRARY_RECORDS } from '../support/library-records.ts';
import { stageStatus, waitUntil } from '../screening-fixtures.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';

if (!HAS_CHROMIUM)
  console.warn('skipping browser tests: /usr/bin/chromium is not installed (apt-get install chromium)');

/** The records library as a reviewer and a lead use it: search, filter by reason, export, page. */
describe.skipIf(!HAS_CHROMIUM)('records library in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let lead: TestUser;
  let ann: TestUser;
  let ids: string[];
  const base = '/reviews/library-browser';

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('library-browser', 'Library review');
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    const bob = await app.user('Bob', review, ['reviewer']);
    ids = await insertLibraryRecords(app.rt.db, review.id, 'embase.ris');
    // Two people, written "Family, Given" as databases export them.
    await app.rt.db.query(`UPDATE records SET data = jsonb_set(data, '{authors}', $2::jsonb) WHERE id = $1`, [
      ids[0],
      JSON.stringify([
        { family: 'Okafor', asWritten: 'Okafor, N.' },
        { family: 'Lindqvist', asWritten: 'Lindqvist, S.' },
      ]),
    ]);
    await lead.api('PUT', `${base}/stages/title-abstract/config`, {
      exclusionReasons: [{ code: 'setting', label: 'Not a healthcare setting' }],
    });
    const routed = await lead.api<{ jobId: string }>('POST', `${base}/stages/title-abstract/route`);
    await app.rt.queue.waitFor(routed.body.jobId, 20_000);
    for (const who of [ann, bob])
      await who.api('POST', `${base}/stages/title-abstract/decisions`, {
        recordId: ids[5],
        vote: 'exclude',
        reasons: ['setting'],
      });
    await waitUntil(
      async () => (await stageStatus(app.rt.db, ids[5]!, 'title-abstract')) === 'excluded',
      20_000,
      'record excluded',
    );
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('a reviewer finds records with the search syntax, and a malformed search says where', async () => {
    const { context, page } = await signIn(browser, app.url, ann.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    // Reached from the review's navigation, as a reviewer would.
    await page.goto(base);
    await page.click('header.top nav[data-loaded=true] >> text=Records');
    await expect.poll(() => page.textContent('.records-toolbar [role=status]')).toBe('1–6 of 6 records');
    await page.fill('#records-q', '"quality improvement" AND (lean OR "six sigma") NOT pediatric*');
    await page.click('button:has-text("Search")');
    await expect.poll(() => page.textContent('.records-toolbar [role=status]')).toBe('1–2 of 2 records');
    const titles = await page.locator('.records-item > a').allTextContents();
    expect(titles.sort()).toEqual([LIBRARY_RECORDS[0]!.title, LIBRARY_RECORDS[1]!.title]);
    // People apart by semicolons: commas would run "Okafor, N., Lindqvist, S." together.
    expect(
      await page
        .locator(`.records-item:has(a:text-is("${LIBRARY_RECORDS[0]!.title}")) .small.muted`)
        .textContent(),
    ).toBe('Okafor, N.; Lindqvist, S. · 2015 · BMJ Quality & Safety');
    expect(new URL(page.url()).searchParams.get('q')).toContain('six sigma');
    // Tag both from the list, then find them under the tag.
    await page.check(`.records-item input[type=checkbox] >> nth=0`);
    await page.check(`.records-item input[type=checkbox] >> nth=1`);
    await page.fill('.records-tagbar input', 'check later');
    await page.click('button:has-text("Add tag")');
    await expect
      .poll(() => page.textContent('.records-tagbar [role=status]'))
      .toBe('Tagged 2 records with “check later”.');
    await expect.poll(() => page.locator('.record-tag').count()).toBe(2);
    // Tagged again: said as they are, not as "Tagged 0 records", which reads as a failure.
    await page.check(`.records-item input[type=checkbox] >> nth=0`);
    await page.check(`.records-item input[type=checkbox] >> nth=1`);
    await page.click('button:has-text("Add tag")');
    await expect
      .poll(() => page.textContent('.records-tagbar [role=status]'))
      .toBe('The 2 selected records already have the tag “check later”.');
    await page.click('button:has-text("Clear")');
    await expect.poll(() => page.textContent('.records-toolbar [role=status]')).toBe('1–6 of 6 records');
    await page.click('fieldset:has(legend:text("Tag")) label:has-text("check later")');
    await expect.poll(() => page.textContent('.records-toolbar [role=status]')).toBe('1–2 of 2 records');
    await screenshot(page, 'records-search');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.fill('#records-q', '(lean OR sigma');
    await page.click('button:has-text("Search")');
    await expect
      .poll(() => page.textContent('[role=alert]'))
      .toBe('The search could not be read: a bracket is opened here and never closed (at character 1)');
    // Empty brackets have an opening bracket: said as what they lack, not as a stray closing one.
    await page.fill('#records-q', 'lean ()');
    await page.click('button:has-text("Search")');
    await expect
      .poll(() => page.textContent('[role=alert]'))
      .toBe(
        'The search could not be read: the brackets opened here hold no word to search for (at character 6)',
      );
    await context.close();
  });

  it('a lead filters by exclusion reason with counts, and exports the selection', async () => {
    const { context, page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${base}/records`);
    await expect.poll(() => page.textContent('.records-toolbar [role=status]')).toBe('1–6 of 6 records');
    const reason = page.locator(
      'fieldset:has(legend:text("Exclusion reason")) label:has-text("Not a healthcare setting")',
    );
    expect(await reason.textContent()).toContain('(1)');
    await reason.click();
    await expect.poll(() => page.textContent('.records-toolbar [role=status]')).toBe('1 record');
    expect(await page.textContent('.records-item')).toContain('Excluded (Not a healthcare setting)');
    await screenshot(page, 'records-reason');
    const names: string[] = [];
    const downloaded = async (link: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`text=${link}`)]);
      names.push(download.suggestedFilename());
      return new Promise<string>((resolve, reject) => {
        void download.createReadStream().then((s) => {
          const chunks: Buffer[] = [];
          s.on('data', (c: Buffer) => chunks.push(c));
          s.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
          s.on('error', reject);
        });
      });
    };
    const text = await downloaded('Export RIS');
    expect(text.match(/^TY {2}- /gm)).toHaveLength(1);
    expect(text).toContain(LIBRARY_RECORDS[5]!.title);
    // The spreadsheet says why: the stage's state and the reason, in the page's words.
    const [header, row, ...more] = parse(await downloaded('Export CSV')) as string[][];
    expect(more).toEqual([]);
    expect(row![header!.indexOf('Title')]).toBe(LIBRARY_RECORDS[5]!.title);
    expect(row![header!.indexOf('Title/abstract screening')]).toBe('Excluded');
    expect(row![header!.indexOf('Title/abstract exclusion reasons')]).toBe('Not a healthcare setting');
    // Each file named for what it holds, so a second export does not arrive under the same name.
    expect(names).toEqual([
      expect.stringMatching(/^library-browser-records-title-abstract-setting-\d{4}-\d{2}-\d{2}\.ris$/),
      expect.stringMatching(/^library-browser-records-title-abstract-setting-\d{4}-\d{2}-\d{2}\.csv$/),
    ]);
    // Ticked records are what a person means to export: only they go, named as selected.
    await page.click('fieldset:has(legend:text("Exclusion reason")) label:has-text("Any")');
    await expect.poll(() => page.textContent('.records-toolbar [role=status]')).toBe('1–6 of 6 records');
    await page.check(`.records-item:has(a:text-is("${LIBRARY_RECORDS[2]!.title}")) input[type=checkbox]`);
    await page.check(`.records-item:has(a:text-is("${LIBRARY_RECORDS[3]!.title}")) input[type=checkbox]`);
    const ticked = await downloaded('Export 2 selected (RIS)');
    expect(ticked.match(/^TY {2}- /gm)).toHaveLength(2);
    expect(ticked).toContain(LIBRARY_RECORDS[2]!.title);
    expect(ticked).toContain(LIBRARY_RECORDS[3]!.title);
    const [, ...tickedRows] = parse(await downloaded('Export 2 selected (CSV)')) as string[][];
    expect(tickedRows.map((r) => r[0]).sort()).toEqual(
      [LIBRARY_RECORDS[2]!.title, LIBRARY_RECORDS[3]!.title].sort(),
    );
    expect(names.slice(2)).toEqual([
      expect.stringMatching(/^library-browser-records-selected-\d{4}-\d{2}-\d{2}\.ris$/),
      expect.stringMatching(/^library-browser-records-selected-\d{4}-\d{2}-\d{2}\.csv$/),
    ]);
    // A page past the last (an old link, or the last records untagged under a tag filter): the
    // last page, never "501–500 of 6 records" and "Page 11 of 1".
    // Sorted by a ranking the review does not have yet: said, with the order it falls back to.
    await page.selectOption('.records-toolbar select', 'score');
    await expect
      .poll(() => page.textContent('[data-testid=no-ranking]'))
      .toContain('Until then these records are in title order.');
    await page.goto(`${base}/records?offset=500`);
    await expect.poll(() => page.textContent('.records-toolbar [role=status]')).toBe('1–6 of 6 records');
    expect(new URL(page.url()).searchParams.get('offset')).toBeNull();
    await context.close();
  });

  it('a reviewer tags the record on screen with T while screening, and finds it under the tag', async () => {
    const { context, page } = await signIn(browser, app.url, ann.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${base}/screening`);
    const record = page.locator('[data-testid=screening-record]');
    await expect.poll(() => record.getAttribute('data-record-id')).toMatch(/^[0-9a-f-]{36}$/);
    const recordId = (await record.getAttribute('data-record-id'))!;
    const title = (await page.textContent('.record-title'))!;
    await page.keyboard.press('t');
    // What the record carries already, before a tag is added (the tags as the records list has them).
    const { rows: had } = await app.rt.db.query<{ name: string }>(
      `SELECT name FROM record_tags WHERE record_id = $1 ORDER BY name`,
      [recordId],
    );
    const words = (tags: string[]) => (tags.length === 0 ? 'No tags yet.' : `Its tags: ${tags.join(', ')}.`);
    await expect
      .poll(() => page.textContent('[data-testid=record-own-tags]'))
      .toBe(words(had.map((t) => t.name)));
    await page.keyboard.type('ask the lead');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.textContent('[data-testid=tag-message]'))
      .toBe('Tagged with “ask the lead”.');
    await expect
      .poll(() => page.textContent('[data-testid=record-own-tags]'))
      .toBe(words([...had.map((t) => t.name), 'ask the lead'].sort()));
    // The shortcuts work again once the tag is set: the record on screen is still the same one.
    expect(await record.getAttribute('data-record-id')).toBe(recordId);
    await screenshot(page, 'screening-tag');
    await page.goto(`${base}/records?tag=${encodeURIComponent('ask the lead')}`);
    await expect.poll(() => page.textContent('.records-toolbar [role=status]')).toBe('1 record');
    expect(await page.textContent('.records-item > a')).toBe(title);
    // On the record page its tags are shown and edited in place. Which record screening shows
    // first depends on the order, so it may also carry the first test's tag: read what it has.
    const before = (await ann.api<{ tags: string[] }>('GET', `${base}/records/${recordId}/tags`)).body.tags;
    expect(before).toContain('ask the lead');
    await page.click('.records-item > a');
    const tags = page.locator('section.record-tags');
    await expect.poll(() => tags.locator('.record-tag').allTextContents()).toEqual(before);
    await tags.locator('input').fill('background');
    await tags.locator('button:has-text("Add")').click();
    await expect
      .poll(() => tags.locator('.record-tag').allTextContents())
      .toEqual([...before, 'background'].sort());
    // The record's history shows the change with no reload.
    await page.waitForSelector('.record-history li:has-text("Tagged “background”")');
    await tags.locator('button[aria-label="Remove the tag ask the lead"]').click();
    await expect
      .poll(() => tags.locator('.record-tag').allTextContents())
      .toEqual([...before, 'background'].filter((t) => t !== 'ask the lead').sort());
    expect(await tags.locator('[role=status]').textContent()).toBe('Removed “ask the lead”.');
    await screenshot(page, 'record-tags');
    await page.goto(`${base}/records?tag=${encodeURIComponent('ask the lead')}`);
    await expect.poll(() => page.textContent('.records-toolbar [role=status]')).toBe('No records match.');
    await context.close();
  });

  it('counts the records of each year beside the year range, and a year picks itself', async () => {
    const { context, page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${base}/records?q=${encodeURIComponent('"quality improvement"')}`);
    const status = () => page.textContent('.records-toolbar [role=status]');
    await expect.poll(status).toBe('1–4 of 4 records');
    await page.click('.year-counts summary:has-text("Records by year (4 years)")');
    // Newest first, each with the records the search finds in it.
    expect(await page.locator('.year-counts li').allTextContents()).toEqual([
      '2020 (1)',
      '2018 (1)',
      '2015 (1)',
      '2009 (1)',
    ]);
    await screenshot(page, 'records-year-counts');
    await page.click('.year-counts button:has-text("2018")');
    await expect.poll(status).toBe('1 record');
    expect(await page.inputValue('#records-year-from')).toBe('2018');
    expect(await page.inputValue('#records-year-to')).toBe('2018');
    expect(new URL(page.url()).searchParams.get('yearFrom')).toBe('2018');
    expect(await page.locator('.records-item > a').allTextContents()).toEqual([LIBRARY_RECORDS[1]!.title]);
    await context.close();
  });

  it('while a new search loads, the records and count of the last one are not shown as its own', async () => {
    const { context, page } = await signIn(browser, app.url, ann.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    const status = () => page.textContent('.records-toolbar [role=status]');
    await page.goto(`${base}/records`);
    await expect.poll(status).toBe('1–6 of 6 records');
    // The next answer is held back until the page has been read, as on a slow network or a large library.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/api\/reviews\/library-browser\/records\?.*q=/, async (route) => {
      await held;
      await route.continue();
    });
    await page.fill('#records-q', '"six sigma"');
    await page.click('button:has-text("Search")');
    await expect.poll(status).toBe('Searching…');
    expect(await page.locator('.records-item').count()).toBe(0);
    expect(await page.getAttribute('.records-results', 'aria-busy')).toBe('true');
    release();
    await expect.poll(status).toBe('1–2 of 2 records');
    expect(await page.getAttribute('.records-results', 'aria-busy')).toBe('false');
    expect((await page.locator('.records-item > a').allTextContents()).sort()).toEqual(
      [LIBRARY_RECORDS[1]!.title, LIBRARY_RECORDS[3]!.title].sort(),
    );
    await context.close();
  });

  it('a refused search or year range shows its message on the field, no stale results, and the filters stay', async () => {
    const { context, page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
    await page.setViewportSize({ width: 1280, height: 800 });
    const status = () => page.textContent('.records-toolbar [role=status]');
    const searchError =
      'The search could not be read: AND at the end of the search needs a word after it (at character 7)';

    // A shared link with a malformed search: the message under the search box, which keeps the
    // search to correct it; no endless "Searching…", no results, and the filters still there.
    await page.goto(`${base}/records?q=(lean%20AND`);
    await expect.poll(() => page.textContent('#records-q-error')).toBe(searchError);
    await expect.poll(status).toBe('No results: correct the search above.');
    expect(await page.inputValue('#records-q')).toBe('(lean AND');
    expect(await page.getAttribute('#records-q', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#records-q', 'aria-describedby')).toBe('records-q-error');
    expect(await page.locator('.records-item').count()).toBe(0);
    expect(await page.getAttribute('.records-results', 'aria-busy')).toBe('false');
    // Nothing to export from a search the server refused (the download would fail).
    expect(await page.locator('a:has-text("Export RIS")').count()).toBe(0);
    const stateFilter = page.locator('.records-filters fieldset:has(legend:text("State"))');
    await stateFilter.waitFor();
    expect(await stateFilter.textContent()).toContain('Not screened yet');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SCREENSHOT_DIR}/records-search-refused-link.png` });
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Corrected in place, the search runs and the message goes.
    await page.fill('#records-q', 'lean');
    await page.click('button:has-text("Search")');
    await expect.poll(status).toMatch(/^1 record$|^1–\d+ of \d+ records$/);
    expect(await page.locator('#records-q-error').count()).toBe(0);
    expect(await page.locator('a:has-text("Export RIS")').count()).toBe(1);
    expect(await page.getAttribute('#records-q', 'aria-invalid')).toBeNull();

    // Typed and sent: the results of the search before are not left under the message.
    await page.fill('#records-q', '(lean AND');
    await page.click('button:has-text("Search")');
    await expect.poll(() => page.textContent('#records-q-error')).toBe(searchError);
    await expect.poll(status).toBe('No results: correct the search above.');
    expect(await page.locator('.records-item').count()).toBe(0);
    expect(await page.locator('.records-pager').count()).toBe(0);
    // The filters still work: a facet is chosen while the search is refused.
    await stateFilter.locator('label:has-text("Not screened yet") input').check();
    await expect.poll(() => new URL(page.url()).searchParams.get('state')).toBe('unscreened');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/records-search-refused-typed.png` });
    await page.click('button:has-text("Clear")');
    await expect.poll(status).toMatch(/^1–\d+ of \d+ records$/);

    // A reversed year range is refused on the year it names, instead of "No records match.".
    await page.fill('#records-year-from', '2020');
    await page.fill('#records-year-to', '2010');
    await page.click('.year-range button:has-text("Apply")');
    await expect
      .poll(() => page.textContent('#records-years-error'))
      .toBe('The “to” year (2010) comes before the “from” year (2020).');
    await expect.poll(status).toBe('No results: correct the years.');
    expect(await page.getAttribute('#records-year-to', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#records-year-to', 'aria-describedby')).toBe('records-years-error');
    expect(await page.getAttribute('#records-year-from', 'aria-invalid')).toBeNull();
    expect(await page.locator('.records-item').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('yearFrom')).toBeNull();
    // The other filters stay while the years are refused.
    expect(await stateFilter.textContent()).toContain('Not screened yet');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/records-years-reversed.png` });

    // Letters for a year: the same, never "No records match." beside it.
    await page.fill('#records-year-from', 'abcd');
    await page.fill('#records-year-to', '');
    await page.click('.year-range button:has-text("Apply")');
    await expect
      .poll(() => page.textContent('#records-years-error'))
      .toBe('A year has four digits, like 2015.');
    await expect.poll(status).toBe('No results: correct the years.');
    expect(await page.getAttribute('#records-year-from', 'aria-invalid')).toBe('true');
    expect(await page.textContent('main')).not.toContain('No records match.');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/records-years-letters.png` });

    // Corrected, the range applies.
    await page.fill('#records-year-from', '2010');
    await page.fill('#records-year-to', '2020');
    await page.click('.year-range button:has-text("Apply")');
    await expect.poll(() => new URL(page.url()).searchParams.get('yearTo')).toBe('2020');
    await expect.poll(status).toMatch(/^1 record$|^1–\d+ of \d+ records$/);
    expect(await page.locator('#records-years-error').count()).toBe(0);

    // A shared link with a reversed range: the server's refusal, on the year field alone.
    await page.goto(`${base}/records?yearFrom=2020&yearTo=2010`);
    await expect
      .poll(() => page.textContent('#records-years-error'))
      .toBe('The “to” year (2010) comes before the “from” year (2020).');
    await expect.poll(status).toBe('No results: correct the years.');
    expect(await page.locator('[role=alert]').count()).toBe(1);
    await context.close();
  });
});
