import {
  extractionTables,
  loadDefaultCodebook,
  neutraliseCell,
  type Cell,
  type Coding,
  type ExportStudy,
  type Table,
} from '@winnow/extraction';
import {
  parseCsv,
  readXlsx,
  sampleCodings,
  sampleConsensus,
  seedIncludedReports,
} from '@winnow/extraction/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runWinnow } from './support/cli.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

const R = '/reviews/extraction-api/extraction';

interface StudyDto {
  id: string;
  number: number;
  citation: string;
  reportIds: string[];
}

describe('extraction through the API: dual coding, consensus and exports', () => {
  let app: TestApp;
  let lead: TestUser;
  let ann: TestUser;
  let bob: TestUser;
  let viewer: TestUser;
  let studies: StudyDto[];
  /** Sample study key (S1..S3) -> real study id. */
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('extraction-api');
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['reviewer']);
    viewer = await app.user('Viewer', review, ['viewer']);
    await seedIncludedReports(app.rt.db, review.id, [
      {
        title: 'Lean in paediatrics',
        authors: [{ family: 'Alpha', given: 'A' }],
        year: 2019,
        journal: 'BMJ Qual Saf',
      },
      // A formula in the data: every export must defuse it.
      { title: '=HYPERLINK("http://evil","Beta")' },
      { title: 'EBCD at end of life', authors: [{ family: 'Gamma', given: 'G' }], year: 2016 },
    ]);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function waitForJob(jobId: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const r = await lead.api<{ job: { state: string; error: string | null } }>(
        'GET',
        `/reviews/extraction-api/jobs/${jobId}`,
      );
      if (r.body.job?.state === 'completed') return;
      if (r.body.job?.state === 'failed') throw new Error(`job failed: ${r.body.job.error}`);
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('job did not finish');
  }

  it('queues included studies to two coders each', async () => {
    const r = await lead.api<{ jobId: string }>('POST', `${R}/assign`);
    expect(r.status).toBe(202);
    await waitForJob(r.body.jobId);
    const all = await lead.api<{ studies: Array<StudyDto & { progress: { assigned: number } }> }>(
      'GET',
      `${R}/studies`,
    );
    expect(all.body.studies.map((s) => [s.number, s.progress.assigned])).toEqual([
      [1, 2],
      [2, 2],
      [3, 2],
    ]);
    studies = all.body.studies;
    ['S1', 'S2', 'S3'].forEach((k, i) => (ids[k] = studies[i]!.id));
    expect(studies[0]!.citation).toBe('Alpha A (2019). Lean in paediatrics. BMJ Qual Saf.');
    // Running it again assigns nothing new.
    const again = await lead.api<{ jobId: string }>('POST', `${R}/assign`);
    await waitForJob(again.body.jobId);
    const mine = await ann.api<{ studies: Array<{ id: string; myStatus: string }> }>('GET', `${R}/studies`);
    expect(mine.body.studies.map((s) => s.myStatus)).toEqual(['not-started', 'not-started', 'not-started']);
  });

  it('lets each coder code blind and refuses invalid or unassigned codings', async () => {
    const coders: Record<string, TestUser> = { ann, bob };
    for (const c of sampleCodings.filter((x) => x.coderId === 'ann')) {
      const r = await ann.api('PUT', `${R}/studies/${ids[c.studyId]}/coding`, {
        values: c.values,
        submit: true,
      });
      expect(r.status).toBe(200);
    }
    // Bob sees his own (empty) coding, never Ann's.
    const bobView = await bob.api<{ coding: unknown; study: StudyDto }>('GET', `${R}/studies/${ids.S1}`);
    expect(bobView.status).toBe(200);
    expect(bobView.body.coding).toBeNull();
    expect((await bob.api('GET', `${R}/studies/${ids.S1}/consensus`)).status).toBe(403);
    expect((await bob.api('GET', `${R}/export?format=json`)).status).toBe(403);
    expect((await viewer.api('GET', `${R}/studies/${ids.S1}`)).status).toBe(404);

    const bad = await bob.api<{
      error: {
        code: string;
        message: string;
        location?: { field?: string };
        problems?: { field: string; message: string }[];
      };
    }>('PUT', `${R}/studies/${ids.S1}/coding`, {
      values: { geography: { type: 'single_choice', option: 'mars' } },
      submit: true,
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain('Geographical context of the evidence: unknown option "mars"');
    expect(bad.body.error.message).toContain('Publication type: this field is required');
    // Named for the coder, by field label: never the study's or the coder's id.
    expect(bad.body.error.message).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(['publication_type', 'geography']).toContain(bad.body.error.location?.field);
    // Every field at fault is listed, so the coding form marks each one.
    expect(bad.body.error.problems).toEqual(
      expect.arrayContaining([
        { field: 'geography', message: 'unknown option "mars"' },
        { field: 'publication_type', message: 'this field is required' },
      ]),
    );

    for (const c of sampleCodings.filter((x) => x.coderId === 'bob')) {
      const draft = await coders.bob!.api('PUT', `${R}/studies/${ids[c.studyId]}/coding`, {
        values: c.values,
      });
      expect(draft.status).toBe(200);
      const r = await bob.api('PUT', `${R}/studies/${ids[c.studyId]}/coding`, {
        values: c.values,
        submit: true,
      });
      expect(r.status).toBe(200);
    }
  });

  it('reports per-field agreement', async () => {
    const r = await lead.api<{
      fields: Array<{ field: string; kappa: number | null; exactMatch: number; studies: number }>;
    }>('GET', `${R}/agreement`);
    const f = new Map(r.body.fields.map((x) => [x.field, x]));
    expect(f.get('publication_type')).toMatchObject({ studies: 3, kappa: 1 });
    expect(f.get('geography')?.kappa).toBeCloseTo(4 / 7);
    expect(f.get('improvement_approach')?.kappa).toBeCloseTo(318 / 375);
    expect(f.get('quality_notes')?.exactMatch).toBe(1);
  });

  it('finalises consensus only when every difference is resolved', async () => {
    const draft = await lead.api<{ draft: { differences: Array<{ field: string }> } }>(
      'GET',
      `${R}/studies/${ids.S2}/consensus`,
    );
    expect(draft.body.draft.differences.map((d) => d.field)).toEqual(['geography', 'influences']);
    const early = await lead.api<{ error: { message: string } }>('POST', `${R}/studies/${ids.S2}/consensus`, {
      resolutions: {},
    });
    expect(early.status).toBe(422);
    expect(early.body.error.message).toContain(
      'Geographical context of the evidence; Influences on improvement processes',
    );
    for (const c of sampleConsensus()) {
      const resolutions = Object.fromEntries(c.resolvedFields.map((k) => [k, c.values[k]]));
      const r = await lead.api('POST', `${R}/studies/${ids[c.studyId]}/consensus`, { resolutions });
      expect(r.status).toBe(201);
    }
    const status = await lead.api<{ extraction: Record<string, number> }>(
      'GET',
      '/reviews/extraction-api/status',
    );
    expect(status.body.extraction).toEqual({
      studies: 3,
      assignments: 6,
      codingsSubmitted: 6,
      consensusFinalised: 3,
      emergentCodesPending: 0,
    });
  });

  function expectedTables(): Table[] {
    const book = loadDefaultCodebook();
    const names: Record<string, string> = { ann: 'Ann', bob: 'Bob' };
    const exportStudies: ExportStudy[] = studies.map((s) => ({
      studyId: s.id,
      number: s.number,
      citation: s.citation,
      reportIds: s.reportIds,
    }));
    const remap = (c: Pick<Coding, 'studyId' | 'coderId' | 'codebookVersion' | 'values'>, coder: string) => ({
      ...c,
      studyId: ids[c.studyId]!,
      coderId: coder,
    });
    return extractionTables({
      codebook: book,
      versions: [book],
      studies: exportStudies,
      final: sampleConsensus().map((c) => remap({ ...c, coderId: '' }, 'consensus (Lead)')),
      codings: sampleCodings.map((c) => remap(c, names[c.coderId]!)),
    });
  }

  const asText = (v: Cell): string => (v === null ? '' : String(neutraliseCell(v)));

  it('exports the wide, long and profile tables as CSV, cell by cell', async () => {
    const expected = expectedTables();
    for (const [table, name] of [
      ['wide', 'wide'],
      ['long', 'long'],
    ] as const) {
      const res = await app.fetch(`/api${R}/export?format=csv&table=${table}`, {
        headers: { authorization: `Bearer ${lead.token}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
      const rows = parseCsv(await res.text());
      const want = expected.find((t) => t.name === name)!;
      expect(rows[0]).toEqual(want.columns);
      expect(rows.slice(1)).toEqual(want.rows.map((r) => r.map(asText)));
    }
    const wide = parseCsv(
      await (
        await app.fetch(`/api${R}/export?format=csv&table=wide`, {
          headers: { authorization: `Bearer ${lead.token}` },
        })
      ).text(),
    );
    const col = (k: string) => wide[0]!.indexOf(k);
    expect(wide[2]![col('citation')]).toBe(`'=HYPERLINK("http://evil","Beta").`);
    expect(wide[1]![col('improvement_approach:six_sigma')]).toBe('1');
    expect(wide[2]![col('geography')]).toBe('Single country, England only');

    const profile = await app.fetch(`/api${R}/export?format=csv&table=profile&field=publication_type`, {
      headers: { authorization: `Bearer ${lead.token}` },
    });
    const prows = parseCsv(await profile.text());
    const row = (k: string) => prows.find((r) => r[0] === k)!;
    expect(row('academic')[3]).toBe('2 [1, 3]');
    expect(row('grey.other.blog')[3]).toBe('1 [2]');
    expect(prows.at(-1)).toEqual(['', 'Total (studies coded)', '0', '3 [1-3]']);
  });

  it('exports XLSX that reads back with the same cells, strings and numbers only', async () => {
    const res = await app.fetch(`/api${R}/export?format=xlsx`, {
      headers: { authorization: `Bearer ${lead.token}` },
    });
    expect(res.status).toBe(200);
    const sheets = await readXlsx(await res.arrayBuffer());
    const expected = expectedTables();
    expect([...sheets.keys()]).toEqual(expected.map((t) => t.name.slice(0, 31)));
    for (const t of expected) {
      const sheet = sheets.get(t.name.slice(0, 31))!;
      expect(sheet.formulas).toBe(0);
      expect(sheet.otherTypes).toBe(0);
      expect(sheet.rows[0]).toEqual(t.columns);
      // Cell by cell: the same strings (neutralised) and numbers as the tables built from the codings.
      expect(sheet.rows.slice(1)).toEqual(
        t.rows.map((r) => r.map((v) => (v === null || v === '' ? null : neutraliseCell(v)))),
      );
    }
    expect(sheets.get('profile geography')!.rows[0]).toEqual([
      'category_key',
      'category',
      'level',
      'Academic journal publication',
      'Grey literature publication',
      'total',
    ]);
  });

  it('exports the same tables from the CLI (winnow export extraction)', async () => {
    const env = { DATABASE_URL: app.database.url!, WINNOW_QUEUE_PREFIX: `cli-extraction-${Date.now()}` };
    const dir = await mkdtemp(path.join(tmpdir(), 'winnow-extraction-'));
    const out = path.join(dir, 'extraction.xlsx');
    const run = await runWinnow(
      ['export', 'extraction', '--review', 'extraction-api', '--format', 'xlsx', '--out', out, '--json'],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.json).toMatchObject({
      wrote: out,
      tables: expect.arrayContaining([{ name: 'wide', rows: 3, columns: 116 }]),
    });
    const sheets = await readXlsx(await readFile(out));
    const wide = expectedTables().find((t) => t.name === 'wide')!;
    expect(sheets.get('wide')!.rows.slice(1)).toEqual(
      wide.rows.map((r) => r.map((v) => (v === null || v === '' ? null : neutraliseCell(v)))),
    );
    const csv = await runWinnow(
      [
        'export',
        'extraction',
        '--review',
        'extraction-api',
        '--format',
        'csv',
        '--table',
        'profile',
        '--field',
        'geography',
      ],
      env,
    );
    expect(csv.code, csv.stderr).toBe(0);
    const rows = parseCsv(csv.stdout);
    expect(rows[0]).toEqual([
      'category_key',
      'category',
      'level',
      'Academic journal publication',
      'Grey literature publication',
      'total',
    ]);
    expect(rows.find((r) => r[0] === 'single_country.england')!.slice(3)).toEqual(['0', '1 [2]', '1 [2]']);
  });

  it('takes an emergent code from proposal to the next codebook version', async () => {
    const proposed = await ann.api<{ code: { id: string; key: string } }>('POST', `${R}/emergent-codes`, {
      fieldKey: 'influences',
      parentKey: 'data',
      label: 'Data burden on staff',
      studyId: ids.S1,
    });
    expect(proposed.status).toBe(201);
    expect((await bob.api<{ codes: unknown[] }>('GET', `${R}/emergent-codes`)).body.codes).toEqual([]);
    expect(
      (await ann.api('POST', `${R}/emergent-codes/decide`, { approve: [proposed.body.code.id] })).status,
    ).toBe(403);
    const decided = await lead.api<{ version: number }>('POST', `${R}/emergent-codes/decide`, {
      approve: [proposed.body.code.id],
    });
    expect(decided.body.version).toBe(2);
    const book = await ann.api<{
      codebook: {
        version: number;
        fields: Array<{
          key: string;
          codes?: Array<{ key: string; children?: Array<{ key: string; inductive?: boolean }> }>;
        }>;
      };
    }>('GET', `${R}/codebook`);
    const data = book.body.codebook.fields
      .find((f) => f.key === 'influences')!
      .codes!.find((c) => c.key === 'data')!;
    expect(data.children!.at(-1)).toMatchObject({ key: proposed.body.code.key, inductive: true });
    const migrated = await lead.api<{ migrated: number; losses: unknown[] }>('POST', `${R}/codings/migrate`);
    expect(migrated.body).toMatchObject({ migrated: 6, losses: [] });
  });

  it('imports a codebook JSON with path-named errors', async () => {
    const bad = await lead.api<{ error: { message: string } }>('POST', `${R}/codebook`, {
      id: 'influences-on-improvement',
      name: 'x',
      version: 1,
      fields: [{ key: 'a', label: 'A', type: 'single_choice', options: [] }],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain('fields[0].options');
  });
});
