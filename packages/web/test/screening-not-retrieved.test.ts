import { tinyPdf } from '@winnow/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';
import { seedRecords, waitUntil } from './screening-fixtures.ts';

interface Next {
  record: { recordId: string };
  upcoming: { recordId: string }[];
  progress: {
    mine: { done: number; total: number; waiting: number };
    stage: { records: number; settled: number };
  };
}

/**
 * "Not retrieved" on a record being assessed: the report has no full text, so no assigned reviewer
 * assesses it. Both reviewers' queues skip it, both reviewers' votes are refused, neither one's
 * progress waits for it, and a PDF attached to it is only set aside when the request says so.
 */
describe('full text: a report marked not retrieved leaves assessment for every assigned reviewer', () => {
  let app: TestApp;
  let lead: TestUser;
  let ann: TestUser;
  let bob: TestUser;
  let records: string[];
  const reports = new Map<string, string>();
  const base = '/reviews/nr-review';

  const queue = async (u: TestUser) => {
    const r = await u.api<Next | undefined>('GET', `${base}/stages/full-text/next?prefetch=10`);
    return r.body ? [r.body.record, ...r.body.upcoming].map((x) => x.recordId) : [];
  };
  const progress = async (u: TestUser) =>
    (await u.api<Next>('GET', `${base}/stages/full-text/next`)).body.progress.mine;
  const stageProgress = async (u: TestUser) =>
    (await u.api<Next>('GET', `${base}/stages/full-text/next`)).body.progress.stage;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('nr-review');
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['reviewer']);
    records = await seedRecords(app.rt.db, review.id, 3);
    const r = await lead.api<{ jobId: string }>('POST', `${base}/stages/title-abstract/route`);
    await app.rt.queue.waitFor(r.body.jobId, 20_000);
    for (const recordId of records)
      for (const u of [ann, bob])
        expect(
          (await u.api('POST', `${base}/stages/title-abstract/decisions`, { recordId, vote: 'include' }))
            .status,
        ).toBe(201);
    await waitUntil(
      async () => {
        const { rows } = await app.rt.db.query<{ id: string; recordId: string }>(
          `SELECT id, record_id AS "recordId" FROM reports WHERE review_id = $1`,
          [review.id],
        );
        for (const row of rows) reports.set(row.recordId, row.id);
        return rows.length === records.length;
      },
      20_000,
      'reports',
    );
    await lead.api('PUT', `${base}/stages/full-text/config`, { reasonsRequired: false });
    const ft = await lead.api<{ jobId: string }>('POST', `${base}/stages/full-text/route`);
    await app.rt.queue.waitFor(ft.body.jobId, 20_000);
    await waitUntil(async () => (await queue(ann)).length === 3 && (await queue(bob)).length === 3);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('asks before setting an attached PDF aside, then neither reviewer is served it or may vote on it', async () => {
    const recordId = records[0]!;
    const reportId = reports.get(recordId)!;
    const up = await ann.api('POST', `${base}/reports/${reportId}/file?fileName=trial.pdf`, tinyPdf('Trial'));
    expect(up.status).toBe(201);
    const before = { ann: await progress(ann), bob: await progress(bob) };
    const stageBefore = await stageProgress(ann);
    expect(stageBefore).toEqual({ records: 3, settled: 0 });

    const refused = await bob.api<{ error: { message: string } }>(
      'POST',
      `${base}/reports/${reportId}/not-retrieved`,
      { reason: 'Wrong paper' },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(
      'trial.pdf is attached to this report. Marking the report not retrieved sets that PDF aside, so confirm that the mark replaces it.',
    );
    // Nothing changed: the PDF is still the report's full text.
    const still = await ann.api<{ report: { state: string; sources: { kind: string }[] } }>(
      'GET',
      `${base}/reports/${reportId}`,
    );
    expect(still.body.report.state).toBe('retrieved');
    expect(still.body.report.sources.map((s) => s.kind)).toEqual(['file']);

    expect(
      (
        await bob.api('POST', `${base}/reports/${reportId}/not-retrieved`, {
          reason: 'Wrong paper; the right one is paywalled',
          confirm: true,
        })
      ).status,
    ).toBe(201);
    const report = await ann.api<{ report: { state: string; notRetrievedReason: string | null } }>(
      'GET',
      `${base}/reports/${reportId}`,
    );
    expect(report.body.report).toMatchObject({
      state: 'not-retrieved',
      notRetrievedReason: 'Wrong paper; the right one is paywalled',
    });

    for (const u of [ann, bob]) {
      expect(await queue(u)).not.toContain(recordId);
      const vote = await u.api<{ error: { message: string } }>('POST', `${base}/stages/full-text/decisions`, {
        recordId,
        vote: 'include',
      });
      expect(vote.status).toBe(409);
      expect(vote.body.error.message).toMatch(/marked not retrieved, so it cannot be assessed/);
    }
    // Nobody's progress waits for a record nobody can assess.
    expect(await progress(ann)).toEqual({ ...before.ann, total: before.ann.total - 1 });
    expect(await progress(bob)).toEqual({ ...before.bob, total: before.bob.total - 1 });
    // Nor does the stage's: the record is not retrieved, not waiting for an outcome.
    expect(await stageProgress(ann)).toEqual({ records: 2, settled: 0 });
    // The dashboard counts it as not retrieved, not as awaiting votes.
    const status = await lead.api<{ screeningFullText: Record<string, number> }>('GET', `${base}/status`);
    expect(status.body.screeningFullText).toMatchObject({
      records: 3,
      'awaiting-votes': 2,
      'not-retrieved': 1,
    });

    // A link found later brings it back to both.
    await ann.api('POST', `${base}/reports/${reportId}/url`, { url: 'https://example.org/trial' });
    for (const u of [ann, bob]) expect(await queue(u)).toContain(recordId);
    expect(await stageProgress(bob)).toEqual({ records: 3, settled: 0 });
  });

  it('a vote cast before the mark stays counted; a decided record cannot be marked not retrieved', async () => {
    const [, second, third] = records as [string, string, string];
    // Ann has assessed the second record; Bob has not yet when it is marked.
    expect(
      (await ann.api('POST', `${base}/stages/full-text/decisions`, { recordId: second, vote: 'include' }))
        .status,
    ).toBe(201);
    const annBefore = await progress(ann);
    expect(
      (
        await bob.api('POST', `${base}/reports/${reports.get(second)}/not-retrieved`, {
          reason: 'Library copy lost',
        })
      ).status,
    ).toBe(201);
    expect(await progress(ann)).toEqual(annBefore);
    expect(await queue(bob)).not.toContain(second);

    // Both assess the third: decided, its full text was read.
    for (const u of [ann, bob])
      expect(
        (await u.api('POST', `${base}/stages/full-text/decisions`, { recordId: third, vote: 'include' }))
          .status,
      ).toBe(201);
    await waitUntil(async () => {
      const { rows } = await app.rt.db.query<{ status: string }>(
        `SELECT status FROM stage_records WHERE record_id = $1 AND stage = 'full-text'`,
        [third],
      );
      return rows[0]?.status === 'advanced';
    });
    const late = await ann.api<{ error: { message: string } }>(
      'POST',
      `${base}/reports/${reports.get(third)}/not-retrieved`,
      { reason: 'Too late' },
    );
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/already decided \(included\)/);
  });
});
