import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaFlow } from '@winnow/screening';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

/** RIS written for this test: one entry per record. */
function ris(entries: { title: string; doi: string; year: number; author: string }[]): string {
  return entries
    .map(
      (e) =>
        `TY  - JOUR\r\nTI  - ${e.title}\r\nAU  - ${e.author}\r\nPY  - ${e.year}\r\nJO  - BMJ Quality & Safety\r\nDO  - ${e.doi}\r\nAB  - Abstract of ${e.title}.\r\nER  - \r\n`,
    )
    .join('\r\n');
}

const A = {
  title: 'Leadership for quality improvement in acute hospitals: a systematic review',
  doi: '10.1000/qi.1',
  year: 2020,
  author: 'Smith, Anna',
};
const B = {
  title: 'Patient involvement in improvement collaboratives: a scoping review',
  doi: '10.1000/qi.2',
  year: 2019,
  author: 'Jones, Ben',
};
const C = {
  title: 'Using data for improvement in primary care: a realist review',
  doi: '10.1000/qi.3',
  year: 2021,
  author: 'Khan, Cara',
};
const D = {
  title: 'Skills and competencies for improvement in nursing: a rapid review',
  doi: '10.1000/qi.4',
  year: 2018,
  author: 'Lee, Dan',
};
const E = {
  title: 'Improvement as an interconnected system: lessons from NHS trusts',
  doi: '10.1000/qi.5',
  year: 2022,
  author: 'Patel, Eve',
};

describe('PRISMA identification from imports through the API', () => {
  let app: TestApp;
  let lead: TestUser;
  const base = '/reviews/prisma-pipeline';

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('prisma-pipeline');
    lead = await app.user('Lead', review, ['lead']);
    const uploads: [string, string, Record<string, string>][] = [
      [
        'medline.ris',
        ris([A, B, C]),
        { source: 'MEDLINE', platform: 'Ovid', searched: '2026-10-01', reported: '3' },
      ],
      [
        'embase.ris',
        ris([{ ...A, title: A.title.toUpperCase() }, D]),
        { source: 'Embase', platform: 'Ovid', reported: '2' },
      ],
      ['nhs-website.ris', ris([E]), { source: 'NHS England website', kind: 'website' }],
    ];
    for (const [fileName, body, q] of uploads) {
      const qs = new URLSearchParams({ fileName, ...q }).toString();
      const res = await lead.api<{ jobId: string }>(
        'POST',
        `${base}/imports?${qs}`,
        new TextEncoder().encode(body),
      );
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      await app.rt.queue.waitFor(res.body.jobId, 30_000);
    }
    // A file that is no export: its import fails, and its search is reported nowhere.
    const qs = new URLSearchParams({ fileName: 'scopus.png', source: 'Scopus', reported: '7' }).toString();
    const bad = await lead.api<{ jobId: string; importId: string }>(
      'POST',
      `${base}/imports?${qs}`,
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    );
    expect(bad.status, JSON.stringify(bad.body)).toBe(202);
    await expect(app.rt.queue.waitFor(bad.body.jobId, 30_000)).rejects.toThrow(/format not recognised/);
    const failed = await lead.api<{ status: string }>('GET', `${base}/imports/${bad.body.importId}`);
    expect(failed.body.status).toBe('failed');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('counts records per source, removes the duplicate across sources, and lists searches', async () => {
    const start = Date.now();
    let flow: PrismaFlow;
    for (;;) {
      flow = (await lead.api<PrismaFlow>('GET', `${base}/prisma`)).body;
      if (flow.counts.duplicates === 1 || Date.now() - start > 30_000) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const c = flow.counts;
    expect(c.databases).toEqual([
      { name: 'MEDLINE', n: 3 },
      { name: 'Embase', n: 2 },
    ]);
    expect(c.databaseTotal).toBe(5);
    expect(c.duplicates).toBe(1);
    // Nothing screened yet: the four unique records await screening (until issue 14 they counted as
    // screened and a warning named them).
    expect(c.screened).toBe(0);
    expect(c.awaitingScreening).toBe(4);
    expect(c.other).toMatchObject({
      websites: 1,
      awaitingScreening: 1,
      sources: [{ name: 'NHS England website', n: 1 }],
    });
    expect(flow.inProgress).toBe(true);
    expect(flow.warnings).toEqual([]);

    const box = await lead.api<{ items: { title: string }[] }>('GET', `${base}/prisma/boxes/duplicates`);
    expect(box.body.items).toHaveLength(1);
    expect(box.body.items[0]!.title.toLowerCase()).toBe(A.title.toLowerCase());

    const s = await lead.api<{
      searches: {
        source: string;
        platform: string;
        recordsReported: number | null;
        recordsImported: number;
      }[];
    }>('GET', `${base}/prisma/searches`);
    expect(s.body.searches.map((x) => [x.source, x.platform, x.recordsReported, x.recordsImported])).toEqual([
      ['MEDLINE', 'Ovid', 3, 3],
      ['Embase', 'Ovid', 2, 2],
      ['NHS England website', '', null, 1],
    ]);
  }, 60_000);
});
