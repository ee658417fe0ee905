import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '@winnow/core';
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
