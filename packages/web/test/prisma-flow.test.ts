import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '@winnow/core';
import type { PrismaCounts, PrismaFlow } from '@winnow/screening';
import {
  boxForViewer,
  derivePrismaFlow,
  loadPrismaInput,
  recordBoxKeys,
  recordStageVisibility,
} from '@winnow/screening';
import { ENGINES } from '@winnow/core/testing';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

/**
 * Builds a review through the public API only (imports, dedup, votes, stopping rule, retrieval, study
 * links, previous version), then checks every PRISMA 2020 box and invariant.
 *
 *   MEDLINE  m1..m6  m6 removed by automation before screening
 *   Embase   e1..e3  e1 duplicate of m1 (found by the dedup job), e3 removed (retracted)
 *   CT.gov   c1      register
 *   website  w1      other methods
 *   citation k1      other methods: a second report of m1's study
 */
const TOPICS: Record<string, [string, string]> = {
  m1: ['Leadership for quality improvement in acute hospitals: a systematic review', 'Smith, Anna'],
  m2: ['Patient and public involvement in improvement collaboratives', 'Jones, Ben'],
  m3: ['Statistical process control charts in primary care audits', 'Khan, Cara'],
  m4: ['Lean methods in pathology laboratories: an evaluation', 'Lee, Dan'],
  m5: ['Teamwork climate and safety culture surveys in intensive care', 'Patel, Eve'],
  m6: ['Randomised trial of aspirin dosing in stroke prevention', 'Olsen, Finn'],
  e1: ['Leadership for quality improvement in acute hospitals: a systematic review', 'Smith, Anna'],
  e2: ['Digital dashboards for ward performance monitoring', 'Garcia, Gil'],
  e3: ['Retracted: plan-do-study-act cycles in maternity services', 'Hughes, Hana'],
  c1: ['Registered trial of a breakthrough series collaborative for sepsis', 'Ito, Ivo'],
  w1: ['NHS guide to building improvement capability across systems', 'NHS England'],
  k1: ['Leadership development programme outcomes: a follow-up report', 'Smith, Anna'],
};

function risOf(labels: string[]): Uint8Array {
  const text = labels
    .map((l) => {
      const [title, author] = TOPICS[l]!;
      const doi = l === 'e1' ? '10.5555/prisma.m1' : `10.5555/prisma.${l}`;
      return `TY  - JOUR\nTI  - ${title}\nAU  - ${author}\nPY  - 2020\nJO  - Journal of Improvement Studies\nDO  - ${doi}\nAB  - ${title}; an abstract written for this test.\nER  - \n`;
    })
    .join('\n');
  return new TextEncoder().encode(text);
}

