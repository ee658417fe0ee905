import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { waitForQueueIdle } from '@winnow/core/testing';
import { readXlsx } from '@winnow/extraction/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, launchBrowser, SCREENSHOT_DIR, settled } from '../support/browser.ts';
import { seriousAxeViolations } from '../support/axe.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { waitUntil } from '../screening-fixtures.ts';

if (!HAS_CHROMIUM) console.warn('whole-review browser test skipped: /usr/bin/chromium is not installed');

const VIEWPORT = { width: 1280, height: 800 };
const SHOTS = process.env.WINNOW_SHOTS_DIR ?? SCREENSHOT_DIR;
const SLUG = 'walkrounds';

/** Five records over two exports; "Clinical audit" is in both (same DOI), so four plus one unique. */
const TITLES = {
  walkrounds: 'Leadership walkrounds and safety culture in acute hospitals',
  audit: 'Clinical audit and feedback to improve stroke care',
  lean: 'Lean in a community pharmacy chain',
  pdsa: 'Plan-do-study-act cycles in primary care: a qualitative study',
  soil: 'Soil nitrogen in winter wheat fields',
} as const;
type Key = keyof typeof TITLES;

const RIS = [
  ['walkrounds', 'Adams, Jane', '2019', '10.1000/wr.2019.1'],
  ['audit', 'Baker, Tom', '2020', '10.1000/audit.2020.7'],
  ['lean', 'Clark, Ravi', '2018', '10.1000/lean.2018.3'],
  ['pdsa', 'Dunn, Mei', '2021', '10.1000/pdsa.2021.5'],
]
  .map(
    ([key, author, year, doi]) =>
      `TY  - JOUR\nTI  - ${TITLES[key as Key]}\nAU  - ${author}\nPY  - ${year}\nJO  - BMJ Quality and Safety\n` +
      `DO  - ${doi}\nAB  - An evaluation of ${TITLES[key as Key].toLowerCase()} in health care, a quality improvement study.\nER  - \n`,
  )
  .join('\n');

const MEDLINE = [
  ['38000001', 'audit', 'Baker T', 'Baker, Tom', '2020', '10.1000/audit.2020.7'],
  ['38000002', 'soil', 'Evans P', 'Evans, Paul', '2022', '10.1000/soil.2022.9'],
]
  .map(
    ([pmid, key, au, fau, year, doi]) =>
      `PMID- ${pmid}\nTI  - ${TITLES[key as Key]}\nAB  - An evaluation of ${TITLES[key as Key].toLowerCase()}.\n` +
      `FAU - ${fau}\nAU  - ${au}\nDP  - ${year}\nTA  - BMJ Qual Saf\nLID - ${doi} [doi]\n`,
  )
  .join('\n');

/** How each reviewer votes at title/abstract: two disagreements for the adjudicator. */
const TA_VOTES: Record<'ann' | 'bob', Record<Key, 'include' | 'exclude'>> = {
  ann: { walkrounds: 'include', audit: 'include', lean: 'exclude', pdsa: 'include', soil: 'exclude' },
  bob: { walkrounds: 'include', audit: 'include', lean: 'include', pdsa: 'exclude', soil: 'exclude' },
};
/** At full text both include two records and exclude the PDSA study. */
const FT_VOTES: Partial<Record<Key, 'include' | 'exclude'>> = {
  walkrounds: 'include',
  audit: 'include',
  pdsa: 'exclude',
};

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const pagesChecked = new Set<string>();
const axeFindings: string[] = [];

/** Every page a person sees: no error code, no id, nothing wider than the screen. */
async function looksRight(page: Page, name: string): Promise<void> {
  // A review's links appear once the member's access has loaded; pages say "Loading…" until then.
  if ((await page.locator('header.top nav').count()) > 0)
    await page.waitForSelector('header.top nav[data-loaded=true]');
  await settled(page);
  await page.waitForFunction(() => !document.querySelector('main')?.textContent?.includes('Loading…'));
  const text = await page.innerText('body');
  expect(text, `${name}: error code on screen`).not.toMatch(/[A-Z_]{4,}:/);
  expect(text, `${name}: id on screen`).not.toMatch(UUID);
  expect(
    await page.evaluate(() => document.documentElement.scrollWidth),
    `${name}: scrolls sideways`,
  ).toBeLessThanOrEqual(VIEWPORT.width);
  await page.screenshot({ path: path.join(SHOTS, `whole-review-${name}.png`) });
  // Accessibility: no serious or critical axe-core violation on any page of the review.
  axeFindings.push(
    ...(await seriousAxeViolations(page)).map(
      (v) => `${name}: ${v.id} (${v.impact}) ${v.help} @ ${v.nodes.join(' | ')}`,
    ),
  );
  pagesChecked.add(name);
}

