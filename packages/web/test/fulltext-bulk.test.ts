import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, testPdf, type TestDatabase } from '@winnow/core/testing';
import { getReviewBySlug } from '@winnow/core';
import { seedReportsSought, zipFiles, type CorpusReport } from '@winnow/screening/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWinnow } from './support/cli.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';
import { seedRecords, waitUntil } from './screening-fixtures.ts';

const REPORTS: CorpusReport[] = [
  {
    title: 'Leadership walkrounds and safety culture in acute hospitals',
    year: 2019,
    doi: '10.1136/bmjqs-2019-0101',
    pmid: null,
  },
  { title: 'Patient involvement in redesigning maternity services', year: 2021, doi: null, pmid: '33300011' },
  { title: 'Run charts for improvement teams in general practice', year: 2018, doi: null, pmid: null },
  { title: 'Coaching skills for frontline improvement facilitators', year: 2016, doi: null, pmid: null },
  { title: 'Coaching skills for frontline improvement facilitators', year: 2020, doi: null, pmid: null },
];
const byDoi = testPdf({
  pages: [['BMJ Qual Saf 2019', 'doi:10.1136/bmjqs-2019-0101', 'Some title']],
  info: { subject: 'doi:10.1136/bmjqs-2019-0101' },
});
const byPmid = testPdf({
  pages: [['PMID: 33300011', 'Patient involvement in redesigning maternity services']],
});
const byTitle = testPdf({
  pages: [['Br J Gen Pract 2018', 'Run charts for improvement teams', 'in general practice']],
});
const twoOfThem = testPdf({
  pages: [['Coaching skills for frontline improvement facilitators', 'Reprinted 2016 and 2020']],
});
const stray = testPdf({ pages: [['A history of lentil soup', '1999']] });

