import { seedIncludedReports } from '@winnow/extraction/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

/**
 * Every file the server generates from review data carries text users typed (titles, abstracts,
 * names, codes), so each goes out as an uploaded file does: CSP sandbox (a unique origin with
 * scripts off if a browser renders it), nosniff and an RFC 6266 name. They used to carry only the
 * app-wide headers.
 */
describe('generated downloads go out under the user-file headers', () => {
  const slug = 'download-review';
  let app: TestApp;
  let lead: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ workers: false });
    const review = await app.review(slug, 'Download review');
    lead = await app.user('Lead', review, ['lead']);
    await seedIncludedReports(app.rt.db, review.id, [
      { title: '<svg onload="alert(1)"> Lean in paediatrics' },
    ]);
  });
  afterAll(async () => {
    await app?.close();
  });

  const named = (kind: 'inline' | 'attachment', name: string) =>
    `${kind}; filename="${name}"; filename*=UTF-8''${name}`;

  it('sends sandbox, nosniff and the file name on each of them', async () => {
    const cases: Array<{ path: string; type: string; disposition: string }> = [
      { path: '/decisions.csv', type: 'text/csv', disposition: named('attachment', `${slug}-decisions.csv`) },
      {
        path: '/duplicates.csv',
        type: 'text/csv',
        disposition: named('attachment', `${slug}-duplicates.csv`),
      },
      {
        path: '/duplicates/pairs.csv',
        type: 'text/csv',
        disposition: named('attachment', `${slug}-duplicate-pairs.csv`),
      },
      {
        path: '/prisma?format=csv',
        type: 'text/csv',
        disposition: named('attachment', `${slug}-prisma.csv`),
      },
      {
        path: '/prisma?format=svg',
        type: 'image/svg+xml',
        disposition: named('inline', `${slug}-prisma.svg`),
      },
      {
        path: '/prisma?format=png&width=400',
        type: 'image/png',
        disposition: named('inline', `${slug}-prisma.png`),
      },
      {
        path: '/prisma/searches?format=csv',
        type: 'text/csv',
        disposition: named('attachment', `${slug}-searches.csv`),
      },
      {
        path: '/extraction/export?format=csv&table=wide',
        type: 'text/csv',
        disposition: named('attachment', `${slug}-extraction-wide.csv`),
      },
      {
        path: '/report?format=html',
        type: 'text/html',
        disposition: named('attachment', `${slug}-report.html`),
      },
    ];
    for (const c of cases) {
      const res = await app.fetch(`/api/reviews/${slug}${c.path}`, {
        headers: { authorization: `Bearer ${lead.token}` },
      });
      expect(res.status, c.path).toBe(200);
      expect(res.headers.get('content-type'), c.path).toContain(c.type);
      expect(res.headers.get('content-security-policy'), c.path).toBe('sandbox');
      expect(res.headers.get('x-content-type-options'), c.path).toBe('nosniff');
      expect(res.headers.get('content-disposition'), c.path).toBe(c.disposition);
      await res.arrayBuffer();
    }
    const codebook = await app.fetch(`/api/reviews/${slug}/extraction/codebook.json`, {
      headers: { authorization: `Bearer ${lead.token}` },
    });
    expect(codebook.status).toBe(200);
    expect(codebook.headers.get('content-security-policy')).toBe('sandbox');
    expect(codebook.headers.get('content-disposition')).toMatch(
      /^attachment; filename="[^"]+\.codebook\.json"/,
    );
  });
});
