import { seedIncludedReports, tinyPdf } from '@winnow/extraction/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

const SLUG = 'study-links';
const R = `/reviews/${SLUG}`;

interface StudyDto {
  id: string;
  number: number;
  citation: string;
  reportIds: string[];
  reports: { id: string; recordId: string | null; title: string }[];
  progress: { assigned: number } | null;
}

/** Reports of one study (DESIGN: a study can have several reports): joined and separated by a lead. */
describe('reports of one study: join, separate, and never lose coding', () => {
  let app: TestApp;
  let lead: TestUser;
  let ann: TestUser;
  let reviewId: string;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review(SLUG);
    reviewId = review.id;
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    await seedIncludedReports(app.rt.db, review.id, [
      {
        title: 'Lean on wards: trial protocol',
        authors: [{ family: 'Alpha', given: 'A' }],
        year: 2018,
        pdf: tinyPdf('Protocol text'),
      },
      {
        title: 'Lean on wards: trial results',
        authors: [{ family: 'Alpha', given: 'A' }],
        year: 2020,
        pdf: tinyPdf('Results text'),
      },
      { title: 'Six sigma in theatres', authors: [{ family: 'Beta', given: 'B' }], year: 2019 },
    ]);
  });
  afterAll(async () => {
    await app?.close();
  });

  const studies = async () =>
    (await lead.api<{ studies: StudyDto[] }>('GET', `${R}/extraction/studies`)).body.studies;
  const counts = async () =>
    (await lead.api<{ counts: { newStudies: number; newReports: number } }>('GET', `${R}/prisma`)).body
      .counts;
  const eventTypes = async () =>
    (
      await app.rt.db.query<{ type: string }>(
        `SELECT type FROM events WHERE review_id = $1 AND type IN ('study.created', 'study.joined', 'report.linked', 'assignment.revoked') ORDER BY id`,
        [reviewId],
      )
    ).rows.map((r) => r.type);

  it('makes studies of the included reports without giving them to coders', async () => {
    expect((await studies()).length).toBe(0);
    const made = await lead.api<{ newStudies: number }>('POST', `${R}/extraction/studies`);
    expect(made.status).toBe(200);
    expect(made.body.newStudies).toBe(3);
    const all = await studies();
    expect(all.map((s) => [s.number, s.reports.length, s.progress?.assigned ?? 0])).toEqual([
      [1, 1, 0],
      [2, 1, 0],
      [3, 1, 0],
    ]);
    // Again: nothing new.
    expect((await lead.api<{ newStudies: number }>('POST', `${R}/extraction/studies`)).body.newStudies).toBe(
      0,
    );
    // A reviewer cannot.
    expect((await ann.api('POST', `${R}/extraction/studies`)).status).toBe(403);
    expect(await counts()).toMatchObject({ newStudies: 3, newReports: 3 });
  });

  it('joins the results paper to its protocol: one study of two reports, counted once in PRISMA', async () => {
    const [protocol, results, other] = await studies();
    // Only a lead joins studies; a study cannot join itself.
    expect(
      (await ann.api('POST', `${R}/extraction/studies/${results!.id}/join`, { into: protocol!.id })).status,
    ).toBe(403);
    const self = await lead.api<{ error: { message: string } }>(
      'POST',
      `${R}/extraction/studies/${results!.id}/join`,
      { into: results!.id },
    );
    expect(self.status).toBe(422);
    expect(self.body.error.message).toMatch(/another study/);
    const joined = await lead.api<{ studyId: string; reports: number }>(
      'POST',
      `${R}/extraction/studies/${results!.id}/join`,
      { into: protocol!.id },
    );
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ studyId: protocol!.id, reports: 1 });
    const all = await studies();
    expect(all.map((s) => [s.number, s.id, s.reports.map((r) => r.title)])).toEqual([
      [1, protocol!.id, ['Lean on wards: trial protocol', 'Lean on wards: trial results']],
      // Numbers follow inclusion order among the studies that remain.
      [2, other!.id, ['Six sigma in theatres']],
    ]);
    // The joined study is gone, and its page says so.
    expect((await lead.api('GET', `${R}/extraction/studies/${results!.id}`)).status).toBe(404);
    expect(await counts()).toMatchObject({ newStudies: 2, newReports: 3 });
    // Each report's file is the coding page's to show: by default the first report's.
    const file = async (query: string) =>
      (
        await lead.api<{ pages: { text: string }[] }>(
          'GET',
          `${R}/extraction/studies/${protocol!.id}/fulltext/text${query}`,
        )
      ).body.pages.map((p) => p.text.trim());
    expect(await file('')).toEqual(['Protocol text']);
    expect(await file(`?report=${all[0]!.reports[1]!.id}`)).toEqual(['Results text']);
    expect(
      (
        await lead.api(
          'GET',
          `${R}/extraction/studies/${protocol!.id}/fulltext?report=${all[1]!.reports[0]!.id}`,
        )
      ).status,
    ).toBe(404);
    expect(await eventTypes()).toEqual([
      'study.created',
      'study.created',
      'study.created',
      'report.linked',
      'study.joined',
    ]);
    // The record's history says which study its report now belongs to.
    const recordId = all[0]!.reports[1]!.recordId!;
    const page = await lead.api<{ history: { text: string }[] }>('GET', `${R}/records/${recordId}`);
    const history = page.body.history.map((h) => h.text);
    expect(history).toContain('Made a report of the study “Alpha A (2018). Lean on wards: trial protocol.”');
    // It keeps its own past, and does not take on the study's from before it joined.
    expect(history).toContain(
      'Included as a study for extraction (Alpha A (2020). Lean on wards: trial results.)',
    );
    expect(history).not.toContain(
      'Included as a study for extraction (Alpha A (2018). Lean on wards: trial protocol.)',
    );
    expect(history.filter((t) => t.includes('joined'))).toEqual([]);
  });

  it('separates a report into a study of its own, and refuses to separate a study’s only report', async () => {
    const [study] = await studies();
    const results = study!.reports[1]!;
    const sep = await lead.api<{ studyId: string; label: string }>(
      'POST',
      `${R}/reports/${results.id}/study`,
      {
        separate: true,
      },
    );
    expect(sep.status).toBe(200);
    expect(sep.body.label).toBe('Alpha A (2020). Lean on wards: trial results.');
    const all = await studies();
    expect(all.map((s) => s.reports.length)).toEqual([1, 1, 1]);
    expect(all[2]!.id).toBe(sep.body.studyId);
    const again = await lead.api<{ error: { message: string } }>('POST', `${R}/reports/${results.id}/study`, {
      separate: true,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('This report is already a study of its own');
    expect(await counts()).toMatchObject({ newStudies: 3, newReports: 3 });
  });

  it('refuses to join a study someone has coded, and leaves everything as it was', async () => {
    const settings = await lead.api('PUT', `${R}/extraction/settings`, { codersPerStudy: 1 });
    expect(settings.status).toBe(200);
    const { body } = await lead.api<{ jobId: string }>('POST', `${R}/extraction/assign`);
    for (let i = 0; i < 200; i++) {
      const r = await lead.api<{ job: { state: string } }>('GET', `${R}/jobs/${body.jobId}`);
      if (r.body.job.state === 'completed') break;
      await new Promise((res) => setTimeout(res, 50));
    }
    const before = await studies();
    expect(before.every((s) => s.progress?.assigned === 1)).toBe(true);
    const coded = before[2]!;
    const draft = await ann.api('PUT', `${R}/extraction/studies/${coded.id}/coding`, {
      values: {},
      submit: false,
    });
    expect(draft.status).toBe(200);
    const refused = await lead.api<{ error: { message: string } }>(
      'POST',
      `${R}/extraction/studies/${coded.id}/join`,
      { into: before[0]!.id },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(
      '“Alpha A (2020). Lean on wards: trial results.” has been coded by Ann, so it cannot become part of another study: that coding would belong to no study. Reports can be joined before coding starts.',
    );
    // Moving its only report elsewhere would empty it too.
    const moved = await lead.api('POST', `${R}/reports/${coded.reportIds[0]}/study`, {
      studyId: before[0]!.id,
    });
    expect(moved.status).toBe(409);
    expect(await studies()).toEqual(before);
    // An uncoded study still joins one being coded: its coder's assignment goes with it.
    const uncoded = before[1]!;
    const ok = await lead.api('POST', `${R}/extraction/studies/${uncoded.id}/join`, { into: coded.id });
    expect(ok.status).toBe(200);
    const after = await studies();
    expect(after.map((s) => s.reports.length)).toEqual([1, 2]);
    const { rows } = await app.rt.db.query(`SELECT 1 FROM coding_assignments WHERE study_id = $1`, [
      uncoded.id,
    ]);
    expect(rows).toEqual([]);
    expect((await eventTypes()).slice(-3)).toEqual(['report.linked', 'assignment.revoked', 'study.joined']);
    // Once coded, a study's reports stay together: its coding may quote either.
    const joinedIn = after[1]!.reports.find((r) => r.id === uncoded.reportIds[0])!;
    const apart = await lead.api<{ error: { message: string } }>(
      'POST',
      `${R}/reports/${joinedIn.id}/study`,
      {
        separate: true,
      },
    );
    expect(apart.status).toBe(409);
    expect(apart.body.error.message).toMatch(
      /has been coded by Ann, so its reports stay together: that coding may quote this one\. Reports can be separated before coding starts\.$/,
    );
    expect(await studies()).toEqual(after);
  });

  it('joins only studies of this review', async () => {
    const otherReview = await app.review('study-links-other');
    const otherLead = await app.user('Other lead', otherReview, ['lead']);
    await seedIncludedReports(app.rt.db, otherReview.id, [{ title: 'Elsewhere' }]);
    await otherLead.api('POST', '/reviews/study-links-other/extraction/studies');
    const [elsewhere] = (
      await otherLead.api<{ studies: StudyDto[] }>('GET', '/reviews/study-links-other/extraction/studies')
    ).body.studies;
    const [mine] = await studies();
    const into = await lead.api<{ error: { message: string } }>(
      'POST',
      `${R}/extraction/studies/${mine!.id}/join`,
      { into: elsewhere!.id },
    );
    expect(into.status).toBe(404);
    expect(into.body.error.message).toBe('The study to join it to is not in this review');
    expect(
      (await lead.api('POST', `${R}/extraction/studies/${elsewhere!.id}/join`, { into: mine!.id })).status,
    ).toBe(404);
    expect((await studies()).length).toBe(2);
  });
});
