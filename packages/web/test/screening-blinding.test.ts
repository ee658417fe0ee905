import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '@winnow/core';
import type { LibraryPage } from '@winnow/screening';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';
import { seedRecords, stageStatus, waitUntil } from './screening-fixtures.ts';

/**
 * Blinding sweep: Bob has voted (with a marked note) on every record; Ann, who screens the same
 * records, has not voted yet. Every GET route of the OpenAPI document, called as Ann, must reveal
 * neither Bob's votes, nor his note, nor how many votes a record has.
 */
describe('blinding holds on every API route', () => {
  let app: TestApp;
  let review: Review;
  let ann: TestUser;
  let bob: TestUser;
  let records: string[];
  const MARK = `SECRET-${Math.random().toString(36).slice(2)}`;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    review = await app.review('blind-sweep');
    const lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['reviewer']);
    await app.user('Cat', review, ['adjudicator']);
    records = await seedRecords(app.rt.db, review.id, 4);
    const r = await lead.api<{ jobId: string }>('POST', '/reviews/blind-sweep/stages/title-abstract/route');
    await app.rt.queue.waitFor(r.body.jobId, 20_000);
    for (const recordId of records) {
      const v = await bob.api('POST', '/reviews/blind-sweep/stages/title-abstract/decisions', {
        recordId,
        vote: 'exclude',
        note: MARK,
      });
      expect(v.status).toBe(201);
    }
    await waitUntil(
      async () => (await stageStatus(app.rt.db, records[3]!, 'title-abstract')) === 'awaiting-votes',
      10_000,
      'reconcile',
    );
  });
  afterAll(async () => {
    await app?.close();
  });

  it('sweeps the OpenAPI routes as a reviewer who has not voted', async () => {
    const doc = (await (await app.fetch('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const values: Record<string, string> = {
      review: 'blind-sweep',
      stage: 'title-abstract',
      recordId: records[0]!,
      id: '00000000-0000-4000-8000-000000000000',
      reportId: '00000000-0000-4000-8000-000000000000',
      blobId: '00000000-0000-4000-8000-000000000000',
      jobId: 'none',
    };
    let called = 0;
    for (const [oaPath, ops] of Object.entries(doc.paths)) {
      if (!('get' in ops)) continue;
      const unknownParam = [...oaPath.matchAll(/\{(\w+)\}/g)].find((m) => !(m[1]! in values));
      const path = oaPath
        .replace(/^\/api/, '')
        .replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? 'x');
      if (unknownParam)
        console.warn(`blinding sweep: ${oaPath} has parameter ${unknownParam[1]} filled with "x"`);
      const res = await ann.api('GET', path);
      called++;
      const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? '');
      expect(text, `GET ${path} leaks Bob's note`).not.toContain(MARK);
      expect(text, `GET ${path} leaks a vote`).not.toMatch(/"vote":"exclude"/);
      expect(text, `GET ${path} leaks a vote count`).not.toMatch(/"voteCount":\d/);
      expect(text, `GET ${path} leaks a vote count`).not.toMatch(/votes cast/);
      expect(text, `GET ${path} leaks that a record was voted on`).not.toContain(
        `screening-reconcile-${records[0]}`,
      );
      if (text.includes(bob.id))
        expect(text, `GET ${path} pairs Bob with a vote`).not.toMatch(new RegExp(`${bob.id}[^}]*exclude`));
    }
    expect(called).toBeGreaterThan(10);
  });

  it('shows Ann her own vote only, even after she votes, while blind mode is on', async () => {
    await ann.api('POST', '/reviews/blind-sweep/stages/title-abstract/decisions', {
      recordId: records[1],
      vote: 'include',
    });
    const view = await ann.api<{ votes: { reviewerId: string }[]; myVote: { vote: string } }>(
      'GET',
      `/reviews/blind-sweep/stages/title-abstract/records/${records[1]}`,
    );
    expect(view.body.myVote.vote).toBe('include');
    expect(view.body.votes.map((v) => v.reviewerId)).toEqual([ann.id]);
    expect(JSON.stringify(view.body)).not.toContain(MARK);
  });
});

/**
 * Views that pool records (the event log, the status counts) follow the same policy: a lead who
 * screens is as blind as any reviewer, and a reviewer who has voted cannot tell from /status that
 * the other vote disagreed.
 */