describe('bulk upload of full texts: API (with a zip) and CLI', () => {
  let app: TestApp;
  let lead: TestUser;
  let ids: string[];
  const base = '/reviews/ft-bulk';

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('ft-bulk');
    lead = await app.user('Lead', review, ['lead']);
    ids = await seedReportsSought(app.rt.db, review.id, REPORTS);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('matches by DOI, PMID and title, lists ambiguous, unmatched, duplicate and broken files; the lead picks', async () => {
    const b = await lead.api<{ batchId: string }>('POST', `${base}/fulltext/batches`);
    expect(b.status).toBe(201);
    const put = (name: string, bytes: Uint8Array) =>
      lead.api<{ files: { outcome: string; message: string | null }[] }>(
        'POST',
        `${base}/fulltext/batches/${b.body.batchId}/files?fileName=${encodeURIComponent(name)}`,
        bytes,
      );
    const zip = zipFiles({
      'in/pmid.pdf': byPmid,
      'in/title.pdf': byTitle,
      'readme.txt': new TextEncoder().encode('hi'),
    });
    expect((await put('papers.zip', zip)).body.files).toHaveLength(2);
    for (const [name, bytes] of [
      ['doi.pdf', byDoi],
      ['coaching.pdf', twoOfThem],
      ['soup.pdf', stray],
      ['doi-again.pdf', byDoi],
      ['locked.pdf', testPdf({ pages: [['x']], encrypted: true })],
    ] as const)
      expect((await put(name, bytes)).status).toBe(201);
    const notPdf = await put('notes.txt', new TextEncoder().encode('plain text'));
    expect(notPdf.body.files[0]).toMatchObject({
      outcome: 'failed',
      message: expect.stringMatching(/notes\.txt is not a PDF/),
    });

    const m = await lead.api<{ jobId: string }>('POST', `${base}/fulltext/batches/${b.body.batchId}/match`);
    expect(m.status).toBe(202);
    await app.rt.queue.waitFor(m.body.jobId, 30_000);
    const got = await lead.api<{
      summary: Record<string, unknown>;
      batch: { files: { position: number; fileName: string; outcome: string }[] };
    }>('GET', `${base}/fulltext/batches/${b.body.batchId}`);
    expect(got.body.summary).toEqual({
      batchId: b.body.batchId,
      attached: [
        { file: 'papers.zip/pmid.pdf', reportId: ids[1], title: REPORTS[1]!.title, matchedBy: 'pmid' },
        { file: 'papers.zip/title.pdf', reportId: ids[2], title: REPORTS[2]!.title, matchedBy: 'title' },
        { file: 'doi.pdf', reportId: ids[0], title: REPORTS[0]!.title, matchedBy: 'doi' },
      ],
      ambiguous: [
        {
          file: 'coaching.pdf',
          candidates: expect.arrayContaining([
            { reportId: ids[3], title: REPORTS[3]!.title, year: 2016 },
            { reportId: ids[4], title: REPORTS[4]!.title, year: 2020 },
          ]),
        },
      ],
      unmatched: ['soup.pdf'],
      duplicates: ['doi-again.pdf'],
      failed: [
        { file: 'locked.pdf', message: expect.stringMatching(/locked\.pdf: it is encrypted/) },
        { file: 'notes.txt', message: expect.stringMatching(/not a PDF/) },
      ],
    });
    // Attached: events written, the text read by its own job.
    const ev = await app.rt.db.query(
      `SELECT 1 FROM events WHERE type = 'report.attached' AND entity_id = ANY($1::text[])`,
      [ids.slice(0, 3)],
    );
    expect(ev.rows).toHaveLength(3);
    const rep = await lead.api<{ report: { state: string; sources: { blobId: string }[] } }>(
      'GET',
      `${base}/reports/${ids[0]}`,
    );
    expect(rep.body.report.state).toBe('retrieved');
    await waitUntil(async () => {
      const t = await lead.api<{ status: string }>(
        'GET',
        `${base}/reports/${ids[0]}/files/${rep.body.report.sources[0]!.blobId}/text`,
      );
      return t.body.status === 'read';
    });

    // The lead picks one of the two coaching reports; the file cannot be attached twice.
    const coaching = got.body.batch.files.find((f) => f.fileName === 'coaching.pdf')!;
    const pick = await lead.api(
      'POST',
      `${base}/fulltext/batches/${b.body.batchId}/files/${coaching.position}/attach`,
      { reportId: ids[4] },
    );
    expect(pick.status).toBe(200);
    const again = await lead.api<{ error: { message: string } }>(
      'POST',
      `${base}/fulltext/batches/${b.body.batchId}/files/${coaching.position}/attach`,
      { reportId: ids[3] },
    );
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('coaching.pdf is already attached');
    // A reviewer cannot pick; no more files once matching started.
    const rev = await app.user('Rev', await getReviewBySlug(app.rt.db, 'ft-bulk'), ['reviewer']);
    expect(
      (
        await rev.api('POST', `${base}/fulltext/batches/${b.body.batchId}/files/1/attach`, {
          reportId: ids[3],
        })
      ).status,
    ).toBe(403);
    expect((await put('late.pdf', stray)).status).toBe(409);
  });
});