function keyOf(title: string): Key {
  const found = (Object.keys(TITLES) as Key[]).find((k) => title.includes(TITLES[k]));
  if (!found) throw new Error(`unexpected record on screen: ${title}`);
  return found;
}

/** The title of the record on screen, once one is shown (null when the queue is done). */
async function shownTitle(page: Page): Promise<string | null> {
  await page.waitForFunction(
    () =>
      !!document.querySelector('[data-testid=screening-record] .record-title') ||
      document.querySelector('[data-testid=screening-done]')?.getAttribute('data-done') === 'true',
  );
  const title = page.locator('[data-testid=screening-record] .record-title');
  return (await title.count()) > 0 ? await title.innerText() : null;
}

/** Votes through the whole queue with the keyboard, choosing each vote by the record's title. */
async function screenQueue(
  page: Page,
  votes: Partial<Record<Key, 'include' | 'exclude'>>,
  expected: number,
): Promise<Key[]> {
  const seen: Key[] = [];
  for (let title = await shownTitle(page); title !== null; title = await shownTitle(page)) {
    const key = keyOf(title);
    expect(seen, `${key} shown twice`).not.toContain(key);
    seen.push(key);
    const vote = votes[key];
    if (!vote) throw new Error(`no vote planned for ${key}`);
    const id = await page.getAttribute('[data-testid=screening-record]', 'data-record-id');
    if (vote === 'exclude') {
      await page.keyboard.press('1');
      await page.waitForSelector('.reasons li:first-child input:checked');
    }
    await page.keyboard.press(vote === 'include' ? 'i' : 'e');
    await page.waitForFunction(
      (prev) =>
        document.querySelector('[data-testid=screening-record]')?.getAttribute('data-record-id') !== prev,
      id,
    );
  }
  expect(seen).toHaveLength(expected);
  return seen;
}

async function newPage(browser: Browser, app: TestApp): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: app.url, viewport: VIEWPORT, acceptDownloads: true });
  return { context, page: await context.newPage() };
}

