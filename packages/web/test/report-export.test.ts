import { extractionTables, loadDefaultCodebook, flattenCodes, type ExportStudy } from '@winnow/extraction';
import { sampleCodings, sampleConsensus, seedIncludedReports } from '@winnow/extraction/testing';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seriousAxeViolations } from './support/axe.ts';
import { HAS_CHROMIUM, launchBrowser } from './support/browser.ts';
import { runWinnow } from './support/cli.ts';
import { seedRecords } from './screening-fixtures.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

const SLUG = 'report-export';
const R = `/reviews/${SLUG}/extraction`;

/** Text of each w:tc in each w:tbl of word/document.xml, row by row. */
function wordTables(xml: string): string[][][] {
  return [...xml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((t) =>
    [...t[1]!.matchAll(/<w:tr[ >]([\s\S]*?)<\/w:tr>/g)].map((r) =>
      [...r[1]!.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c) =>
        [...c[1]!.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((x) => decode(x[1]!)).join(''),
      ),
    ),
  );
}
const decode = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** Paragraphs with their style id and text. */
function paragraphs(xml: string): Array<{ style: string | null; text: string; numbered: boolean }> {
  return [...xml.matchAll(/<w:p>([\s\S]*?)<\/w:p>/g)].map((p) => ({
    style: /<w:pStyle w:val="([^"]+)"/.exec(p[1]!)?.[1] ?? null,
    numbered: p[1]!.includes('<w:numPr>'),
    text: [...p[1]!.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((x) => decode(x[1]!)).join(''),
  }));
}