describe('winnow fulltext add --json', () => {
  let pg: TestDatabase;
  let env: Record<string, string>;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'winnow-fulltext-cli-'));
  beforeAll(async () => {
    pg = await createTestDatabase('postgres');
    env = { DATABASE_URL: pg.url!, WINNOW_QUEUE_PREFIX: `fulltext-cli-${Date.now()}` };
    expect(
      (await runWinnow(['review', 'create', 'cli-ft', '--title', 'CLI full texts', '--json'], env)).code,
    ).toBe(0);
  });
  afterAll(async () => {
    await pg.drop();
  });

  it('attaches a folder of PDFs and prints {attached, ambiguous, unmatched, duplicates}', async () => {
    const review = await getReviewBySlug(pg.db, 'cli-ft');
    const ids = await seedReportsSought(pg.db, review.id, REPORTS);
    const folder = path.join(dir, 'pdfs');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'a-doi.pdf'), byDoi);
    writeFileSync(path.join(folder, 'b-coaching.pdf'), twoOfThem);
    writeFileSync(path.join(folder, 'c-soup.pdf'), stray);
    writeFileSync(path.join(folder, 'd-copy.pdf'), byDoi);
    writeFileSync(path.join(folder, 'notes.txt'), 'ignored: not a PDF or zip');
    const r = await runWinnow(['fulltext', 'add', folder, '--review', 'cli-ft', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toEqual({
      attached: [{ file: 'a-doi.pdf', reportId: ids[0], title: REPORTS[0]!.title, matchedBy: 'doi' }],
      ambiguous: [
        {
          file: 'b-coaching.pdf',
          candidates: expect.arrayContaining([expect.objectContaining({ reportId: ids[3] })]),
        },
      ],
      unmatched: ['c-soup.pdf'],
      duplicates: ['d-copy.pdf'],
    });
    const missing = await runWinnow(
      ['fulltext', 'add', path.join(dir, 'nope'), '--review', 'cli-ft', '--json'],
      env,
    );
    expect(missing.code).not.toBe(0);
    expect(missing.stderr + missing.stdout).toMatch(/nope: no such file or folder/);
  });
});

describe('bulk upload and PRISMA "reports not retrieved"', () => {
  let app: TestApp;
  afterAll(async () => {
    await app?.close();
  });

  it('a report marked not retrieved whose PDF then arrives in a bulk upload leaves the box, and sought stays whole', async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('ft-prisma');
    const lead = await app.user('Lead', review, ['lead', 'reviewer']);
    const ann = await app.user('Ann', review, ['reviewer']);
    const records = await seedRecords(app.rt.db, review.id, 3);
    await app.rt.db.query(
      `UPDATE records SET doi = '10.5555/nr.' || source_index WHERE id = ANY($1::uuid[])`,
      [records],
    );
    const route = await lead.api<{ jobId: string }>('POST', '/reviews/ft-prisma/stages/title-abstract/route');
    await app.rt.queue.waitFor(route.body.jobId, 20_000);
    for (const recordId of records)
      for (const u of [lead, ann])
        await u.api('POST', '/reviews/ft-prisma/stages/title-abstract/decisions', {
          recordId,
          vote: 'include',
        });
    const reports = await waitUntil(async () => {
      const { rows } = await app.rt.db.query<{ id: string; doi: string }>(
        `SELECT p.id, r.doi FROM reports p JOIN records r ON r.id = p.record_id WHERE p.review_id = $1 ORDER BY r.source_index`,
        [review.id],
      );
      return rows.length === records.length ? rows : null;
    });
    const counts = async () =>
      (
        await lead.api<{ counts: { dbr: { sought: number; notRetrieved: number } } }>(
          'GET',
          '/reviews/ft-prisma/prisma',
        )
      ).body.counts.dbr;
    for (const r of reports.slice(0, 2))
      expect(
        (await lead.api('POST', `/reviews/ft-prisma/reports/${r.id}/not-retrieved`, { reason: 'Paywalled' }))
          .status,
      ).toBe(201);
    expect(await counts()).toMatchObject({ sought: 3, notRetrieved: 2 });

    const b = await lead.api<{ batchId: string }>('POST', '/reviews/ft-prisma/fulltext/batches');
    await lead.api(
      'POST',
      `/reviews/ft-prisma/fulltext/batches/${b.body.batchId}/files?fileName=found.pdf`,
      testPdf({ pages: [[`doi:${reports[0]!.doi}`, 'Found after all']] }),
    );
    const m = await lead.api<{ jobId: string }>(
      'POST',
      `/reviews/ft-prisma/fulltext/batches/${b.body.batchId}/match`,
    );
    await app.rt.queue.waitFor(m.body.jobId, 30_000);
    const rep = await lead.api<{ report: { state: string } }>(
      'GET',
      `/reviews/ft-prisma/reports/${reports[0]!.id}`,
    );
    expect(rep.body.report.state).toBe('retrieved');
    expect(await counts()).toMatchObject({ sought: 3, notRetrieved: 1 });
  });
});
