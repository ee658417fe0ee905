import { tinyPdf } from '@winnow/core/testing';
import type { Review } from '@winnow/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, launchBrowser, screenshot, signIn } from '../support/browser.ts';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app.ts';
import { seedRecords, waitUntil } from '../screening-fixtures.ts';

if (!HAS_CHROMIUM) console.warn('screening keys browser test skipped: /usr/bin/chromium is not installed');

const PASSWORD = 'correct horse battery';
const RECORD = '[data-testid=screening-record]';
/** An error code as the API spells it, a stored state's code or a UUID: none belongs on a page. */
const INTERNALS = /[A-Z_]{4,}:|not-retrieved|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

const pace = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function shownRecord(page: Page): Promise<string> {
  const handle = await page.waitForFunction(
    (sel) => document.querySelector(sel)?.getAttribute('data-record-id') || null,
    RECORD,
  );
  return (await handle.jsonValue()) as string;
}

async function waitForOther(page: Page, before: string): Promise<string> {
  const handle = await page.waitForFunction(
    ([sel, prev]) => {
      const id = document.querySelector(sel!)?.getAttribute('data-record-id');
      return id && id !== prev ? id : null;
    },
    [RECORD, before],
    { timeout: 5_000 },
  );
  return (await handle.jsonValue()) as string;
}

/** Every key press, with what the page showed in the same instant (before the page handles it). */
async function recordKeys(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __keys: { key: string; shown: string; mine: string }[] };
    w.__keys = [];
    window.addEventListener(
      'keydown',
      (e) =>
        w.__keys.push({
          key: e.key,
          shown:
            document.querySelector('[data-testid=screening-record]')?.getAttribute('data-record-id') ?? '',
          mine: document.querySelector('[aria-label="Your records"] .muted')?.textContent ?? '',
        }),
      { capture: true },
    );
  });
}

async function decisionsOf(app: TestApp, userId: string, stage: string) {
  const { rows } = await app.rt.db.query<{
    recordId: string;
    vote: string;
    reasons: string[];
    note: string | null;
  }>(
    `SELECT record_id AS "recordId", vote, reasons, note FROM decisions WHERE reviewer_id = $1 AND stage = $2 ORDER BY id`,
    [userId, stage],
  );
  return rows;
}