describe('the review as a report (DOCX and HTML)', () => {
  let app: TestApp;
  let lead: TestUser;
  let ann: TestUser;
  let bob: TestUser;
  const ids: Record<string, string> = {};
  let studies: Array<{ id: string; number: number; citation: string; reportIds: string[] }>;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review(SLUG);
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['reviewer']);
    await seedIncludedReports(app.rt.db, review.id, [
      {
        title: 'Lean in paediatrics',
        authors: [{ family: 'Alpha', given: 'Anna' }],
        year: 2019,
        journal: 'BMJ Qual Saf',
      },
      { title: '<script>alert(1)</script>Blog & "more"', authors: [{ family: 'Beta' }] },
      { title: 'EBCD at end of life', authors: [{ family: 'Gamma', given: 'G' }], year: 2016 },
    ]);
    const assign = await lead.api<{ jobId: string }>('POST', `${R}/assign`);
    for (let i = 0; i < 200; i++) {
      const j = await lead.api<{ job: { state: string } }>(
        'GET',
        `/reviews/${SLUG}/jobs/${assign.body.jobId}`,
      );
      if (j.body.job?.state === 'completed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    studies = (await lead.api<{ studies: typeof studies }>('GET', `${R}/studies`)).body.studies;
    ['S1', 'S2', 'S3'].forEach((k, i) => (ids[k] = studies[i]!.id));
    const coders: Record<string, TestUser> = { ann, bob };
    for (const c of sampleCodings)
      expect(
        (
          await coders[c.coderId]!.api('PUT', `${R}/studies/${ids[c.studyId]}/coding`, {
            values: c.values,
            submit: true,
          })
        ).status,
      ).toBe(200);
    for (const c of sampleConsensus()) {
      const resolutions = Object.fromEntries(c.resolvedFields.map((k) => [k, c.values[k]]));
      expect(
        (await lead.api('POST', `${R}/studies/${ids[c.studyId]}/consensus`, { resolutions })).status,
      ).toBe(201);
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  async function download(query: string, user = lead): Promise<Response> {
    return app.fetch(`/api/reviews/${SLUG}/report?${query}`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
  }

  it('is for leads only and names a wrong part', async () => {
    expect((await download('format=html', ann)).status).toBe(403);
    const bad = await download('parts=flow,appendix');
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Unknown report part appendix');
  });

  it('writes a DOCX with heading-styled themes, Word tables matching the profile export, the diagram and every reference', async () => {
    const res = await download('format=docx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`${SLUG}-report.docx`);
    const zip = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const xml = strFromU8(zip['word/document.xml']!);
    // The embedded diagram is a PNG in the package.
    const media = Object.keys(zip).filter((k) => /^word\/media\/.+\.png$/.test(k));
    expect(media).toHaveLength(1);
    expect([...zip[media[0]!]!.slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    expect(xml).toContain('<w:drawing>');

    const paras = paragraphs(xml);
    const headings = (style: string) => paras.filter((p) => p.style === style).map((p) => p.text);
    expect(headings('Heading1')).toEqual([
      'Flow of records',
      'Methods',
      'Profile of the included studies',
      'Evidence by theme',
      'References',
      'Appendix: reports excluded at full text',
    ]);
    // One Heading2 per framework code of the codebook.
    const book = loadDefaultCodebook();
    const themes = book.fields
      .filter((f) => f.type === 'code_tree')
      .flatMap((f) => (f.type === 'code_tree' ? flattenCodes(f.codes).filter((c) => c.depth === 0) : []))
      .map((c) => c.label);
    expect(themes.length).toBeGreaterThan(0);
    expect(headings('Heading2')).toEqual(themes);
    // A coded quotation with its page and reference.
    expect(
      paras.some(
        (p) => p.style === 'Quote' && p.text.includes('Roles were defined') && p.text.includes('[1], p. 4'),
      ),
    ).toBe(true);

    // Profile tables: the same cells as the profile export built from the consensus records.
    const exportStudies: ExportStudy[] = studies.map((s) => ({
      studyId: s.id,
      number: s.number,
      citation: s.citation,
      reportIds: s.reportIds,
    }));
    const profiles = extractionTables(
      {
        codebook: book,
        studies: exportStudies,
        final: sampleConsensus().map((c) => ({ ...c, studyId: ids[c.studyId]!, coderId: 'consensus' })),
      },
      { tables: ['profile'] },
    );
    const tables = wordTables(xml);
    // Searches table first, then one per profile, then the excluded reports.
    expect(tables).toHaveLength(profiles.length + 2);
    profiles.forEach((p, i) => {
      const t = tables[i + 1]!;
      expect(t.slice(1).map((r) => r.slice(1))).toEqual(p.rows.map((r) => r.slice(3).map(String)));
      expect(t.slice(1).map((r) => r[0]!.trim())).toEqual(p.rows.map((r) => String(r[1])));
    });
    expect(tables[1]!.at(-1)).toEqual(['Total (studies coded)', '3 [1-3]']);

    // A numbered reference for every cited study, in study order.
    const refs = paras.filter((p) => p.numbered).map((p) => p.text);
    expect(refs).toHaveLength(3);
    expect(refs[0]).toBe('Alpha A. Lean in paediatrics. BMJ Qual Saf. 2019.');
    expect(refs[1]).toBe('Beta. <script>alert(1)</script>Blog & “more.”');
  });

  it('formats references in Harvard style and leaves out parts switched off', async () => {
    const zip = unzipSync(
      new Uint8Array(await (await download('format=docx&parts=references&style=harvard')).arrayBuffer()),
    );
    const xml = strFromU8(zip['word/document.xml']!);
    const paras = paragraphs(xml);
    expect(paras.filter((p) => p.style === 'Heading1').map((p) => p.text)).toEqual(['References']);
    expect(paras.filter((p) => p.numbered).map((p) => p.text)[0]).toBe(
      'Alpha, A. (2019) “Lean in paediatrics,” BMJ Qual Saf [Preprint].',
    );
    expect(Object.keys(zip).some((k) => k.startsWith('word/media/'))).toBe(false);
  });

  it('writes HTML with every user text escaped, and it passes axe-core', async () => {
    const res = await download('format=html');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('Beta. &#60;script&#62;alert(1)&#60;/script&#62;Blog &#38; “more.”');
    expect(html).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="[^"]+"/);
    if (!HAS_CHROMIUM) {
      console.log('skipping the axe-core check: no chromium at /usr/bin/chromium');
      return;
    }
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.setContent(html);
      expect(await seriousAxeViolations(page)).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('says in Methods that a calibration pilot was stopped below the threshold, with its kappa', async () => {
    const pilotReview = await app.review('report-pilot');
    const pilotLead = await app.user('Pilot lead', pilotReview, ['lead']);
    const reviewers = [
      await app.user('Pilot Ann', pilotReview, ['reviewer']),
      await app.user('Pilot Bob', pilotReview, ['reviewer']),
    ];
    await seedRecords(app.rt.db, pilotReview.id, 6);
    const base = '/reviews/report-pilot/stages/title-abstract';
    const routed = await pilotLead.api<{ jobId: string }>('POST', `${base}/route`);
    await app.rt.queue.waitFor(routed.body.jobId, 20_000);
    expect((await pilotLead.api('POST', `${base}/calibration`, { size: 4, threshold: 0.6 })).status).toBe(
      201,
    );
    // Ann includes every pilot record, Bob two of four: kappa 0, below 0.6; the lead stops the pilot.
    for (const [who, reviewer] of reviewers.entries())
      for (let i = 0; ; i++) {
        const next = await reviewer.api<{ record: { recordId: string } }>('GET', `${base}/next`);
        if (next.status === 204) break;
        const vote = who === 0 || i % 2 === 0 ? 'include' : 'exclude';
        const cast = await reviewer.api('POST', `${base}/decisions`, {
          recordId: next.body.record.recordId,
          vote,
        });
        expect(cast.status).toBe(201);
      }
    expect((await pilotLead.api('POST', `${base}/calibration/cancel`)).status).toBe(200);
    const res = await app.fetch('/api/reviews/report-pilot/report?format=html&parts=methods', {
      headers: { authorization: `Bearer ${pilotLead.token}` },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(
      'A calibration pilot of 4 records in title and abstract screening was stopped before agreement reached the threshold (lowest pairwise kappa 0.00 against 0.60).',
    );
  });

  it('winnow export report writes the same document from the command line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'winnow-report-'));
    const out = path.join(dir, 'r.html');
    const env = { DATABASE_URL: app.database.url!, WINNOW_QUEUE_PREFIX: `cli-report-${Date.now()}` };
    const r = await runWinnow(
      [
        'export',
        'report',
        '--review',
        SLUG,
        '--format',
        'html',
        '--parts',
        'profiles,references',
        '--out',
        out,
      ],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('Profile of the included studies');
    expect(html).not.toContain('Flow of records');
    const bad = await runWinnow(['export', 'report', '--review', SLUG, '--parts', 'nope'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--parts: Unknown report part nope');
  });
});
