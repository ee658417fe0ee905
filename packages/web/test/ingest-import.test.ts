import { readFileSync } from 'node:fs';
import path from 'node:path';
import { listEvents, type Review } from '@winnow/core';
import {
  getImport,
  parseText,
  requestImport,
  runImport,
  type ImportSummary,
  type NormalisedRecord,
} from '@winnow/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/cli.ts';
import { failingDb } from './support/failing-db.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

const fixture = (name: string): Buffer => readFileSync(path.join(REPO_ROOT, 'fixtures', name));
async function* bytes(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}

describe('imports through the API and the import job (PostgreSQL, real queue)', () => {
  let app: TestApp;
  let review: Review;
  let lead: TestUser;
  let reviewer: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    review = await app.review('ingest-review');
    lead = await app.user('Lead', review, ['lead']);
    reviewer = await app.user('Reviewer', review, ['reviewer']);
  });
  afterAll(async () => {
    await app.close();
  });

  const upload = (user: TestUser, file: string, query: string) =>
    user.api<{ importId: string; searchId: string; jobId: string; error?: { code: string } }>(
      'POST',
      `/reviews/ingest-review/imports?fileName=${path.basename(file)}&${query}`,
      fixture(file),
    );

  /** Uploads `text` as the lead and waits for its import job: the import's id and summary. */
  const importText = async (fileName: string, source: string, text: string) => {
    const r = await lead.api<{ importId: string; jobId: string }>(
      'POST',
      `/reviews/ingest-review/imports?fileName=${fileName}&source=${source}`,
      Buffer.from(text),
    );
    expect(r.status).toBe(202);
    return {
      importId: r.body.importId,
      summary: (await app.rt.queue.waitFor(r.body.jobId)) as ImportSummary,
    };
  };

  it('imports an Ovid RIS upload as one search, with records, an event and a count-mismatch warning', async () => {
    const r = await upload(
      lead,
      'demo/medline-ovid.ris',
      'source=MEDLINE&platform=Ovid&searched=2024-01-15&reported=36',
    );
    expect(r.status).toBe(202);
    const summary = (await app.rt.queue.waitFor(r.body.jobId)) as ImportSummary;
    expect(summary).toMatchObject({ status: 'complete', format: 'ris', records: 35, errorCount: 0 });
    expect(summary.warnings[0]).toMatch(/MEDLINE reported 36 records; 35 were parsed/);

    const detail = await reviewer.api<ImportSummary>(
      'GET',
      `/reviews/ingest-review/imports/${r.body.importId}`,
    );
    expect(detail.body.records).toBe(35);
    const { rows } = await app.rt.db.query<{ n: number; distinct: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT source_index)::int AS distinct FROM records WHERE import_id = $1',
      [r.body.importId],
    );
    expect(rows[0]).toEqual({ n: 35, distinct: 35 });
    const search = await app.rt.db.query<Record<string, unknown>>(
      'SELECT source_name, platform, searched_on::text AS d, records_reported FROM searches WHERE id = $1',
      [r.body.searchId],
    );
    expect(search.rows[0]).toEqual({
      source_name: 'MEDLINE',
      platform: 'Ovid',
      d: '2024-01-15',
      records_reported: 36,
    });
    const events = await listEvents(app.rt.db, {
      reviewId: review.id,
      types: ['import.completed'],
      entityId: r.body.importId,
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ records: 35, format: 'ris' });
  });

  it('refuses the same content twice unless forced; reviewers may not upload', async () => {
    const again = await upload(lead, 'demo/medline-ovid.ris', 'source=MEDLINE');
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('DUPLICATE_IMPORT');
    expect((await upload(reviewer, 'demo/pubmed.nbib', 'source=PubMed')).status).toBe(403);
    const forced = await upload(lead, 'demo/medline-ovid.ris', 'source=MEDLINE&force=true');
    expect(forced.status).toBe(202);
    expect(((await app.rt.queue.waitFor(forced.body.jobId)) as ImportSummary).records).toBe(35);
  });

  it('imports a file with a NUL byte in a title: the record kept without it, and a warning that says where', async () => {
    // PostgreSQL's text holds no NUL: one such byte used to fail the whole import, after retries.
    const { importId, summary } = await importText(
      'nul.ris',
      'Embase',
      'TY  - JOUR\nTI  - Lean in wards\nER  - \n\nTY  - JOUR\nTI  - Six\u0000 sigma in theatres\nER  - \n\nTY  - JOUR\nTI  - Huddles\nER  - \n',
    );
    expect(summary).toMatchObject({ status: 'complete', records: 3, errorCount: 0, recordsRepaired: 1 });
    expect(summary.warnings).toEqual([
      'nul.ris: record 2 (line 5): a NUL character (byte 0x00) removed from title (the database cannot store it); kept with warning',
    ]);
    const { rows } = await app.rt.db.query<{ title: string; raw: string }>(
      'SELECT title, raw FROM records WHERE import_id = $1 ORDER BY source_index',
      [importId],
    );
    expect(rows.map((x) => x.title)).toEqual(['Lean in wards', 'Six sigma in theatres', 'Huddles']);
    expect(rows[1]!.raw).toBe('TY  - JOUR\nTI  - Six sigma in theatres\nER  - ');
  });

  it('imports a record with a title of 17,000 characters and a run-on DOI, and sorts it by title', async () => {
    // Both went into index entries: past a page's size, the whole import failed after retries.
    const words = Array.from({ length: 2400 }, (_, i) => `word${i.toString(36)}`).join(' ');
    expect(words.length).toBeGreaterThan(17_000);
    const { importId, summary } = await importText(
      'run-on.ris',
      'CINAHL',
      `TY  - JOUR\nTI  - Zebra crossings\nER  - \n\nTY  - JOUR\nTI  - Aardvark ${words}\nDO  - 10.1234/${words.replaceAll(' ', '-')}\nER  - \n`,
    );
    expect(summary).toMatchObject({ status: 'complete', records: 2, errorCount: 0 });
    expect(summary.warnings).toEqual([
      expect.stringMatching(
        /^run-on\.ris: record 2 \(line 5\): DOI not recognised in "10\.1234\/word0-word1-/,
      ),
    ]);
    const { rows } = await app.rt.db.query<{ title: string; doi: string | null; key: number }>(
      `SELECT r.title, r.doi, length(l.title_key) AS key FROM records r JOIN library_records l ON l.record_id = r.id
        WHERE r.import_id = $1 ORDER BY r.source_index`,
      [importId],
    );
    expect(rows.map((x) => [x.title.length, x.doi, x.key])).toEqual([
      [15, null, 15],
      [`Aardvark ${words}`.length, null, 500],
    ]);
    const page = await lead.api<{ items: { title: string }[] }>(
      'GET',
      `/reviews/ingest-review/records?sort=title&source=${importId}`,
    );
    expect(page.body.items.map((i) => i.title.slice(0, 15))).toEqual(['Aardvark word0 ', 'Zebra crossings']);
  });

  it('fails an unreadable file with a clear message and stores nothing', async () => {
    const r = await lead.api<{ importId: string; jobId: string }>(
      'POST',
      '/reviews/ingest-review/imports?fileName=notes.txt',
      'just prose and no export here',
    );
    expect(r.status).toBe(202);
    await expect(app.rt.queue.waitFor(r.body.jobId)).rejects.toThrow(/notes\.txt.*format not recognised/);
    const imp = await getImport(app.rt.db, r.body.importId);
    // The failure is an error of the import: counted, and its message kept for the imports page.
    expect(imp).toMatchObject({ status: 'failed', recordCount: 0, errorCount: 1 });
    expect(imp?.errors[0]).toMatch(/notes\.txt.*format not recognised/);
    // The file is named once, and no line is named for a fault of the whole file.
    const { rows: failed } = await app.rt.db.query<{ error: string }>(
      'SELECT error FROM jobs WHERE id = $1',
      [r.body.jobId],
    );
    expect(failed[0]?.error).toMatch(/^notes\.txt: format not recognised from its content/);
    const { rows } = await app.rt.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM records WHERE import_id = $1',
      [r.body.importId],
    );
    expect(rows[0]!.n).toBe(0);
    // The same bytes again, renamed and with a format chosen (what a lead tries next): a new attempt,
    // answered by the parser again, not refused by the database as the same content.
    const again = await lead.api<{ importId: string; jobId: string }>(
      'POST',
      '/reviews/ingest-review/imports?fileName=notes.ris&format=ris',
      'just prose and no export here',
    );
    expect(again.status).toBe(202);
    await expect(app.rt.queue.waitFor(again.body.jobId)).rejects.toThrow(/notes\.ris/);
    expect(await getImport(app.rt.db, again.body.importId)).toMatchObject({ status: 'failed' });
  });

  it('a worker dying mid-import leaves the whole import after the retry, each record once', async () => {
    // 2,000 generated records, so the import spans several batches; the first run dies after one.
    const text = Array.from(
      { length: 2000 },
      (_, i) => `TY  - JOUR\nTI  - Generated record ${i + 1}\nAU  - Author${i}, A.\nPY  - 2020\nER  - \n`,
    ).join('\n');
    const imp = await requestImport(app.rt.db, {
      reviewId: review.id,
      fileName: 'big.ris',
      source: bytes(Buffer.from(text)),
      maxBytes: 1e8,
    });
    // The worker freezes in its second batch (as one killed mid-file): its first batch stays.
    const frozen = failingDb(app.rt.db, 2, 'hang');
    void runImport(frozen, imp.id, { progress: async () => {}, batchSize: 500, writers: 1 });
    await frozen.reached;
    const written = await app.rt.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM records WHERE import_id = $1',
      [imp.id],
    );
    expect(written.rows[0]!.n).toBe(500);
    expect((await getImport(app.rt.db, imp.id))!.status).toBe('pending');

    const done = await runImport(app.rt.db, imp.id, { progress: async () => {} });
    expect(done).toMatchObject({ status: 'complete', records: 2000 });
    const after = await app.rt.db.query<{ n: number; distinct: number; max: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT source_index)::int AS distinct, max(source_index)::int AS max FROM records WHERE import_id = $1',
      [imp.id],
    );
    expect(after.rows[0]).toEqual({ n: 2000, distinct: 2000, max: 2000 });
    // A third delivery of the same job changes nothing and logs nothing new.
    await runImport(app.rt.db, imp.id, { progress: async () => {} });
    expect(
      await listEvents(app.rt.db, { reviewId: review.id, types: ['import.completed'], entityId: imp.id }),
    ).toHaveLength(1);
  });

  it('exports records as RIS and CSV that re-import to the same normalised records', async () => {
    const { rows } = await app.rt.db.query<{ data: NormalisedRecord }>(
      `SELECT r.data FROM records r JOIN imports i ON i.id = r.import_id
        WHERE r.review_id = $1 AND i.status = 'complete' ORDER BY i.created_at, i.id, r.source_index`,
      [review.id],
    );
    const strip = (r: NormalisedRecord) => ({
      ...r,
      raw: undefined,
      source: { ...r.source, format: undefined },
    });
    for (const format of ['ris', 'csv'] as const) {
      const res = await reviewer.api<string>('GET', `/reviews/ingest-review/records/export?format=${format}`);
      expect(res.status).toBe(200);
      const back = await parseText(res.body, { format });
      expect(back.records.map((r) => strip(r.record))).toEqual(rows.map((r) => strip(r.data)));
    }
  });
});

