import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '@winnow/core';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';
import { seedRecords, stageStatus, waitUntil } from './screening-fixtures.ts';

interface Page {
  id: string;
  data: { title: string };
  sources: { recordId: string; fileName: string; raw: string }[];
  stages: { stage: string; status: string }[];
  history: { kind: string; who: string | null; text: string; note: string | null }[];
  notes: { who: string | null; text: string }[];
}

/** The record page API: fields, sources, history under blinding, notes as events. */
describe('record page', () => {
  let app: TestApp;
  let review: Review;
  let lead: TestUser;
  let ann: TestUser;
  let bob: TestUser;
  let records: string[];
  const MARK = `BOBNOTE-${Math.random().toString(36).slice(2)}`;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    review = await app.review('record-page');
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['reviewer']);
    records = await seedRecords(app.rt.db, review.id, 2);
    await lead.api('PUT', '/reviews/record-page/stages/title-abstract/config', {
      exclusionReasons: [{ code: 'setting', label: 'Not a healthcare setting' }],
    });
    const r = await lead.api<{ jobId: string }>('POST', '/reviews/record-page/stages/title-abstract/route');
    await app.rt.queue.waitFor(r.body.jobId, 20_000);
    const v = await bob.api('POST', '/reviews/record-page/stages/title-abstract/decisions', {
      recordId: records[0],
      vote: 'exclude',
      reasons: ['setting'],
      note: MARK,
    });
    expect(v.status).toBe(201);
    await waitUntil(
      async () => (await stageStatus(app.rt.db, records[0]!, 'title-abstract')) === 'awaiting-votes',
      10_000,
      'reconcile',
    );
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows the lead every vote with its note, newest first, and the record with its source', async () => {
    const res = await lead.api<Page>('GET', `/reviews/record-page/records/${records[0]}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(records[0]);
    expect(res.body.sources.map((s) => s.recordId)).toContain(records[0]);
    expect(res.body.sources[0]!.fileName).toBe('fixture.ris');
    const vote = res.body.history.find((h) => h.kind === 'vote');
    expect(vote).toMatchObject({ who: 'Bob', note: MARK });
    // Reasons in the words the stage gives them, never their codes.
    expect(vote!.text).toBe('Vote: Exclude: Not a healthcare setting');
    expect(res.body.stages[0]).toMatchObject({ stage: 'title-abstract', status: 'awaiting-votes' });
  });

  it("hides Bob's vote from Ann, who screens the record and has not voted, until blinding allows", async () => {
    const res = await ann.api<Page>('GET', `/reviews/record-page/records/${records[0]}`);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(MARK);
    expect(res.body.history.filter((h) => h.kind === 'vote')).toHaveLength(0);
    expect(res.body.stages[0]!.status).toBe('hidden');
    // After her own vote she sees it, and still not Bob's (blind mode: own vote only).
    await ann.api('POST', '/reviews/record-page/stages/title-abstract/decisions', {
      recordId: records[0],
      vote: 'include',
    });
    const after = await ann.api<Page>('GET', `/reviews/record-page/records/${records[0]}`);
    const votes = after.body.history.filter((h) => h.kind === 'vote');
    expect(votes.map((v) => v.who)).toEqual(['Ann']);
    expect(JSON.stringify(after.body)).not.toContain(MARK);
  });

  it('keeps notes as events, shown to every member with author and time', async () => {
    const bad = await ann.api<{ error: { message: string } }>(
      'POST',
      `/reviews/record-page/records/${records[1]}/notes`,
      { text: '   ' },
    );
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('note');
    const ok = await ann.api('POST', `/reviews/record-page/records/${records[1]}/notes`, {
      text: 'Conference abstract of the 2019 trial',
    });
    expect(ok.status).toBe(201);
    const { rows } = await app.rt.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE type = 'record.noted' AND entity_id = $1`,
      [records[1]],
    );
    expect(rows[0]!.n).toBe(1);
    const seen = await bob.api<Page>('GET', `/reviews/record-page/records/${records[1]}`);
    expect(seen.body.notes).toEqual([
      expect.objectContaining({ who: 'Ann', text: 'Conference abstract of the 2019 trial' }),
    ]);
    expect(seen.body.history[0]).toMatchObject({ kind: 'record.noted', who: 'Ann' });
  });

  it("answers 404 for another review's record and refuses a note on it", async () => {
    const other = await app.review('record-page-other');
    const [foreign] = await seedRecords(app.rt.db, other.id, 1);
    expect((await lead.api('GET', `/reviews/record-page/records/${foreign}`)).status).toBe(404);
    expect(
      (await lead.api('POST', `/reviews/record-page/records/${foreign}/notes`, { text: 'x' })).status,
    ).toBe(404);
  });
});
