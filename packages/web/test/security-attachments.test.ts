import { putBlob, type Review } from '@winnow/core';
import { tinyPdf } from '@winnow/core/testing';
import { seedIncludedReports } from '@winnow/extraction/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, launchBrowser, signIn } from './support/browser.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

/**
 * Issue 21: a reviewer ran script in a lead's session through full-text attachments. A "PDF" that
 * was JavaScript (`//%PDF-1.4` then code) was served back as text/javascript, and an HTML
 * attachment loading it with `<script src>` ran when the lead opened the coding page.
 */
describe('full-text attachments cannot run script in the app', () => {
  const slug = 'attach-review';
  const base = `/reviews/${slug}`;
  let app: TestApp;
  let review: Review;
  let lead: TestUser;
  let mallory: TestUser;
  let outsider: TestUser;
  /** One report per study: [report, study] pairs. */
  let pairs: { reportId: string; studyId: string }[];

  const scriptFor = (sink: string) =>
    [
      `fetch('/api/attack-ran?via=${sink}');`,
      `fetch('/api/auth/me').then((r) => r.json()).then((me) => fetch('/api${base}/members', {`,
      `  method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },`,
      `  body: JSON.stringify({ email: '${'OUTSIDER'}', role: 'lead' }) }));`,
    ].join('\n');
  const jsPdf = () => `//%PDF-1.4\n${scriptFor('script-src').replace('OUTSIDER', outsider.email)}`;
  const html = (studyId: string) =>
    `<!doctype html><html><body><h1>Full text</h1>` +
    `<script src="/api${base}/extraction/studies/${studyId}/fulltext"></script>` +
    `<script>${scriptFor('inline').replace('OUTSIDER', outsider.email)}</script></body></html>`;

  /** Uploads as Mallory (a reviewer) with the Content-Type she chooses. */
  const upload = async (
    reportId: string,
    fileName: string,
    contentType: string,
    body: string | Uint8Array,
  ) => {
    const res = await app.fetch(
      `/api${base}/reports/${reportId}/file?fileName=${encodeURIComponent(fileName)}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${mallory.token}`, 'content-type': contentType },
        body: body as never,
      },
    );
    return {
      status: res.status,
      body: (await res.json()) as { error?: { message: string }; blobId?: string },
    };
  };
  const get = (path: string, user: TestUser = lead) =>
    app.fetch(`/api${base}${path}`, { headers: { authorization: `Bearer ${user.token}` } });
  /** Stores a file the way uploads were stored before issue 21 was fixed (no PDF check, the request's type). */
  const plantOldUpload = async (
    reportId: string,
    file: { name: string; requestType: string; checkedType: string; bytes: string },
  ) => {
    const blob = await putBlob(
      app.rt.db,
      { reviewId: review.id, fileName: file.name, mediaType: file.requestType },
      (async function* () {
        yield Buffer.from(file.bytes);
      })(),
      1_000_000,
    );
    await app.rt.db.query(
      `INSERT INTO report_retrievals (review_id, report_id, kind, detail, created_by) VALUES ($1, $2, 'file', $3, $4)`,
      [
        review.id,
        reportId,
        JSON.stringify({
          fileName: file.name,
          mediaType: file.checkedType,
          sizeBytes: blob.bytes,
          sha256: blob.sha256,
          blobId: blob.id,
        }),
        mallory.id,
      ],
    );
    return blob.id;
  };

  beforeAll(async () => {
    app = await startTestApp({ workers: false });
    review = await app.review(slug, 'Attachment review');
    lead = await app.user('Lead', review, ['lead']);
    mallory = await app.user('Mallory', review, ['reviewer']);
    outsider = await app.user('Outsider');
    const reportIds = await seedIncludedReports(
      app.rt.db,
      review.id,
      [1, 2, 3, 4, 5, 6].map((n) => ({ title: `Study report ${n}` })),
    );
    pairs = [];
    for (const [i, reportId] of reportIds.entries()) {
      const link = await lead.api<{ studyId: string }>('POST', `${base}/reports/${reportId}/study`, {
        label: `Study ${i + 1}`,
      });
      expect(link.status).toBe(200);
      pairs.push({ reportId, studyId: link.body.studyId });
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses the JavaScript "PDF" and the HTML attachment of the attack, and stores nothing', async () => {
    const [s1, s2] = [pairs[0]!, pairs[1]!];
    const js = await upload(s1.reportId, 'paper.pdf', 'text/javascript', jsPdf());
    expect(js.status).toBe(422);
    expect(js.body.error?.message).toMatch(/^paper\.pdf is not a PDF\. Only PDF files can be attached/);
    const page = await upload(s2.reportId, 'paper.html', 'text/html', html(s1.studyId));
    expect(page.status).toBe(422);
    expect(page.body.error?.message).toMatch(/^paper\.html is not a PDF/);
    const svg = await upload(s2.reportId, 'figure.svg', 'image/svg+xml', '<svg onload="alert(1)"/>');
    expect(svg.status).toBe(422);
    // A PDF header followed by anything pdf.js cannot open is not a PDF either.
    const headerOnly = await upload(
      s1.reportId,
      'paper.pdf',
      'application/pdf',
      `%PDF-1.4\n${scriptFor('x')}`,
    );
    expect(headerOnly.status).toBe(422);
    expect(headerOnly.body.error?.message).toMatch(/^Cannot read paper\.pdf as a PDF .*Only PDF files/);

    const { rows } = await app.rt.db.query(`SELECT 1 FROM blobs WHERE review_id = $1`, [review.id]);
    expect(rows).toHaveLength(0);
    expect((await get(`/extraction/studies/${s1.studyId}/fulltext`)).status).toBe(404);
    expect((await get(`/extraction/studies/${s2.studyId}/fulltext`)).status).toBe(404);
  });

  it('stores and serves a real PDF only as application/pdf, whatever Content-Type the upload claimed', async () => {
    const s3 = pairs[2]!;
    const pdf = tinyPdf('Leaders set out clear roles.');
    const up = await upload(s3.reportId, 'real.pdf', 'text/html', pdf);
    expect(up.status).toBe(201);
    const { rows } = await app.rt.db.query<{ media_type: string }>(
      `SELECT media_type FROM blobs WHERE id = $1`,
      [up.body.blobId],
    );
    expect(rows[0]?.media_type).toBe('application/pdf');
    for (const res of [
      await get(`/reports/${s3.reportId}/files/${up.body.blobId}`),
      await get(`/extraction/studies/${s3.studyId}/fulltext`),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toMatch(/^inline; /);
      expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);
    }
  });

  it('sends CSP sandbox, nosniff and RFC 6266 file names on every route that returns user files', async () => {
    const [s4, s5] = [pairs[3]!, pairs[4]!];
    const traversal = await upload(s4.reportId, '../../etc/passwd.pdf', 'application/pdf', tinyPdf('a'));
    expect(traversal.status).toBe(201);
    const unicode = await upload(s5.reportId, '研究 Übersicht “final”.pdf', 'application/pdf', tinyPdf('b'));
    expect(unicode.status).toBe(201);
    const cases = [
      {
        paths: [
          `/reports/${s4.reportId}/files/${traversal.body.blobId}`,
          `/extraction/studies/${s4.studyId}/fulltext`,
        ],
        disposition: `inline; filename="passwd.pdf"; filename*=UTF-8''passwd.pdf`,
      },
      {
        paths: [
          `/reports/${s5.reportId}/files/${unicode.body.blobId}`,
          `/extraction/studies/${s5.studyId}/fulltext`,
        ],
        disposition:
          `inline; filename="__ Ubersicht _final_.pdf"; ` +
          `filename*=UTF-8''%E7%A0%94%E7%A9%B6%20%C3%9Cbersicht%20%E2%80%9Cfinal%E2%80%9D.pdf`,
      },
      {
        paths: ['/records/export?format=ris'],
        disposition: `attachment; filename="${slug}-records.ris"; filename*=UTF-8''${slug}-records.ris`,
      },
      {
        paths: ['/records/export?format=csv'],
        disposition: `attachment; filename="${slug}-records.csv"; filename*=UTF-8''${slug}-records.csv`,
      },
    ];
    for (const c of cases) {
      for (const path of c.paths) {
        const res = await get(path);
        expect(res.status, path).toBe(200);
        expect(res.headers.get('content-security-policy'), path).toBe('sandbox');
        expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
        expect(res.headers.get('content-disposition'), path).toBe(c.disposition);
        await res.arrayBuffer();
      }
    }
  });

  it('serves files stored before the fix per their checked type, and anything not a PDF as a download', async () => {
    const [s1, s2] = [pairs[0]!, pairs[1]!];
    // What the old code stored for the attack: the script passed its check and was recorded as a
    // PDF (the blob kept text/javascript); the HTML was accepted as text/html.
    const jsBlob = await plantOldUpload(s1.reportId, {
      name: 'paper.pdf',
      requestType: 'text/javascript',
      checkedType: 'application/pdf',
      bytes: jsPdf(),
    });
    const htmlBlob = await plantOldUpload(s2.reportId, {
      name: 'paper.html',
      requestType: 'text/html',
      checkedType: 'text/html',
      bytes: html(s1.studyId),
    });
    for (const [path, name] of [
      [`/reports/${s1.reportId}/files/${jsBlob}`, 'paper.pdf'],
      [`/extraction/studies/${s1.studyId}/fulltext`, 'paper.pdf'],
      [`/reports/${s2.reportId}/files/${htmlBlob}`, 'paper.html'],
      [`/extraction/studies/${s2.studyId}/fulltext`, 'paper.html'],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe('application/octet-stream');
      expect(res.headers.get('content-disposition'), path).toBe(
        `attachment; filename="${name}"; filename*=UTF-8''${name}`,
      );
      expect(res.headers.get('content-security-policy'), path).toBe('sandbox');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      await res.arrayBuffer();
    }
  });

  it.skipIf(!HAS_CHROMIUM)(
    'a lead opening the coding page of a study with those old attachments in Chromium runs none of their script',
    async () => {
      const [s1, s2] = [pairs[0]!, pairs[1]!];
      const membersBefore = (await lead.api<{ members: unknown[] }>('GET', `${base}/members`)).body.members;
      let browser: Browser | undefined;
      try {
        browser = await launchBrowser();
        const { context, page } = await signIn(browser, app.url, lead.email, 'correct horse battery');
        const seen: string[] = [];
        context.on('request', (r) => seen.push(`${r.method()} ${new URL(r.url()).pathname}`));
        // Both old attachments are the study's full texts; the coding page of the HTML one is where
        // the attack ran.
        await page.goto(`/reviews/${slug}/extraction/${s2.studyId}`);
        await page.waitForSelector('form.coding-form');
        await page.waitForSelector('text=Download the full text');
        // An older client, or any page of the app, framing the file or loading it as a script:
        // the file downloads instead of rendering, and the browser refuses it as a script.
        const fileUrl = `/api${base}/extraction/studies/${s2.studyId}/fulltext`;
        const scriptUrl = `/api${base}/extraction/studies/${s1.studyId}/fulltext`;
        const [download, scriptEvent] = await Promise.all([
          page.waitForEvent('download', { timeout: 10_000 }),
          page.evaluate(`new Promise((resolve) => {
            const frame = document.createElement('iframe');
            frame.src = ${JSON.stringify(fileUrl)};
            document.body.appendChild(frame);
            const s = document.createElement('script');
            s.src = ${JSON.stringify(scriptUrl)};
            s.onload = () => resolve('load');
            s.onerror = () => resolve('error');
            document.body.appendChild(s);
          })`),
        ]);
        expect(download.suggestedFilename()).toBe('paper.html');
        expect(scriptEvent).toBe('error');
        expect(seen).toContain(`GET ${scriptUrl}`);
        // Nothing from the attachments ran: no marker request, no member added.
        expect(seen.filter((s) => s.includes('/api/attack-ran') || s.startsWith('POST'))).toEqual([]);
        await context.close();
      } finally {
        await browser?.close();
      }
      const members = (await lead.api<{ members: { email?: string }[] }>('GET', `${base}/members`)).body
        .members;
      expect(members).toEqual(membersBefore);
      expect(JSON.stringify(members)).not.toContain(outsider.email);
    },
  );
});
