import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaFlow } from '@winnow/screening';
import { seedTwoColumns, TWO_COLUMNS } from './support/prisma-two-columns.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

/**
 * The PRISMA page as the lead walked it: the template check says in words what is wrong with a file
 * that is not a CSV or not valid CSV; every part of a box (its words too) links to what it counts; and
 * what awaits screening is counted the same way in the diagram, the page's list, the dashboard and the
 * records library.
 */
describe('PRISMA page: template check, box links and awaiting counts', () => {
  let app: TestApp;
  let lead: TestUser;
  let base: string;
  let importId: { dbr: string; other: string };

  beforeAll(async () => {
    app = await startTestApp({ workers: false });
    const review = await app.review('prisma-page-checks', 'Improvement capability');
    base = `/reviews/${review.slug}`;
    lead = await app.user('Lead', review, ['lead']);
    ({ importId } = await seedTwoColumns(app, review));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  const png = async (): Promise<Uint8Array> => {
    const res = await app.fetch(`/api${base}/prisma?format=png&width=400`, {
      headers: { authorization: `Bearer ${lead.token}` },
    });
    expect(res.headers.get('content-type')).toBe('image/png');
    return new Uint8Array(await res.arrayBuffer());
  };
  type Refusal = { error: { code: string; message: string } };

  it('says plainly that an image is not a CSV file, naming the file', async () => {
    const image = await png();
    const named = await lead.api<Refusal>(
      'POST',
      `${base}/prisma/template-check?fileName=${encodeURIComponent('diagram.png')}`,
      image,
    );
    expect(named.status).toBe(422);
    expect(named.body.error.message).toBe(
      '"diagram.png" is not a CSV file: the PRISMA 2020 template is a CSV file saved from its spreadsheet.',
    );
    const unnamed = await lead.api<Refusal>('POST', `${base}/prisma/template-check`, image);
    expect(unnamed.body.error.message).toBe(
      'The file is not a CSV file: the PRISMA 2020 template is a CSV file saved from its spreadsheet.',
    );
  });

  it('names the line of a CSV syntax error in words, without the parser’s wording', async () => {
    const csv = await lead.api<string>('GET', `${base}/prisma?format=csv`);
    const lines = csv.body.split('\n');
    lines[5] = lines[5]!.replace(/,([^,]*)$/, ',4"9"');
    const res = await lead.api<Refusal>(
      'POST',
      `${base}/prisma/template-check?fileName=counts.csv`,
      lines.join('\n'),
    );
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe(
      '"counts.csv" is not a valid CSV file: line 6, column "n": a quote mark (") is in the middle of a cell. A cell that holds quote marks must start and end with one, and each quote mark inside it must be doubled ("").',
    );
    expect(res.body.error.message).not.toMatch(/Invalid Opening Quote|field \d|value is/);
  });

  it('links every part of a box, its words too, to the list of what it counts', async () => {
    const svg = (await lead.api<string>('GET', `${base}/prisma?format=svg`)).body;
    const href = (key: string) => `href="${base}/prisma/box/${key}"`;
    for (const [key, words] of [
      ['records_screened', 'Records screened (n\u00a0=\u00a02)'],
      ['records_excluded', 'Records excluded (n\u00a0=\u00a01)'],
      ['dbr_sought_reports', 'Reports sought for retrieval (n\u00a0=\u00a01)'],
    ] as const) {
      const link = new RegExp(
        `<a ${href(key)} aria-label="[^"]*"><rect [^>]*/>\\n<text [^>]*>([^<]*)</text>`,
      );
      expect(link.exec(svg)?.[1], key).toBe(words);
    }
    // A box that counts nothing yet opens an empty list, not an error.
    expect(svg).toContain(href('removed_before_screening'));
    for (const key of ['removed_before_screening', 'dbr_notretrieved_reports', 'excluded_other']) {
      const empty = await lead.api<{ count: number }>('GET', `${base}/prisma/boxes/${key}`);
      expect(empty.status, key).toBe(200);
      expect(empty.body.count, key).toBe(0);
    }
    // The page's "In progress" list links its counts even at 0, which the diagram does not draw.
    const waiting = await lead.api<{ count: number }>('GET', `${base}/prisma/boxes/dbr_awaiting_assessment`);
    expect(waiting.status).toBe(200);
    expect(waiting.body.count).toBe(0);
    const missing = await lead.api<{ error: { message: string } }>('GET', `${base}/prisma/boxes/no_such_box`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).not.toContain('no_such_box');
    // Title boxes count nothing: they link nowhere.
    expect(svg).not.toContain(href('newstud'));
    expect(svg).not.toContain(href('othstud'));
  });

  it('counts records awaiting screening from each column apart, and the pages agree', async () => {
    const flow = (await lead.api<PrismaFlow>('GET', `${base}/prisma?format=json`)).body;
    expect(flow.counts.awaitingScreening).toBe(TWO_COLUMNS.dbrAwaiting);
    expect(flow.counts.other?.awaitingScreening).toBe(TWO_COLUMNS.otherAwaiting);
    expect(flow.counts.screened).toBe(TWO_COLUMNS.screened);

    // The line above the diagram names both columns, never their sum alone.
    const svg = (await lead.api<string>('GET', `${base}/prisma?format=svg`)).body;
    const banner = [
      ...(/<g class="prisma-in-progress"[^>]*>([\s\S]*?)<\/g>/.exec(svg)?.[1] ?? '').matchAll(
        /<text[^>]*>([^<]*)<\/text>/g,
      ),
    ]
      .map((m) => m[1])
      .join(' ');
    expect(banner).toContain(
      '4 records from databases and registers and 3 from other methods awaiting title/abstract screening',
    );
    expect(banner).not.toContain('7 records');

    // The dashboard counts the stage's records of both columns together: its awaiting and in
    // conflict add up to the two columns' counts.
    const status = await lead.api<{ screeningTitleAbstract: Record<string, number> }>(
      'GET',
      `${base}/status`,
    );
    expect(status.status).toBe(200);
    const ta = status.body.screeningTitleAbstract;
    expect(ta['awaiting-votes']! + ta.conflict!).toBe(TWO_COLUMNS.dbrAwaiting + TWO_COLUMNS.otherAwaiting);

    // The records library: records without a title/abstract outcome, all and by source.
    const library = async (source?: string): Promise<number> => {
      const q = new URLSearchParams([
        ['stage', 'title-abstract'],
        ...['unscreened', 'awaiting-my-vote', 'awaiting-second-vote', 'in-progress', 'conflict', 'maybe'].map(
          (s) => ['state', s],
        ),
        ...(source ? [['source', source]] : []),
      ]);
      const res = await lead.api<{ total: number }>('GET', `${base}/records?${q}`);
      expect(res.status).toBe(200);
      return res.body.total;
    };
    expect(await library()).toBe(TWO_COLUMNS.dbrAwaiting + TWO_COLUMNS.otherAwaiting);
    expect(await library(importId.dbr)).toBe(TWO_COLUMNS.dbrAwaiting);
    expect(await library(importId.other)).toBe(TWO_COLUMNS.otherAwaiting);
  });

  // Last: it moves d1 on to included at full text.
  it('names a study that is an included report of its own, with its record to open', async () => {
    const db = app.rt.db;
    const { rows } = await db.query<{ id: string; recordId: string; title: string }>(
      `SELECT p.id, p.record_id AS "recordId", r.title FROM reports p JOIN records r ON r.id = p.record_id
       WHERE p.review_id = (SELECT id FROM reviews WHERE slug = 'prisma-page-checks')`,
    );
    const report = rows[0]!;
    await db.query(
      `INSERT INTO stage_records (review_id, record_id, stage, status)
       SELECT review_id, record_id, 'full-text', 'advanced' FROM reports WHERE id = $1`,
      [report.id],
    );
    // Not linked to a study yet: it counts as a study of its own, named as its report is.
    const box = await lead.api<{ count: number; items: unknown[] }>(
      'GET',
      `${base}/prisma/boxes/new_studies`,
    );
    expect(box.status).toBe(200);
    expect(box.body.items).toEqual([
      { id: `report:${report.id}`, kind: 'study', title: report.title, recordId: report.recordId },
    ]);
    const reports = await lead.api<{ items: unknown[] }>('GET', `${base}/prisma/boxes/new_reports`);
    expect(reports.body.items).toEqual([
      { id: report.id, kind: 'report', title: report.title, recordId: report.recordId },
    ]);
  });
});
