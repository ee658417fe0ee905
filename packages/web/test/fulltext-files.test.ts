import { testPdf, tinyPdf } from '@winnow/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRecords, waitUntil } from './screening-fixtures.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

interface TextAnswer {
  status: string;
  message: string | null;
  pageCount: number | null;
  pages: { page: number; text: string }[];
}

describe('full-text file route (ranges) and text extraction job', () => {
  let app: TestApp;
  let lead: TestUser;
  let viewer: TestUser;
  let reports: string[];
  const base = '/reviews/ft-files';

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('ft-files');
    lead = await app.user('Lead', review, ['lead']);
    viewer = await app.user('Viewer', review, ['viewer']);
    const records = await seedRecords(app.rt.db, review.id, 5);
    reports = [];
    for (const r of records) {
      const { rows } = await app.rt.db.query<{ id: string }>(
        `INSERT INTO reports (review_id, record_id, title) VALUES ($1, $2, 'r') RETURNING id`,
        [review.id, r],
      );
      reports.push(rows[0]!.id);
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  const attach = async (i: number, name: string, pdf: Buffer) => {
    const up = await lead.api<{ blobId: string }>(
      'POST',
      `${base}/reports/${reports[i]}/file?fileName=${name}`,
      pdf,
    );
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    return up.body.blobId;
  };
  const text = async (i: number, blobId: string) =>
    waitUntil(
      async () => {
        const r = await viewer.api<TextAnswer>('GET', `${base}/reports/${reports[i]}/files/${blobId}/text`);
        expect(r.status).toBe(200);
        return r.body.status === 'pending' ? null : r.body;
      },
      20_000,
      'the text job',
    );

  it('answers range requests over a multi-chunk PDF with 206 and exactly those bytes', async () => {
    const pdf = testPdf({ pages: [['A long report']], padBytes: 2_600_000 });
    const blobId = await attach(0, 'long.pdf', pdf);
    const url = `/api${base}/reports/${reports[0]}/files/${blobId}`;
    const auth = { authorization: `Bearer ${viewer.token}` };
    const whole = await app.fetch(url, { headers: auth });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('content-type')).toBe('application/pdf');
    expect(whole.headers.get('content-security-policy')).toBe('sandbox');
    expect(whole.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await whole.arrayBuffer()).equals(pdf)).toBe(true);
    const etag = whole.headers.get('etag')!;
    for (const [range, start, end] of [
      ['bytes=0-99', 0, 99],
      ['bytes=1048570-1048600', 1048570, 1048600],
      ['bytes=-50', pdf.length - 50, pdf.length - 1],
      [`bytes=2000000-`, 2_000_000, pdf.length - 1],
    ] as const) {
      const res = await app.fetch(url, { headers: { ...auth, range } });
      expect(res.status, range).toBe(206);
      expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${pdf.length}`);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(Buffer.from(await res.arrayBuffer()).equals(pdf.subarray(start, end + 1)), range).toBe(true);
    }
    const head = await app.fetch(url, { method: 'HEAD', headers: auth });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(pdf.length));
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    const past = await app.fetch(url, { headers: { ...auth, range: `bytes=${pdf.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${pdf.length}`);
    await past.arrayBuffer();
    // A range against a file that changed since (If-Range with another tag) gets the whole file.
    const stale = await app.fetch(url, { headers: { ...auth, range: 'bytes=0-9', 'if-range': '"other"' } });
    expect(stale.status).toBe(200);
    await stale.arrayBuffer();
    const fresh = await app.fetch(url, { headers: { ...auth, range: 'bytes=0-9', 'if-range': etag } });
    expect(fresh.status).toBe(206);
    await fresh.arrayBuffer();
    // Same access rules: a stranger gets 404.
    const stranger = await app.user('Stranger');
    const no = await app.fetch(url, {
      headers: { authorization: `Bearer ${stranger.token}`, range: 'bytes=0-9' },
    });
    expect(no.status).toBe(404);
    await no.arrayBuffer();
  });

  it('reads the text of a one-page text PDF per page in the worker', async () => {
    const blobId = await attach(1, 'one.pdf', tinyPdf('Leaders set out clear roles.'));
    const t = await text(1, blobId);
    const statusOnly = await viewer.api<TextAnswer>(
      'GET',
      `${base}/reports/${reports[1]}/files/${blobId}/text?pages=false`,
    );
    expect(statusOnly.body).toMatchObject({ status: 'read', pageCount: 1, pages: [] });
    expect(t).toMatchObject({
      status: 'read',
      pageCount: 1,
      pages: [{ page: 1, text: 'Leaders set out clear roles.' }],
    });
    const ev = await app.rt.db.query(
      `SELECT 1 FROM events WHERE type = 'report.attached' AND entity_id = $1`,
      [reports[1]],
    );
    expect(ev.rows).toHaveLength(1);
  });

  it('flags a scan as having no text layer, not as empty', async () => {
    const blobId = await attach(2, 'scan.pdf', testPdf({ pages: [[], []] }));
    const t = await text(2, blobId);
    expect(t.status).toBe('no-text-layer');
    expect(t.pageCount).toBe(2);
    expect(t.message).toMatch(/no text layer/);
  });

  it('reads a 500-page document whole', async () => {
    const pdf = testPdf({ pages: Array.from({ length: 500 }, (_, i) => [`This is page ${i + 1}.`]) });
    const blobId = await attach(3, 'book.pdf', pdf);
    const t = await text(3, blobId);
    expect(t.status).toBe('read');
    expect(t.pages).toHaveLength(500);
    expect(t.pages[499]).toEqual({ page: 500, text: 'This is page 500.' });
  });

  it('refuses an encrypted PDF at upload with a clear message', async () => {
    const up = await lead.api<{ error: { message: string } }>(
      'POST',
      `${base}/reports/${reports[4]}/file?fileName=locked.pdf`,
      testPdf({ pages: [['secret']], encrypted: true }),
    );
    expect(up.status).toBe(422);
    expect(up.body.error.message).toMatch(/locked\.pdf: it is encrypted \(password-protected\)/);
  });
});