describe.skipIf(!HAS_CHROMIUM)('screening keys act on the record on screen, or on nothing', () => {
  let app: TestApp;
  let browser: Browser;
  let ta: Review;
  let ft: Review;
  let taAnn: TestUser;
  let taLead: TestUser;
  let ftAnn: TestUser;
  let ftBob: TestUser;
  /** Full-text records in Ann's queue order, with their reports. */
  let ftRecords: { recordId: string; reportId: string }[] = [];

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    browser = await launchBrowser();

    // Title/abstract: 40 records for Ann to type through.
    ta = await app.review('keys-ta', 'Fast typing');
    taLead = await app.user('Lead', ta, ['lead']);
    taAnn = await app.user('Ann', ta, ['reviewer']);
    await app.user('Bob', ta, ['reviewer']);
    await seedRecords(app.rt.db, ta.id, 40);
    await taLead.api('PUT', '/reviews/keys-ta/stages/title-abstract/config', {
      criteria: 'Include: leadership for quality improvement.',
      exclusionReasons: [
        { code: 'not-health', label: 'Not health care' },
        { code: 'review', label: 'Is a systematic review' },
      ],
    });
    const r = await taLead.api<{ jobId: string }>('POST', '/reviews/keys-ta/stages/title-abstract/route');
    await app.rt.queue.waitFor(r.body.jobId, 20_000);

    // Full text: 6 records both reviewers included, each with a report; the first two with PDFs.
    ft = await app.review('keys-ft', 'Full text');
    const ftLead = await app.user('Lead', ft, ['lead']);
    ftAnn = await app.user('Ann', ft, ['reviewer']);
    ftBob = await app.user('Bob', ft, ['reviewer']);
    const ids = await seedRecords(app.rt.db, ft.id, 6);
    const rr = await ftLead.api<{ jobId: string }>('POST', '/reviews/keys-ft/stages/title-abstract/route');
    await app.rt.queue.waitFor(rr.body.jobId, 20_000);
    for (const recordId of ids)
      for (const u of [ftAnn, ftBob])
        await u.api('POST', '/reviews/keys-ft/stages/title-abstract/decisions', {
          recordId,
          vote: 'include',
        });
    await ftLead.api('PUT', '/reviews/keys-ft/stages/full-text/config', {
      criteria: 'Include: a controlled study of leadership.',
      exclusionReasons: [{ code: 'wrong-design', label: 'Wrong study design' }],
    });
    await waitUntil(
      async () => {
        const { rows } = await app.rt.db.query(`SELECT 1 FROM reports WHERE review_id = $1`, [ft.id]);
        return rows.length === ids.length;
      },
      20_000,
      'reports',
    );
    const fr = await ftLead.api<{ jobId: string }>('POST', '/reviews/keys-ft/stages/full-text/route');
    await app.rt.queue.waitFor(fr.body.jobId, 20_000);
    const next = await waitUntil(async () => {
      const n = await ftAnn.api<{
        record: { recordId: string; reportId: string };
        upcoming: { recordId: string; reportId: string }[];
      }>('GET', '/reviews/keys-ft/stages/full-text/next?prefetch=10');
      return n.body && 1 + n.body.upcoming.length === ids.length ? n.body : null;
    });
    ftRecords = [next.record, ...next.upcoming].map(({ recordId, reportId }) => ({ recordId, reportId }));
    for (const [i, r] of ftRecords.slice(0, 2).entries())
      expect(
        (
          await ftAnn.api(
            'POST',
            `/reviews/keys-ft/reports/${r.reportId}/file?fileName=report-${i + 1}.pdf`,
            tinyPdf(`Report ${i + 1}`),
          )
        ).status,
      ).toBe(201);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function open(user: TestUser, path: string): Promise<Page> {
    const { page } = await signIn(browser, app.url, user.email, PASSWORD);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(path);
    await shownRecord(page);
    return page;
  }

  it('keys typed 20 ms apart, undos among them: the log is what the screen showed at each key', async () => {
    const page = await open(taAnn, '/reviews/keys-ta/screening');
    try {
      await recordKeys(page);
      const keys = 'iemiiuieuumiiiuemiuiimeuiieiumiiuuieim'.split('');
      for (const k of keys) {
        await page.keyboard.press(k);
        await pace(20);
      }
      const pressed = await page.evaluate(
        () => (window as unknown as { __keys: { key: string; shown: string; mine: string }[] }).__keys,
      );
      expect(pressed.map((p) => p.key)).toEqual(keys);

      // What each key should have done, from what was on screen when it was pressed.
      const votes: Record<string, string> = { i: 'include', e: 'exclude', m: 'maybe' };
      const stack: string[] = [];
      const expected: { recordId: string; vote: string }[] = [];
      for (const [n, p] of pressed.entries()) {
        if (p.key === 'u') {
          const undone = stack.pop();
          if (!undone) continue;
          expected.push({ recordId: undone, vote: 'retract' });
          // The undone record is back on screen for the next key (unless that key is another undo).
          const after = pressed[n + 1];
          if (after && after.key !== 'u') expect(after.shown, `key ${n + 1} after an undo`).toBe(undone);
        } else if (p.shown) {
          stack.push(p.shown);
          expected.push({ recordId: p.shown, vote: votes[p.key]! });
        }
      }
      console.log(
        `fast typing: ${keys.length} keys 20 ms apart, ${pressed.filter((p) => !p.shown).length} pressed while no record was shown, ${expected.length} decisions expected`,
      );
      expect(expected.length).toBeGreaterThan(30);
      // "Your records" never went back except by an undo.
      const done = pressed.map((p) => Number(/(\d+) \//.exec(p.mine)?.[1] ?? NaN));
      for (let n = 1; n < done.length; n++)
        if (done[n]! < done[n - 1]!) expect(pressed[n - 1]!.key, `count fell before key ${n}`).toBe('u');

      try {
        await waitUntil(
          async () => (await decisionsOf(app, taAnn.id, 'title-abstract')).length >= expected.length,
          20_000,
          'every key sent',
        );
      } catch (err) {
        // Say which write is missing and what the page said about it (a refused or failed write).
        const stored = (await decisionsOf(app, taAnn.id, 'title-abstract')).map(
          (d) => `${d.recordId} ${d.vote}`,
        );
        const missing = expected.map((d) => `${d.recordId} ${d.vote}`).filter((d) => !stored.includes(d));
        const said = await page.textContent('[role=alert]').catch(() => null);
        throw new Error(
          `${(err as Error).message}: ${stored.length} of ${expected.length} stored; missing ${missing.join(', ')}; the page said: ${said ?? 'nothing'}`,
        );
      }
      const log = (await decisionsOf(app, taAnn.id, 'title-abstract')).map(({ recordId, vote }) => ({
        recordId,
        vote,
      }));
      // Each record's writes go in the order they were made (a vote, its undo, a vote again); writes
      // on different records go at once, so the log interleaves records as their answers came.
      const byRecord = (list: { recordId: string; vote: string }[]) => {
        const m = new Map<string, string[]>();
        for (const d of list) m.set(d.recordId, [...(m.get(d.recordId) ?? []), d.vote]);
        return Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));
      };
      expect(log).toHaveLength(expected.length);
      expect(byRecord(log)).toEqual(byRecord(expected));
      // The page and the server agree once everything has landed.
      const { rows } = await app.rt.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM assignments WHERE reviewer_id = $1 AND state = 'done'`,
        [taAnn.id],
      );
      await page.waitForFunction(
        (n) =>
          document
            .querySelector('[aria-label="Your records"] .muted')
            ?.textContent?.startsWith(`Your records: ${n} /`),
        rows[0]!.n,
        { timeout: 10_000 },
      );
      expect(new Set(log.filter((d) => d.vote !== 'retract').map((d) => d.recordId)).size).toBeGreaterThan(
        10,
      );
    } finally {
      await page.context().close();
    }
  }, 90_000);

  it('a reason checkbox clicked with the mouse keeps the keys working; a note is shown again with ←', async () => {
    const page = await open(taAnn, '/reviews/keys-ta/screening');
    try {
      const first = await shownRecord(page);
      await page.click('.reasons li:nth-child(2) input[type=checkbox]');
      await page.keyboard.press('e');
      const second = await waitForOther(page, first);

      // A note typed with a vote; Esc leaves the note field, I votes.
      await page.click('textarea[aria-label=Note]');
      await page.keyboard.type('Set in schools, not hospitals');
      await page.keyboard.press('Escape');
      await page.keyboard.press('2');
      await page.keyboard.press('e');
      const third = await waitForOther(page, second);
      expect(await page.inputValue('textarea[aria-label=Note]')).toBe('');

      await page.keyboard.press('ArrowLeft');
      await page.waitForSelector(`${RECORD}[data-record-id="${second}"]`, { timeout: 5_000 });
      const revisit = await page.textContent('[data-testid=screening-revisit]');
      expect(revisit).toContain('Your vote: Exclude');
      expect(revisit).toContain('Is a systematic review');
      expect(revisit).toContain('Set in schools, not hospitals');
      expect(await page.inputValue('textarea[aria-label=Note]')).toBe('Set in schools, not hospitals');
      expect(await page.locator('.reasons input[type=checkbox]').nth(1).isChecked()).toBe(true);
      await screenshot(page, 'screening-revisit-note');
      await page.keyboard.press('ArrowLeft');
      await page.waitForSelector(`${RECORD}[data-record-id="${first}"]`, { timeout: 5_000 });
      expect(await page.textContent('[data-testid=screening-revisit]')).not.toContain('Your note');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.waitForSelector(`${RECORD}[data-record-id="${third}"]`, { timeout: 5_000 });

      await waitUntil(
        async () =>
          (await decisionsOf(app, taAnn.id, 'title-abstract')).some(
            (d) => d.recordId === second && d.note !== null,
          ),
        10_000,
        'the second vote to be stored',
      );
      const log = await decisionsOf(app, taAnn.id, 'title-abstract');
      expect(log.slice(-2)).toEqual([
        { recordId: first, vote: 'exclude', reasons: ['review'], note: null },
        { recordId: second, vote: 'exclude', reasons: ['review'], note: 'Set in schools, not hospitals' },
      ]);

      // After a reload (or on another day) ← still reaches the votes cast before, with their notes.
      await page.reload();
      const head = await shownRecord(page);
      expect(head).toBe(third);
      // The earlier votes arrive apart from the queue: ← reaches them once they are in.
      await page.waitForFunction(
        (sel) => Number(document.querySelector(sel)?.getAttribute('data-earlier-votes') ?? 0) >= 2,
        RECORD,
      );
      await page.keyboard.press('ArrowLeft');
      await page.waitForSelector(`${RECORD}[data-record-id="${second}"]`, { timeout: 5_000 });
      expect(await page.textContent('[data-testid=screening-revisit]')).toContain('Your vote: Exclude');
      expect(await page.inputValue('textarea[aria-label=Note]')).toBe('Set in schools, not hospitals');
      await page.keyboard.press('ArrowLeft');
      await page.waitForSelector(`${RECORD}[data-record-id="${first}"]`, { timeout: 5_000 });
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.waitForSelector(`${RECORD}[data-record-id="${third}"]`, { timeout: 5_000 });
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it('a vote clicked below the fold shows the next record from its title', async () => {
    const page = await open(taAnn, '/reviews/keys-ta/screening');
    try {
      // A window so short the vote buttons, first in the side panel, sit below the fold (a laptop
      // with the browser's developer tools open, or zoomed in).
      await page.setViewportSize({ width: 1280, height: 200 });
      const first = await shownRecord(page);
      await page.click('.vote-buttons button:has-text("Include")');
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
      await waitForOther(page, first);
      await expect
        .poll(() => page.evaluate(() => document.querySelector('.record-title')!.getBoundingClientRect().top))
        .toBeGreaterThanOrEqual(0);
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it('E then a number: the page says the excluded record went without its reason, and ← mends it', async () => {
    const page = await open(taAnn, '/reviews/keys-ta/screening');
    try {
      const first = await shownRecord(page);
      const title = (await page.textContent('.record-title'))!.trim();
      expect(await page.textContent('.reasons-hint')).toBe(
        'Tick them before you press E: they go with the exclude.',
      );
      await page.keyboard.press('e');
      await waitForOther(page, first);
      await page.keyboard.press('1');
      const notice = page.getByTestId('screening-notice');
      expect(await notice.textContent()).toBe(
        `The reason you ticked is for this record. “${title}” was excluded without a reason: ← goes back to it. Tick reasons before pressing E.`,
      );
      await screenshot(page, 'screening-bare-exclude-notice');
      await page.keyboard.press('1'); // untick: it was not meant for this record
      await page.keyboard.press('ArrowLeft');
      await page.waitForSelector(`${RECORD}[data-record-id="${first}"]`, { timeout: 5_000 });
      await page.keyboard.press('1');
      await page.keyboard.press('e');
      await waitUntil(
        async () => {
          const mine = (await decisionsOf(app, taAnn.id, 'title-abstract')).filter(
            (d) => d.recordId === first,
          );
          return mine.at(-1)?.reasons.length === 1;
        },
        10_000,
        'the exclude again, with its reason',
      );
      const mine = (await decisionsOf(app, taAnn.id, 'title-abstract')).filter((d) => d.recordId === first);
      expect(mine.map((d) => [d.vote, d.reasons])).toEqual([
        ['exclude', []],
        ['exclude', ['not-health']],
      ]);
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it('full text: the next record starts with an empty form and never asks for the last one’s file', async () => {
    const page = await open(ftAnn, '/reviews/keys-ft/full-text');
    try {
      const failed: string[] = [];
      page.on('response', (r) => {
        if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
      });
      const [r1, r2, r3] = ftRecords as [
        { recordId: string; reportId: string },
        { recordId: string; reportId: string },
        { recordId: string; reportId: string },
      ];
      expect(await shownRecord(page)).toBe(r1.recordId);
      await page.waitForSelector('iframe.fulltext-pdf[title="report-1.pdf"]');
      expect(await page.textContent('[data-testid=retrieval-state]')).toBe('PDF attached');

      // A second file attached here, through the form: the input holds its name.
      await page.setInputFiles('input[type=file]', {
        name: 'report-1-corrected.pdf',
        mimeType: 'application/pdf',
        buffer: tinyPdf('Report 1, corrected'),
      });
      await page.waitForSelector('iframe.fulltext-pdf');
      await page.keyboard.press('i');
      await page.waitForSelector(`[data-testid=fulltext-panel][data-report-id="${r2.reportId}"]`, {
        timeout: 5_000,
      });
      // The new record's own PDF, asked for under its own report.
      const frame = await page.waitForSelector('iframe.fulltext-pdf[title="report-2.pdf"]', {
        timeout: 5_000,
      });
      expect(await frame.getAttribute('src')).toContain(`/reports/${r2.reportId}/files/`);
      expect(await page.inputValue('input[type=file]')).toBe('');

      await page.keyboard.press('i');
      await page.waitForSelector(`[data-testid=fulltext-panel][data-report-id="${r3.reportId}"]`, {
        timeout: 5_000,
      });
      await page.waitForFunction(
        () => document.querySelector('[data-testid=retrieval-state]')?.textContent === 'Not found yet',
      );
      expect(await page.locator('iframe.fulltext-pdf').count()).toBe(0);
      expect(failed).toEqual([]);
      await screenshot(page, 'fulltext-next-record');
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it('full text: after a click in the PDF, Esc and E still reach the page', async () => {
    const page = await open(ftBob, '/reviews/keys-ft/full-text');
    try {
      const first = await shownRecord(page);
      expect(first).toBe(ftRecords[0]!.recordId);
      const frame = await page.waitForSelector('iframe.fulltext-pdf');
      await page.keyboard.press('1');
      expect(await page.locator('.reasons input[type=checkbox]').first().isChecked()).toBe(true);
      // The viewer inside has loaded the PDF before the click (a click while it starts up may
      // leave focus where it was).
      await waitUntil(
        async () => {
          const viewer = page.frames().find((f) => f.url().startsWith('chrome-extension:'));
          return viewer?.evaluate(() => {
            const toolbar = document.querySelector('pdf-viewer')?.shadowRoot?.querySelector('viewer-toolbar');
            return !!toolbar && !toolbar.hasAttribute('loading_');
          });
        },
        10_000,
        'the PDF viewer',
      );
      await page.evaluate(() => {
        const w = window as unknown as { __blurs: string[] };
        w.__blurs = [];
        window.addEventListener('blur', () => w.__blurs.push(document.activeElement?.tagName ?? ''));
      });
      const box = (await frame.boundingBox())!;
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      // The click put focus in the PDF.
      await page.waitForFunction(
        () => (window as unknown as { __blurs: string[] }).__blurs.includes('IFRAME'),
        undefined,
        {
          timeout: 5_000,
        },
      );
      // The page has the keyboard back (a person's next key comes later than this).
      await page.waitForFunction(() => !(document.activeElement instanceof HTMLIFrameElement), undefined, {
        timeout: 5_000,
      });
      await page.keyboard.press('Escape');
      await page.keyboard.press('e');
      await waitForOther(page, first);
      // The page moves on as soon as the key is pressed; the vote is stored when its request
      // (which now also decides the record in its own transaction) commits.
      await waitUntil(
        async () => (await decisionsOf(app, ftBob.id, 'full-text')).length >= 1,
        10_000,
        'the vote to be stored',
      );
      const log = await decisionsOf(app, ftBob.id, 'full-text');
      expect(log).toEqual([{ recordId: first, vote: 'exclude', reasons: ['wrong-design'], note: null }]);
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it('full text: "Not retrieved" over a PDF asks first, and then nobody assesses the record', async () => {
    const page = await open(ftBob, '/reviews/keys-ft/full-text');
    try {
      const target = ftRecords[1]!;
      await page.waitForSelector(`[data-testid=fulltext-panel][data-report-id="${target.reportId}"]`);
      await page.waitForSelector('iframe.fulltext-pdf[title="report-2.pdf"]');
      await page.fill(
        'input[aria-label="Why it could not be retrieved"]',
        'Wrong paper; the right one is paywalled',
      );
      await page.click('button:has-text("Not retrieved")');
      const ask = await page.waitForSelector('[data-testid=confirm-not-retrieved]', { timeout: 5_000 });
      expect(await ask.textContent()).toContain('report-2.pdf is attached to this report');
      await screenshot(page, 'fulltext-confirm-not-retrieved');
      await page.click('button:has-text("Keep the PDF")');
      await page.waitForSelector('[data-testid=confirm-not-retrieved]', { state: 'detached' });
      const kept = await ftBob.api<{ report: { state: string } }>(
        'GET',
        `/reviews/keys-ft/reports/${target.reportId}`,
      );
      expect(kept.body.report.state).toBe('retrieved');
      expect(await page.locator('iframe.fulltext-pdf').count()).toBe(1);

      await page.click('button:has-text("Not retrieved")');
      await page.click('button:has-text("Mark not retrieved")');
      const notice = await page.waitForSelector('[data-testid=screening-notice]', { timeout: 5_000 });
      expect(await notice.textContent()).toContain(
        'is marked not retrieved (Wrong paper; the right one is paywalled)',
      );
      const next = await waitForOther(page, target.recordId);
      expect(next).toBe(ftRecords[2]!.recordId);
      expect(await page.textContent('main')).not.toMatch(INTERNALS);
      await screenshot(page, 'fulltext-not-retrieved-notice');

      // Nobody is served it, nobody may vote on it.
      for (const u of [ftAnn, ftBob]) {
        const n = await u.api<{ record: { recordId: string }; upcoming: { recordId: string }[] } | undefined>(
          'GET',
          '/reviews/keys-ft/stages/full-text/next?prefetch=10',
        );
        expect(n.body ? [n.body.record, ...n.body.upcoming].map((r) => r.recordId) : []).not.toContain(
          target.recordId,
        );
      }
      const refused = await ftBob.api<{ error: { message: string } }>(
        'POST',
        '/reviews/keys-ft/stages/full-text/decisions',
        {
          recordId: target.recordId,
          vote: 'include',
        },
      );
      expect(refused.status).toBe(409);

      // A record without a PDF is marked at once; revisited, its state reads in words.
      const third = ftRecords[2]!;
      await page.keyboard.press('i');
      await waitForOther(page, third.recordId);
      await page.keyboard.press('ArrowLeft');
      await page.waitForSelector(`${RECORD}[data-record-id="${third.recordId}"]`, { timeout: 5_000 });
      await page.fill('input[aria-label="Why it could not be retrieved"]', 'Not held by any library');
      await page.click('button:has-text("Not retrieved")');
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid=retrieval-state]')?.textContent ===
          'Not retrieved: Not held by any library',
        undefined,
        { timeout: 5_000 },
      );
      expect(await page.textContent('main')).not.toMatch(INTERNALS);
      await screenshot(page, 'fulltext-not-retrieved-state');
    } finally {
      await page.context().close();
    }
  }, 60_000);
});