describe.skipIf(!HAS_CHROMIUM)(
  'a whole review in Chromium, from an empty install to the extraction table',
  () => {
    let app: TestApp;
    let browser: Browser;
    let dir: string;

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      dir = mkdtempSync(path.join(os.tmpdir(), 'winnow-whole-'));
      writeFileSync(path.join(dir, 'ovid-medline.ris'), RIS);
      writeFileSync(path.join(dir, 'pubmed.txt'), MEDLINE);
      // No demo: an empty database, workers on, as `winnow serve` starts.
      app = await startTestApp({ workers: true });
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    it('runs setup, invitations, settings, imports, dual screening, conflicts, full text, coding and consensus through pages only', async () => {
      // ---- First run: the setup page makes the first account; the lead creates a review.
      const lead = await newPage(browser, app);
      const L = lead.page;
      await L.goto('/');
      await L.waitForSelector('h1:has-text("Set up Winnow")');
      await looksRight(L, '01-setup');
      await L.fill('input[name=name]', 'Lena Lead');
      await L.fill('input[name=email]', 'lena@example.org');
      await L.fill('input[name=password]', 'a long lead password');
      await L.click('button[type=submit]');
      await L.waitForSelector('header.top');
      await L.fill('label:has-text("Short name") input', SLUG);
      await L.fill('label:has-text("Title") input', 'Leadership walkrounds and improvement');
      await L.click('button:has-text("Create")');
      await L.waitForURL(`**/reviews/${SLUG}`);
      await looksRight(L, '02-new-review');

      // ---- Invitations: two reviewers, an adjudicator and a coder; each accepts in a browser of their own.
      const people = {
        ann: { name: 'Ann Reviewer', email: 'ann@example.org', role: 'reviewer' },
        bob: { name: 'Bob Reviewer', email: 'bob@example.org', role: 'reviewer' },
        cat: { name: 'Cat Adjudicator', email: 'cat@example.org', role: 'adjudicator' },
        cody: { name: 'Cody Coder', email: 'cody@example.org', role: 'coder' },
      } as const;
      const pages = {} as Record<keyof typeof people, Page>;
      await L.click('header.top nav >> text=Members');
      await L.waitForSelector('h2:has-text("Invite people")');
      for (const [who, p] of Object.entries(people) as [
        keyof typeof people,
        (typeof people)[keyof typeof people],
      ][]) {
        await L.fill('.invite-form input[name=email]', p.email);
        await L.selectOption('.invite-form select[name=role]', p.role);
        await L.click('button:has-text("Create invitation link")');
        await L.waitForSelector(`[data-testid=new-invitation]:has-text("${p.email}")`);
        const link = await L.inputValue('#invite-link');
        if (who === 'cody') await looksRight(L, '03-invitations');
        const { page } = await newPage(browser, app);
        await page.goto(new URL(link).pathname);
        await page.waitForSelector('[data-testid=invitation]');
        await page.fill('input[name=name]', p.name);
        await page.fill('input[name=password]', `a long password for ${who}`);
        if (who === 'cody') await looksRight(page, '04-accept-invitation');
        await page.click('button[type=submit]');
        await page.waitForURL(`**/reviews/${SLUG}`);
        await page.waitForSelector('header.top');
        pages[who] = page;
      }
      await L.reload();
      for (const p of Object.values(people))
        await L.waitForSelector(`[data-testid=member-row]:has-text("${p.name}")`);

      // ---- Settings: criteria, reasons and highlight terms at title/abstract; a reason at full text.
      await L.click('header.top nav >> text=Settings');
      await L.waitForSelector('[data-testid=settings-stage-title-abstract]');
      const ta = '[data-testid=settings-stage-title-abstract]';
      await L.fill('#title-abstract-criteria', 'Include: evaluations of quality improvement in health care.');
      for (const label of ['Not health care', 'Not an evaluation']) {
        await L.fill(`${ta} input[aria-label="New exclusion reason"]`, label);
        await L.click(`${ta} button:has-text("Add reason")`);
      }
      await L.fill('#title-abstract-include', 'leadership\nquality improvement');
      await L.fill('#title-abstract-exclude', 'wheat');
      await L.click('[data-testid=save-stage-title-abstract]');
      await L.waitForSelector(`${ta} [role=status]:has-text("Saved")`);
      await L.click('[role=tablist][aria-label=Stage] >> text=Full text');
      const ft = '[data-testid=settings-stage-full-text]';
      await L.fill('#full-text-criteria', 'Include: primary evaluations reporting outcomes.');
      await L.fill(`${ft} input[aria-label="New exclusion reason"]`, 'No outcome data');
      await L.click(`${ft} button:has-text("Add reason")`);
      await L.click('[data-testid=save-stage-full-text]');
      await L.waitForSelector(`${ft} [role=status]:has-text("Saved")`);
      await looksRight(L, '05-settings');

      // ---- Two exports uploaded from the imports page.
      await L.click('header.top nav >> text=Imports');
      for (const [file, source] of [
        ['ovid-medline.ris', 'Ovid Medline'],
        ['pubmed.txt', 'PubMed'],
      ] as const) {
        await L.setInputFiles('form[aria-label="Upload an export"] input[type=file]', path.join(dir, file));
        await L.getByLabel('Source').fill(source);
        await L.getByRole('button', { name: 'Upload and import' }).click();
        await L.waitForSelector(`.imports :text("${file}")`);
      }
      await looksRight(L, '06-imports');

      // ---- Records reach both reviewers' queues with no further action: five unique records each.
      const A = pages.ann;
      const B = pages.bob;
      for (const page of [A, B]) {
        await page.goto(`/reviews/${SLUG}/screening`);
        await page.waitForSelector('[data-testid=screening-record] .record-title', { timeout: 60_000 });
      }
      // Both exports read and compared, and the routing after the last comparison done. Until then
      // a record of the first export can reach the queues and then be merged into its duplicate
      // from the second: its assignments are revoked (they stay in the table) and the kept record
      // is routed instead. The pages are opened again on the settled queues.
      await waitUntil(
        async () => {
          const { rows } = await app.rt.db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM imports WHERE status = 'complete' AND NOT awaiting_dedup`,
          );
          return rows[0]!.n === 2;
        },
        60_000,
        'both exports imported and deduplicated',
      );
      await waitForQueueIdle(app.config, 60_000);
      const { rows: routed } = await app.rt.db.query<{ n: number }>(
        `SELECT count(DISTINCT record_id)::int AS n FROM assignments
          WHERE stage = 'title-abstract' AND state <> 'revoked'`,
      );
      expect(routed[0]!.n).toBe(5);
      for (const page of [A, B]) {
        await page.goto(`/reviews/${SLUG}/screening`);
        await page.waitForSelector('[data-testid=screening-record] .record-title');
      }
      expect(await A.locator('mark.hl-include').count()).toBeGreaterThan(0);
      await looksRight(A, '07-screening');

      // ---- Dual screening with two disagreements.
      await screenQueue(A, TA_VOTES.ann, 5);
      await screenQueue(B, TA_VOTES.bob, 5);
      await looksRight(B, '08-screening-done');

      // ---- The adjudicator resolves both conflicts.
      const C = pages.cat;
      await C.goto(`/reviews/${SLUG}/conflicts`);
      const leanCard = `[data-testid=conflict]:has-text("${TITLES.lean}")`;
      const pdsaCard = `[data-testid=conflict]:has-text("${TITLES.pdsa}")`;
      await C.waitForSelector(leanCard, { timeout: 30_000 });
      await C.waitForSelector(pdsaCard, { timeout: 30_000 });
      // Each conflict names its record by authors, year and journal as well as its title.
      expect(await C.textContent(`${pdsaCard} .byline`)).toBe('Dunn M (2021) · BMJ Quality and Safety');
      await looksRight(C, '09-conflicts');
      // Options carry their key ("2. Not an evaluation"): pick the reason by its label.
      const reasonSelect = `${leanCard} select[aria-label="Exclusion reason"]`;
      const notEvaluation = await C.locator(`${reasonSelect} option`, {
        hasText: 'Not an evaluation',
      }).getAttribute('value');
      await C.selectOption(reasonSelect, { value: notEvaluation! });
      await C.click(`${leanCard} [data-testid=resolve-exclude]`);
      await C.waitForSelector(leanCard, { state: 'detached' });
      await C.click(`${pdsaCard} [data-testid=resolve-include]`);
      await C.waitForSelector('[data-testid=no-conflicts]');
      await looksRight(C, '10-conflicts-resolved');

      // ---- Full text: three records arrive on their own; both reviewers assess them.
      for (const page of [A, B]) {
        await page.goto(`/reviews/${SLUG}/full-text`);
        await page.waitForSelector('[data-testid=screening-record] .record-title', { timeout: 60_000 });
      }
      await waitUntil(
        async () => {
          const { rows } = await app.rt.db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM assignments WHERE stage = 'full-text'`,
          );
          return rows[0]!.n === 6;
        },
        60_000,
        'three records routed to both reviewers at full text',
      );
      await looksRight(A, '11-full-text');
      await screenQueue(A, FT_VOTES, 3);
      await screenQueue(B, FT_VOTES, 3);

      // ---- The lead loads the default codebook and assigns the two included studies.
      await L.click('header.top nav >> text=Settings');
      await L.click('[data-testid=load-default-codebook]');
      await L.waitForSelector('[data-testid=settings-codebook] [role=status]:has-text("default framework")');
      await L.click('header.top nav >> text=Extraction');
      await L.waitForSelector('main.extraction');
      await waitUntil(
        async () => {
          const { rows } = await app.rt.db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM stage_records WHERE stage = 'full-text' AND status = 'advanced'`,
          );
          return rows[0]!.n === 2;
        },
        30_000,
        'two records included at full text',
      );
      await L.click('button:has-text("Assign included studies to coders")');
      await L.waitForSelector('[role=status]:has-text("coding tasks handed out (2 new studies)")', {
        timeout: 30_000,
      });
      await L.waitForSelector(`main.extraction a:has-text("${TITLES.walkrounds}")`);
      await L.waitForSelector(`main.extraction a:has-text("${TITLES.audit}")`);
      await looksRight(L, '12-extraction-assigned');

      // ---- Each coder codes the studies in their queue; Cody reads the geography differently.
      let codings = 0;
      for (const who of ['ann', 'bob', 'cody'] as const) {
        const page = pages[who];
        await page.goto(`/reviews/${SLUG}/extraction`);
        // The table is drawn before the coder's queue arrives: read the links once it has.
        await page.waitForSelector('main.extraction table.studies[data-loaded=true]');
        const links = await page.locator('main.extraction table.studies a').allInnerTexts();
        for (const text of links) {
          await page.goto(`/reviews/${SLUG}/extraction`);
          await page.click(`main.extraction table.studies a:has-text("${text}")`);
          await page.waitForSelector('form.coding-form');
          await page.selectOption('select[name=publication_type]', 'academic.systematic_review');
          await page.selectOption(
            'select[name=geography]',
            who === 'cody' ? 'international.not_including_uk' : 'international.including_uk',
          );
          await page.selectOption('select[name=learning_aim]', 'explicit.core');
          await page.check('input[name="influences:leadership.clear_roles"]');
          await page.click('button[type=submit]');
          await expect.poll(() => page.textContent('[role=status]')).toBe('Submitted.');
          if (codings === 0) await looksRight(page, '13-coding');
          codings++;
        }
      }
      // Two studies, two coders each.
      expect(codings).toBe(4);

      // ---- The lead settles each difference and finalises both studies.
      for (const title of [TITLES.walkrounds, TITLES.audit]) {
        await L.goto(`/reviews/${SLUG}/extraction`);
        // The row whose study link names it: every other row's "Same study as…" list names it too.
        await L.click(`tr:has(a:has-text("${title}")) a:has-text("open")`);
        await L.waitForSelector('h1:has-text("Consensus")');
        await L.waitForSelector(`[data-testid=consensus-study]:has-text("${title}")`);
        for (const row of await L.locator('tr[data-difference]').all())
          await row.locator('input[type=radio]').first().check();
        await L.click('button:has-text("Finalise consensus")');
        await L.waitForSelector('[role=status]:has-text("Consensus finalised.")');
        await looksRight(L, '14-consensus');
      }

      // ---- Downloads: the extraction table (XLSX) and the PRISMA diagram (SVG).
      await L.goto(`/reviews/${SLUG}/extraction`);
      await L.waitForSelector('[data-export=xlsx]');
      const [xlsx] = await Promise.all([L.waitForEvent('download'), L.click('[data-export=xlsx]')]);
      const sheets = await readXlsx(await readFile((await xlsx.path())!));
      const wide = sheets.get('wide')!;
      expect(wide.rows).toHaveLength(3);
      const geo = wide.rows[0]!.indexOf('geography');
      expect(wide.rows.slice(1).map((r) => r[geo])).toEqual(expect.arrayContaining([expect.any(String)]));
      expect(wide.formulas).toBe(0);

      await L.click('header.top nav >> text=PRISMA');
      await L.waitForSelector('a:has-text("SVG")');
      await looksRight(L, '15-prisma');
      const [svgDownload] = await Promise.all([L.waitForEvent('download'), L.click('a:has-text("SVG")')]);
      const svg = await readFile((await svgDownload.path())!, 'utf8');
      expect(svg).toMatch(/^<\?xml|^<svg/);
      // Six records identified, one duplicate removed, five screened, two studies included: all derived.
      const desc = /<desc[^>]*>([^<]*)<\/desc>/.exec(svg)?.[1] ?? '';
      expect(desc).toContain('Records identified from databases 6');
      expect(desc).toContain('(Ovid Medline 4, PubMed 2)');
      expect(desc).toContain('duplicates 1');
      expect(desc).toContain('Records screened 5; excluded 2');
      expect(desc).toContain('Reports sought 3');
      expect(desc).toContain('excluded No outcome data 1');
      expect(desc).toContain('New studies included 2');

      expect(pagesChecked.size).toBeGreaterThanOrEqual(15);
      expect(axeFindings, 'serious or critical accessibility violations').toEqual([]);
      for (const c of [lead.context, ...Object.values(pages).map((p) => p.context())]) await c.close();
    }, 300_000);
  },
);