describe('the import job on PGlite (same SQL, same migrations)', () => {
  it('imports, refuses a duplicate and exports', async () => {
    const { createTestDatabase } = await import('@winnow/core/testing');
    const { createReview } = await import('@winnow/core');
    const t = await createTestDatabase('pglite');
    try {
      const review = await createReview(t.db, { slug: 'pglite-ingest', title: 'PGlite ingest' });
      const imp = await requestImport(t.db, {
        reviewId: review.id,
        fileName: 'pubmed.nbib',
        source: bytes(fixture('demo/pubmed.nbib')),
        maxBytes: 1e7,
        search: { sourceName: 'PubMed' },
      });
      expect(await runImport(t.db, imp.id, { progress: async () => {} })).toMatchObject({
        status: 'complete',
        format: 'medline',
        records: 14,
      });
      await expect(
        requestImport(t.db, {
          reviewId: review.id,
          fileName: 'copy.nbib',
          source: bytes(fixture('demo/pubmed.nbib')),
          maxBytes: 1e7,
        }),
      ).rejects.toMatchObject({ code: 'DUPLICATE_IMPORT' });
      const { rows } = await t.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM blobs WHERE review_id = $1',
        [review.id],
      );
      expect(rows[0]!.n).toBe(1);
    } finally {
      await t.drop();
    }
  });
});