describe('blinding holds on pooled views: the event log and the status counts', () => {
  let app: TestApp;
  let lead: TestUser;
  let ann: TestUser;
  let bob: TestUser;
  const slug = 'blind-pooled';
  const vote = (who: TestUser, recordId: string, v: string) =>
    who.api('POST', `/reviews/${slug}/stages/title-abstract/decisions`, { recordId, vote: v });
  const conflictCount = async (who: TestUser) =>
    (
      await who.api<{
        screeningTitleAbstract: { conflict: number; 'awaiting-votes': number; 'being-screened'?: number };
      }>('GET', `/reviews/${slug}/status`)
    ).body.screeningTitleAbstract;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review(slug);
    // The lead screens too: three reviewers, two votes per record, so each record goes to two of them.
    lead = await app.user('Lead', review, ['lead', 'reviewer']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['reviewer']);
    await seedRecords(app.rt.db, review.id, 6);
    const r = await lead.api<{ jobId: string }>('POST', `/reviews/${slug}/stages/title-abstract/route`);
    await app.rt.queue.waitFor(r.body.jobId, 20_000);
  });
  afterAll(async () => {
    await app?.close();
  });

  const assignedTo = async (a: TestUser, b: TestUser) => {
    const { rows } = await app.rt.db.query<{ recordId: string }>(
      `SELECT record_id AS "recordId" FROM assignments WHERE stage = 'title-abstract' AND state <> 'revoked'
       GROUP BY record_id HAVING bool_or(reviewer_id = $1) AND bool_or(reviewer_id = $2) ORDER BY record_id LIMIT 1`,
      [a.id, b.id],
    );
    expect(rows[0], 'a record screened by both').toBeDefined();
    return rows[0]!.recordId;
  };

  it('hides the co-reviewer’s vote from the event log of a lead who screens the record and has not voted', async () => {
    const screened = await assignedTo(lead, bob);
    const notScreened = await assignedTo(ann, bob);
    expect((await vote(bob, screened, 'exclude')).status).toBe(201);
    expect((await vote(bob, notScreened, 'exclude')).status).toBe(201);
    type LoggedEvent = { type: string; entityId: string; actorId: string | null };
    const log = async (query = '') =>
      (await lead.api<{ events: LoggedEvent[] }>('GET', `/reviews/${slug}/events${query}`)).body.events;
    const before = await log();
    expect(before.filter((e) => e.entityId === screened)).toEqual([]);
    expect(await log(`?entityId=${screened}`)).toEqual([]);
    // Records the lead does not screen are not hidden: the lead runs the review.
    expect(
      before.some((e) => e.entityId === notScreened && e.type === 'decision.cast' && e.actorId === bob.id),
    ).toBe(true);
    // Once the lead has voted, the lead sees the whole log of the record again.
    expect((await vote(lead, screened, 'include')).status).toBe(201);
    const after = (await log()).filter((e) => e.entityId === screened);
    expect(after.filter((e) => e.type === 'decision.cast').map((e) => e.actorId)).toEqual([bob.id, lead.id]);
    // Let the conflict land here, so the next test's counts do not move under it.
    await waitUntil(
      async () => (await stageStatus(app.rt.db, screened, 'title-abstract')) === 'conflict',
      10_000,
      'conflict',
    );
  });

  it('does not let a reviewer learn from /status that the other vote disagreed', async () => {
    const recordId = await assignedTo(ann, bob);
    const annBefore = await conflictCount(ann);
    expect((await vote(ann, recordId, 'include')).status).toBe(201);
    await waitUntil(
      async () => (await stageStatus(app.rt.db, recordId, 'title-abstract')) === 'conflict',
      10_000,
      'conflict',
    );
    const annAfter = await conflictCount(ann);
    expect(annAfter.conflict).toBe(annBefore.conflict);
    // The record she voted on counts as "being screened", as her Records page calls it, whatever
    // the other vote was.
    expect(annAfter['awaiting-votes']).toBe(annBefore['awaiting-votes'] - 1);
    expect(annAfter['being-screened']).toBe((annBefore['being-screened'] ?? 0) + 1);
    const library = await ann.api<LibraryPage>('GET', `/reviews/${slug}/records?stage=title-abstract`);
    expect(library.body.items.find((i) => i.recordId === recordId)!.states['title-abstract']).toBe(
      'in-progress',
    );

    // Bob voted on both conflicts and is blind on both; the lead sees both (one not screened, one voted on).
    expect((await conflictCount(bob)).conflict).toBe(0);
    expect((await conflictCount(lead)).conflict).toBe(2);
  });
});
