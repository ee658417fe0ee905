import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertLibraryRecords } from './support/library-records.ts';
import { stageStatus, waitUntil } from './screening-fixtures.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

interface Conflict {
  id: string;
  recordId: string;
  votes: { reviewerName: string; vote: string; note?: string }[];
  votesHidden: boolean;
  record: {
    abstract: string;
    authors: string[];
    journal: string | null;
    highlight: { abstract: { text: string; kind: string | null }[] };
  };
}

/** Adjudication with the whole record: the record is sent, the votes only once the adjudicator decided. */
describe('conflicts API: the whole record, votes withheld until the adjudicator decides', () => {
  let app: TestApp;
  let lead: TestUser;
  let cat: TestUser;
  let ids: string[];
  const base = '/reviews/conflicts-record';
  const NOTE = `ANN-REASONING-${Math.random().toString(36).slice(2)}`;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('conflicts-record');
    lead = await app.user('Lead', review, ['lead']);
    const ann = await app.user('Ann', review, ['reviewer']);
    const bob = await app.user('Bob', review, ['reviewer']);
    cat = await app.user('Cat', review, ['adjudicator']);
    ids = await insertLibraryRecords(app.rt.db, review.id, 'embase.ris');
    const cfg = await lead.api('PUT', `${base}/stages/title-abstract/config`, {
      highlight: { include: ['lean'], exclude: [] },
    });
    expect(cfg.status).toBe(200);
    const routed = await lead.api<{ jobId: string }>('POST', `${base}/stages/title-abstract/route`);
    await app.rt.queue.waitFor(routed.body.jobId, 20_000);
    await ann.api('POST', `${base}/stages/title-abstract/decisions`, {
      recordId: ids[0],
      vote: 'include',
      note: NOTE,
    });
    await bob.api('POST', `${base}/stages/title-abstract/decisions`, { recordId: ids[0], vote: 'exclude' });
    await waitUntil(
      async () => (await stageStatus(app.rt.db, ids[0]!, 'title-abstract')) === 'conflict',
      20_000,
      'conflict',
    );
  });
  afterAll(async () => {
    await app?.close();
  });

  it('sends an undecided adjudicator the record with highlights but no vote, note or voter', async () => {
    const res = await cat.api<{ conflicts: Conflict[] }>('GET', `${base}/conflicts?stage=title-abstract`);
    expect(res.status).toBe(200);
    const c = res.body.conflicts.find((x) => x.recordId === ids[0])!;
    expect(c.record.abstract).toBe('Lean methods.');
    expect(c.record.authors).toEqual(['Okafor, N.']);
    expect(c.record.journal).toBe('BMJ Quality & Safety');
    expect(c.record.highlight.abstract).toContainEqual({ text: 'Lean', kind: 'include' });
    expect(c.votesHidden).toBe(true);
    expect(c.votes).toEqual([]);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(NOTE);
    expect(text).not.toContain('Ann');
    expect(text).not.toContain('Bob');
  });

  it('sends a lead both votes with the note', async () => {
    const res = await lead.api<{ conflicts: Conflict[] }>('GET', `${base}/conflicts?stage=title-abstract`);
    const c = res.body.conflicts.find((x) => x.recordId === ids[0])!;
    expect(c.votes.map((v) => v.reviewerName).sort()).toEqual(['Ann', 'Bob']);
    expect(c.votes.find((v) => v.reviewerName === 'Ann')!.note).toBe(NOTE);
  });

  it('sends the adjudicator the votes once they have decided', async () => {
    const open = await cat.api<{ conflicts: Conflict[] }>('GET', `${base}/conflicts?stage=title-abstract`);
    const c = open.body.conflicts.find((x) => x.recordId === ids[0])!;
    const r = await cat.api('POST', `${base}/conflicts/${c.id}/resolve`, { vote: 'include' });
    expect(r.status).toBeLessThan(300);
    // The conflict closes when the resolution is reconciled (a queued job).
    let after: Conflict | undefined;
    await waitUntil(
      async () => {
        const done = await cat.api<{ conflicts: Conflict[] }>(
          'GET',
          `${base}/conflicts?stage=title-abstract&status=resolved`,
        );
        after = done.body.conflicts.find((x) => x.recordId === ids[0]);
        return after !== undefined;
      },
      20_000,
      'conflict resolved',
    );
    after = after!;
    expect(after.votesHidden).toBe(false);
    expect(after.votes.map((v) => v.reviewerName).sort()).toEqual(['Ann', 'Bob']);
  });
});