async function seed(app: TestApp, lead: TestUser, base: string): Promise<Map<string, string>> {
  const sources: [string, string, string[], number | null][] = [
    ['MEDLINE', 'database', ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'], 6],
    ['Embase', 'database', ['e1', 'e2', 'e3'], 3],
    ['ClinicalTrials.gov', 'register', ['c1'], null],
    ['NHS England website', 'website', ['w1'], null],
    ['Citation searching', 'citation', ['k1'], null],
  ];
  for (const [name, kind, labels, reported] of sources) {
    const q = new URLSearchParams({
      fileName: `${name}.ris`,
      source: name,
      kind,
      platform: 'Ovid',
      searched: '2026-10-01',
    });
    if (reported !== null) q.set('reported', String(reported));
    const res = await lead.api<{ jobId: string }>('POST', `${base}/imports?${q.toString()}`, risOf(labels));
    if (res.status !== 202) throw new Error(`import ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    await app.rt.queue.waitFor(res.body.jobId, 30_000);
  }
  // The import job queues dedup; wait for the one true duplicate (e1 of m1) to be merged.
  const titleToLabels = new Map<string, string[]>();
  for (const [label, [title]] of Object.entries(TOPICS))
    titleToLabels.set(title.toLowerCase(), [...(titleToLabels.get(title.toLowerCase()) ?? []), label]);
  const ids = new Map<string, string>();
  const start = Date.now();
  for (;;) {
    const dups = await lead.api<{ count: number }>('GET', `${base}/prisma/boxes/duplicates`);
    if (dups.status === 200 && dups.body.count === 1) break;
    if (Date.now() - start > 30_000) throw new Error('dedup did not merge e1 into m1');
    await new Promise((r) => setTimeout(r, 200));
  }
  for (const key of ['database_results', 'register_results', 'website_results', 'citations_results']) {
    const box = await lead.api<{ items: { id: string; title: string }[] }>(
      'GET',
      `${base}/prisma/boxes/${key}`,
    );
    for (const it of box.body.items) {
      const labels = titleToLabels.get(it.title.toLowerCase()) ?? [];
      // m1 and e1 share a title: the one in the duplicates box is e1.
      const free = labels.filter((l) => !ids.has(l));
      if (free.length > 0) ids.set(free[0]!, it.id);
    }
  }
  const dup = await lead.api<{ items: { id: string }[] }>('GET', `${base}/prisma/boxes/duplicates`);
  const e1 = dup.body.items[0]!.id;
  if (ids.get('m1') === e1) {
    ids.set('m1', ids.get('e1')!);
  }
  ids.set('e1', e1);
  if (ids.size !== Object.keys(TOPICS).length)
    throw new Error(`mapped ${ids.size} records: ${[...ids.keys()].join(',')}`);
  return ids;
}

async function waitFor<T>(fn: () => Promise<T | false | undefined>, what: string, ms = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(ENGINES)('PRISMA 2020 flow built through the API (%s)', (engine) => {
  let app: TestApp;
  let review: Review;
  let lead: TestUser;
  let r1: TestUser;
  let r2: TestUser;
  let viewer: TestUser;
  let id: Map<string, string>;
  let base: string;
  const report = new Map<string, string>();

  const flow = async (): Promise<PrismaFlow> => {
    const res = await lead.api<PrismaFlow>('GET', `${base}/prisma`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const stageStatus = async (label: string, stage: string): Promise<string | undefined> => {
    const { rows } = await app.rt.db.query<{ status: string }>(
      `SELECT status FROM stage_records WHERE record_id = $1 AND stage = $2`,
      [id.get(label), stage],
    );
    return rows[0]?.status;
  };
  const vote = async (stage: string, label: string, v: 'include' | 'exclude', reasons?: string[]) => {
    for (const who of [r1, r2]) {
      const res = await who.api('POST', `${base}/stages/${stage}/decisions`, {
        recordId: id.get(label),
        vote: v,
        reasons,
      });
      if (res.status !== 201)
        throw new Error(`vote ${label} by ${who.name}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  };

  /**
   * The record page's box (GET …/prisma-box, placed from the record's own facts) equals, for every
   * record of the review and every viewer, the box the whole review's flow gives it under the same
   * blinding rules.
   */
  const expectEveryRecordBoxAsWholeFlow = async (): Promise<Set<string>> => {
    const whole = derivePrismaFlow(await loadPrismaInput(app.rt.db, review.id));
    const { rows } = await app.rt.db.query<{ id: string; reportId: string | null }>(
      `SELECT r.id, (SELECT p.id::text FROM reports p WHERE p.record_id = r.id) AS "reportId"
         FROM records r WHERE r.review_id = $1`,
      [review.id],
    );
    expect(rows).toHaveLength(id.size);
    const seen = new Set<string>();
    const viewers = [
      [lead, ['lead']],
      [r1, ['reviewer']],
      [viewer, ['viewer']],
    ] as const;
    for (const [who, roles] of viewers)
      for (const r of rows) {
        const keys = recordBoxKeys(whole.ids, r.id, r.reportId);
        const sight = await recordStageVisibility(
          app.rt.db,
          { reviewId: review.id, userId: who.id, roles },
          r.id,
        );
        const expected = {
          record: boxForViewer(keys.record, (s) => sight.get(s)?.vis),
          report: boxForViewer(keys.report, (s) => sight.get(s)?.vis),
        };
        const got = await who.api<typeof expected>('GET', `${base}/records/${r.id}/prisma-box`);
        expect(got.status).toBe(200);
        expect({ record: got.body.record, report: got.body.report }, `${who.name} on ${r.id}`).toEqual(
          expected,
        );
        for (const k of [keys.record, keys.report]) if (k) seen.add(k);
        if (JSON.stringify(expected).includes('"hidden":true')) seen.add('(hidden)');
      }
    return seen;
  };

  beforeAll(async () => {
    app = await startTestApp({ engine, workers: true });
    review = await app.review('prisma-flow');
    base = `/reviews/${review.slug}`;
    lead = await app.user('Lead', review, ['lead']);
    r1 = await app.user('Ada', review, ['reviewer']);
    r2 = await app.user('Ben', review, ['reviewer']);
    viewer = await app.user('Vera', review, ['viewer']);
    id = await seed(app, lead, base);

    // Before screening: one record marked ineligible by an automation tool, one retracted.
    expect(
      (
        await lead.api('POST', `${base}/prisma/record-marks`, {
          recordIds: [id.get('m6')],
          mark: 'removed-by-automation',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await lead.api('POST', `${base}/prisma/record-marks`, {
          recordIds: [id.get('e3')],
          mark: 'removed-other',
          reason: 'retracted',
        })
      ).status,
    ).toBe(200);

    // Title/abstract: two votes each; full text: both reviewers too, with the team's reasons.
    for (const [stage, cfg] of [
      ['title-abstract', { votesNeeded: 2 }],
      [
        'full-text',
        { votesNeeded: 2, exclusionReasons: [{ code: 'wrong-population', label: 'Wrong population' }] },
      ],
    ] as const) {
      const res = await lead.api<{ jobId: string }>('PUT', `${base}/stages/${stage}/config`, cfg);
      expect(res.status).toBe(200);
      await app.rt.queue.waitFor(res.body.jobId, 20_000);
    }
    const routed = await lead.api<{ jobId: string }>('POST', `${base}/stages/title-abstract/route`);
    await app.rt.queue.waitFor(routed.body.jobId, 20_000);
    for (const label of ['m1', 'm2', 'm3', 'c1', 'w1', 'k1']) await vote('title-abstract', label, 'include');
    for (const label of ['m4', 'e2']) await vote('title-abstract', label, 'exclude');
    await waitFor(
      async () =>
        (await Promise.all(['m1', 'm4', 'k1', 'e2'].map((l) => stageStatus(l, 'title-abstract')))).every(
          (s) => s === 'advanced' || s === 'excluded',
        ),
      'title/abstract reconciliation',
    );
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  // Until issue 14 the record still to screen counted as screened and was named in a warning.
  it('counts the record still to screen as awaiting while screening is under way', async () => {
    const f = await flow();
    expect(f.counts.screened).toBe(6);
    expect(f.counts.awaitingScreening).toBe(1);
    expect(f.ids['records_awaiting']).toEqual([id.get('m5')]);
    expect(f.counts.dbr).toMatchObject({ sought: 4, awaitingRetrieval: 4, assessed: 0 });
    expect(f.inProgress).toBe(true);
    expect(f.warnings).toEqual([]);
    expect([...(await expectEveryRecordBoxAsWholeFlow())].sort()).toEqual(
      expect.arrayContaining(['records_awaiting', 'duplicates', 'excluded_automatic', 'excluded_other']),
    );
  });

  it('counts every box once screening, retrieval and assessment are done', async () => {
    // The stopping rule (forced) excludes what nobody screened: m5, and the removed m6 and e3, which stay in their box.
    const stop = await lead.api('POST', `${base}/prioritisation/title-abstract/stop`, { force: true });
    expect(stop.status).toBe(200);
    const sought = await waitFor(async () => {
      const f = await flow();
      return f.counts.dbr.sought === 4 && f.counts.other?.sought === 2 && f;
    }, 'reports sought');
    const { rows } = await app.rt.db.query<{ id: string; recordId: string }>(
      `SELECT id, record_id AS "recordId" FROM reports WHERE review_id = $1`,
      [review.id],
    );
    for (const [label, recordId] of id) {
      const r = rows.find((x) => x.recordId === recordId);
      if (r) report.set(label, r.id);
    }
    expect(new Set(sought.ids['dbr_sought_reports'])).toEqual(
      new Set(['m1', 'm2', 'm3', 'c1'].map((l) => report.get(l))),
    );

    // Full text: one report not retrieved, the rest found online.
    expect(
      (
        await r1.api('POST', `${base}/reports/${report.get('m3')}/not-retrieved`, {
          reason: 'not held by any library',
        })
      ).status,
    ).toBe(201);
    for (const label of ['m1', 'm2', 'c1', 'w1', 'k1'])
      expect(
        (
          await r1.api('POST', `${base}/reports/${report.get(label)}/url`, {
            url: `https://example.org/${label}.pdf`,
          })
        ).status,
      ).toBe(201);
    const ft = await lead.api<{ jobId: string }>('POST', `${base}/stages/full-text/route`);
    await app.rt.queue.waitFor(ft.body.jobId, 20_000);
    for (const label of ['m1', 'c1', 'w1', 'k1']) await vote('full-text', label, 'include');
    await vote('full-text', 'm2', 'exclude', ['wrong-population']);
    // Two reports of one study (the citation search found a second paper of m1's study).
    const s1 = await lead.api<{ studyId: string }>('POST', `${base}/reports/${report.get('m1')}/study`, {
      label: 'Smith 2020',
    });
    await lead.api('POST', `${base}/reports/${report.get('k1')}/study`, { studyId: s1.body.studyId });
    await lead.api('POST', `${base}/reports/${report.get('c1')}/study`, { label: 'Trial 2021' });
    await lead.api('POST', `${base}/reports/${report.get('w1')}/study`, { label: 'NHS 2022' });
    // An updated review.
    expect(
      (await lead.api('PUT', `${base}/prisma/previous`, { previous: { studies: 5, reports: 7 } })).status,
    ).toBe(200);

    const f = await waitFor(async () => {
      const x = await flow();
      return x.counts.newReports === 4 && x.counts.dbr.excluded.length === 1 && x;
    }, 'full-text reconciliation');
    const expected: PrismaCounts = {
      previous: { studies: 5, reports: 7 },
      databases: [
        { name: 'MEDLINE', n: 6 },
        { name: 'Embase', n: 3 },
      ],
      registers: [{ name: 'ClinicalTrials.gov', n: 1 }],
      databaseTotal: 9,
      registerTotal: 1,
      duplicates: 1,
      removedByAutomation: 1,
      removedOther: 1,
      screened: 7,
      awaitingScreening: 0,
      recordsExcluded: 3,
      excludedByAutomation: 1,
      dbr: {
        sought: 4,
        notRetrieved: 1,
        assessed: 3,
        excluded: [{ name: 'Wrong population', n: 1 }],
        awaitingRetrieval: 0,
        awaitingAssessment: 0,
      },
      other: {
        sought: 2,
        notRetrieved: 0,
        assessed: 2,
        excluded: [],
        awaitingRetrieval: 0,
        awaitingAssessment: 0,
        awaitingScreening: 0,
        websites: 1,
        organisations: 0,
        citations: 1,
        duplicates: 0,
        screenedOut: 0,
        sources: [
          { name: 'NHS England website', n: 1 },
          { name: 'Citation searching', n: 1 },
        ],
      },
      newStudies: 3,
      newReports: 4,
      totalStudies: 8,
      totalReports: 11,
    };
    expect(f.counts).toEqual(expected);
    expect(f.inProgress).toBe(false);
    expect(f.warnings).toEqual([]);
    expect(f.ids['duplicates']).toEqual([id.get('e1')]);
    expect(f.ids['excluded_automatic']).toEqual([id.get('m6')]);
    expect(f.ids['records_excluded_automation']).toEqual([id.get('m5')]);
    expect(f.ids['dbr_notretrieved_reports']).toEqual([report.get('m3')]);
    expect(f.ids['new_studies']).toHaveLength(3);
    expect(f.ids['new_studies']).toContain(s1.body.studyId);
    expect(f.ids['new_reports']).toHaveLength(4);
    // Every box a record or report can end in, each placed as the whole flow places it.
    // Other-methods records are listed by their search; a viewer may not see how screening went.
    expect([...(await expectEveryRecordBoxAsWholeFlow())].sort()).toEqual([
      '(hidden)',
      'citations_results:net',
      'dbr_excluded:Wrong population',
      'dbr_included',
      'dbr_notretrieved_reports',
      'duplicates',
      'excluded_automatic',
      'excluded_other',
      'other_included',
      'records_excluded',
      'records_included',
      'website_results:net',
    ]);
  }, 120_000);

  it('lists what a box counts and keeps the diagram from reviewers', async () => {
    const box = await viewer.api<{ count: number; items: { id: string; kind: string; title: string }[] }>(
      'GET',
      `${base}/prisma/boxes/${encodeURIComponent('dbr_excluded:Wrong population')}`,
    );
    expect(box.status).toBe(200);
    // With the record whose page tells the report's history.
    expect(box.body.items).toEqual([
      { id: report.get('m2'), kind: 'report', title: TOPICS.m2![0], recordId: id.get('m2') },
    ]);
    expect((await r1.api('GET', `${base}/prisma`)).status).toBe(403);
    expect((await lead.api('GET', `${base}/prisma/boxes/no_such_box`)).status).toBe(404);
  });

  it('exports SVG with linked boxes, PNG, and a template CSV that round-trips through the checker', async () => {
    const svg = await lead.api<string>('GET', `${base}/prisma?format=svg`);
    expect(svg.body).toContain('role="group"');
    expect(svg.body).toContain(`href="/reviews/${review.slug}/prisma/box/records_screened"`);
    expect(svg.body).toContain('Records screened (n\u00a0=\u00a07)');
    const png = await app.fetch(`/api${base}/prisma?format=png&width=900`, {
      headers: { authorization: `Bearer ${lead.token}` },
    });
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer()).readUInt32BE(16)).toBe(900);

    const csv = await lead.api<string>('GET', `${base}/prisma?format=csv`);
    const line = (key: string) => csv.body.split('\n').find((l) => l.startsWith(`${key},`));
    expect(line('database_specific_results')).toMatch(/,"MEDLINE, 6; Embase, 3"$/);
    expect(line('total_studies')).toMatch(/,8$/);
    const checked = await lead.api<{ counts: PrismaCounts; warnings: unknown[] }>(
      'POST',
      `${base}/prisma/template-check`,
      csv.body,
    );
    expect(checked.status).toBe(200);
    expect(checked.body.warnings).toEqual([]);
    expect(checked.body.counts.dbr).toEqual((await flow()).counts.dbr);
    const bad = await lead.api<{ error: { code: string; message: string } }>(
      'POST',
      `${base}/prisma/template-check`,
      csv.body.replace(/\nduplicates,([^\n]*),1\n/, '\nduplicates,$1,one\n'),
    );
    expect(bad.status).toBe(422);
    // The counts of a version done outside Winnow become the previous version of this update.
    const prev = await lead.api('POST', `${base}/prisma/template-check?asPrevious=1`, csv.body);
    expect(prev.status).toBe(200);
    expect((await flow()).counts.previous).toEqual({ studies: 8, reports: 11 });
    expect((await viewer.api('POST', `${base}/prisma/template-check?asPrevious=1`, csv.body)).status).toBe(
      403,
    );
    await lead.api('PUT', `${base}/prisma/previous`, { previous: { studies: 5, reports: 7 } });
    expect(bad.body.error.message).toContain('row 14, column n: duplicates: "one" is not a whole number');
  });

  it('gives the PRISMA-S search summary', async () => {
    const res = await viewer.api<{
      searches: { source: string; recordsReported: number | null; recordsImported: number }[];
    }>('GET', `${base}/prisma/searches`);
    expect(res.body.searches.map((s) => [s.source, s.recordsReported, s.recordsImported])).toEqual([
      ['MEDLINE', 6, 6],
      ['Embase', 3, 3],
      ['ClinicalTrials.gov', null, 1],
      ['NHS England website', null, 1],
      ['Citation searching', null, 1],
    ]);
    const csv = await viewer.api<string>('GET', `${base}/prisma/searches?format=csv`);
    expect(csv.body.split('\n')[0]).toBe(
      'Source,Kind,Platform,Date searched,Search strategy,Limits,Records reported,Records imported',
    );
  });
});
