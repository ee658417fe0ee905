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
  let dee: TestUser;
  let ann: TestUser;
  let bob: TestUser;
  let ids: string[];
  const base = '/reviews/conflicts-record';
  const NOTE = `ANN-REASONING-${Math.random().toString(36).slice(2)}`;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('conflicts-record');
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['reviewer']);
    cat = await app.user('Cat', review, ['adjudicator']);
    dee = await app.user('Dee', review, ['adjudicator']);
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

  it('sends one decided conflict with both votes to the adjudicator who decided it, and to no other', async () => {
    const { rows } = await app.rt.db.query<{ id: string }>(`SELECT id FROM conflicts WHERE record_id = $1`, [
      ids[0],
    ]);
    const id = rows[0]!.id;
    const mine = await cat.api<{ conflict: Conflict & { reportId: string | null; status: string } }>(
      'GET',
      `${base}/conflicts/${id}`,
    );
    expect(mine.status).toBe(200);
    expect(mine.body.conflict.votesHidden).toBe(false);
    expect(mine.body.conflict.votes.map((v) => [v.reviewerName, v.vote]).sort()).toEqual([
      ['Ann', 'include'],
      ['Bob', 'exclude'],
    ]);
    expect(mine.body.conflict.votes.find((v) => v.reviewerName === 'Ann')!.note).toBe(NOTE);
    // Resolved as include: the record's report is now sought, and the card can show its full text.
    const { rows: rep } = await app.rt.db.query<{ id: string }>(
      `SELECT id FROM reports WHERE record_id = $1`,
      [ids[0]],
    );
    expect(mine.body.conflict.reportId).toBe(rep[0]!.id);

    // Dee adjudicates too but did not decide this one: neither the card nor the resolved list tells her the votes.
    const other = await dee.api<{ conflict: Conflict }>('GET', `${base}/conflicts/${id}`);
    expect(other.status).toBe(200);
    expect(other.body.conflict.votesHidden).toBe(true);
    expect(other.body.conflict.votes).toEqual([]);
    const list = await dee.api('GET', `${base}/conflicts?stage=title-abstract&status=resolved`);
    for (const text of [JSON.stringify(other.body), JSON.stringify(list.body)]) {
      expect(text).not.toContain(NOTE);
      expect(text).not.toContain('Ann');
    }
    expect((await ann.api('GET', `${base}/conflicts/${id}`)).status).toBe(403);
    expect((await cat.api('GET', `${base}/conflicts/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await cat.api('GET', `${base}/conflicts/not-an-id`)).status).toBe(404);
  });

  it('names a voter who has left the review as a former member, to those who may see the votes, and to no other', async () => {
    const { rows } = await app.rt.db.query<{ id: string }>(`SELECT id FROM conflicts WHERE record_id = $1`, [
      ids[0],
    ]);
    const id = rows[0]!.id;
    expect((await lead.api('DELETE', `${base}/members/${bob.id}`)).status).toBe(200);
    for (const who of [lead, cat]) {
      const res = await who.api<{ conflict: Conflict }>('GET', `${base}/conflicts/${id}`);
      expect(res.body.conflict.votes.map((v) => [v.reviewerName, v.vote]).sort()).toEqual([
        ['Ann', 'include'],
        ['Bob (former member)', 'exclude'],
      ]);
    }
    const other = await dee.api<{ conflict: Conflict }>('GET', `${base}/conflicts/${id}`);
    expect(other.body.conflict.votes).toEqual([]);
    expect(JSON.stringify(other.body)).not.toContain('Bob');
  });
});
