import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '@winnow/core';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';
import { seedRecords, stageStatus, waitUntil } from './screening-fixtures.ts';
import { markRecords } from '@winnow/screening';
import { sampleCodings, seedIncludedReports } from '@winnow/extraction/testing';
import { insertDuplicatePair, searchForImports } from './support/record-page-setup.ts';

type Box = { key: string; words: string; reasonHidden: boolean } | { hidden: true } | null;
interface Boxes {
  record: Box;
  report: Box;
  canOpenBoxes: boolean;
}

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
  let cat: TestUser;
  let records: string[];
  const MARK = `BOBNOTE-${Math.random().toString(36).slice(2)}`;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    review = await app.review('record-page');
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['reviewer']);
    cat = await app.user('Cat', review, ['adjudicator']);
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
    // The outcome stays hidden (a conflict), and the page says why without asking her to vote again.
    expect(after.body.stages[0]!.status).toBe('hidden-after-vote');
  });

  it('calls a maybe a maybe, as the records list does, not a disagreement', async () => {
    for (const [who, vote] of [
      [ann, 'maybe'],
      [bob, 'include'],
    ] as const)
      expect(
        (
          await who.api('POST', '/reviews/record-page/stages/title-abstract/decisions', {
            recordId: records[1],
            vote,
          })
        ).status,
      ).toBe(201);
    await waitUntil(
      async () => (await stageStatus(app.rt.db, records[1]!, 'title-abstract')) === 'conflict',
      10_000,
      'reconcile',
    );
    const res = await lead.api<Page>('GET', `/reviews/record-page/records/${records[1]}`);
    expect(res.body.stages[0]).toMatchObject({ stage: 'title-abstract', status: 'maybe' });
    // The conflict of the first record is a disagreement, and says so.
    const first = await lead.api<Page>('GET', `/reviews/record-page/records/${records[0]}`);
    expect(first.body.stages[0]).toMatchObject({ stage: 'title-abstract', status: 'conflict' });
  });

  it('tells an adjudicator the votes wait for her decision, not for a vote she never casts', async () => {
    const res = await cat.api<Page>('GET', `/reviews/record-page/records/${records[0]}`);
    expect(res.body.stages[0]!.status).toBe('hidden-until-decided');
    expect(JSON.stringify(res.body)).not.toContain(MARK);
  });

  it('puts an outcome above the vote that made it (both written in one transaction, at one time)', async () => {
    const res = await lead.api<Page>('GET', `/reviews/record-page/records/${records[0]}`);
    const kinds = res.body.history.map((h) => `${h.kind}:${h.who ?? ''}`);
    expect(kinds.indexOf('outcome:')).toBeGreaterThanOrEqual(0);
    expect(kinds.indexOf('outcome:')).toBeLessThan(kinds.indexOf('vote:Ann'));
    expect(kinds.indexOf('vote:Ann')).toBeLessThan(kinds.indexOf('vote:Bob'));
  });

  it('keeps notes as events, shown to every member with author and time', async () => {
    const bad = await ann.api<{ error: { message: string } }>(
      'POST',
      `/reviews/record-page/records/${records[1]}/notes`,
      { text: '   ' },
    );
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toBe('The note is empty: write something first.');
    // One limit, said the same way whether the body check or the note's own check meets it.
    for (const text of ['x'.repeat(5_001), 'x'.repeat(20_001)]) {
      const long = await ann.api<{ error: { message: string } }>(
        'POST',
        `/reviews/record-page/records/${records[1]}/notes`,
        { text },
      );
      expect(long.status).toBe(422);
      expect(long.body.error.message).toBe('The note must be at most 5000 characters long.');
    }
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

/** The page's PRISMA box, codings and splits: the same SQL on both engines. */
describe.each(['postgres', 'pglite'] as const)('record page: box, codings and splits on %s', (engine) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ engine, workers: true });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('names the PRISMA box a record counts in, hidden from a screener who may not see its outcome', async () => {
    const box = await app.review('record-box');
    const boxLead = await app.user('Box lead', box, ['lead']);
    const amy = await app.user('Amy', box, ['reviewer']);
    const ben = await app.user('Ben', box, ['reviewer']);
    const vic = await app.user('Vic', box, ['viewer']);
    const [excluded, automated] = await seedRecords(app.rt.db, box.id, 2);
    await searchForImports(app.rt.db, box.id);
    const r = await boxLead.api<{ jobId: string }>('POST', '/reviews/record-box/stages/title-abstract/route');
    await app.rt.queue.waitFor(r.body.jobId, 20_000);
    for (const who of [amy, ben])
      expect(
        (
          await who.api('POST', '/reviews/record-box/stages/title-abstract/decisions', {
            recordId: excluded,
            vote: 'exclude',
          })
        ).status,
      ).toBe(201);
    await waitUntil(
      async () => (await stageStatus(app.rt.db, excluded!, 'title-abstract')) === 'excluded',
      20_000,
      'excluded',
    );
    // A tool excludes the other record while Amy and Ben still have it to screen.
    await markRecords(app.rt.db, {
      reviewId: box.id,
      recordIds: [automated!],
      mark: 'excluded-by-automation',
      actorId: boxLead.id,
    });
    const get = (who: TestUser, id: string) =>
      who.api<Boxes>('GET', `/reviews/record-box/records/${id}/prisma-box`);

    const lead1 = await get(boxLead, excluded!);
    expect(lead1.status).toBe(200);
    expect(lead1.body).toEqual({
      record: {
        key: 'records_excluded',
        words: 'Records excluded at title/abstract screening',
        reasonHidden: false,
      },
      report: null,
      canOpenBoxes: true,
    });
    // Amy voted and the record is settled: she may see how it ended, but not open PRISMA's lists.
    const amy1 = await get(amy, excluded!);
    expect(amy1.body.record).toMatchObject({ key: 'records_excluded' });
    expect(amy1.body.canOpenBoxes).toBe(false);

    expect((await get(boxLead, automated!)).body.record).toMatchObject({ key: 'records_excluded' });
    // Amy still screens it and has not voted: the box would tell her it is excluded.
    for (const who of [amy, vic]) {
      const hidden = await get(who, automated!);
      expect(hidden.status).toBe(200);
      expect(hidden.body.record).toEqual({ hidden: true });
      expect(JSON.stringify(hidden.body)).not.toContain('excluded');
    }
    expect((await get(vic, excluded!)).body.record).toMatchObject({ key: 'records_excluded' });
    const elsewhere = await app.review('record-box-elsewhere');
    const [foreign] = await seedRecords(app.rt.db, elsewhere.id, 1);
    expect((await get(boxLead, foreign!)).status).toBe(404);
  });

  it('shows codings of the record’s study to leads, and to a coder only their own', async () => {
    const ex = await app.review('record-codings');
    const exLead = await app.user('Coding lead', ex, ['lead']);
    const cora = await app.user('Cora', ex, ['reviewer']);
    const dan = await app.user('Dan', ex, ['reviewer']);
    const [reportId] = await seedIncludedReports(app.rt.db, ex.id, [{ title: 'Lean in paediatrics' }]);
    const { rows } = await app.rt.db.query<{ recordId: string }>(
      `SELECT record_id AS "recordId" FROM reports WHERE id = $1`,
      [reportId],
    );
    const recordId = rows[0]!.recordId;
    const assigned = await exLead.api<{ jobId: string }>('POST', '/reviews/record-codings/extraction/assign');
    await app.rt.queue.waitFor(assigned.body.jobId, 20_000);
    const { rows: st } = await app.rt.db.query<{ id: string }>(
      `SELECT id FROM studies WHERE review_id = $1`,
      [ex.id],
    );
    const studyId = st[0]!.id;
    const values = (coder: string) =>
      sampleCodings.find((c) => c.studyId === 'S1' && c.coderId === coder)!.values;
    for (const [who, as] of [
      [cora, 'ann'],
      [dan, 'bob'],
    ] as const)
      expect(
        (
          await who.api('PUT', `/reviews/record-codings/extraction/studies/${studyId}/coding`, {
            values: values(as),
            submit: true,
          })
        ).status,
      ).toBe(200);
    const history = async (who: TestUser) =>
      (await who.api<Page>('GET', `/reviews/record-codings/records/${recordId}`)).body.history.filter(
        (h) => h.kind.startsWith('coding.') || h.kind === 'assignment.created' || h.kind === 'study.created',
      );

    const all = await history(exLead);
    expect(
      all
        .filter((h) => h.kind === 'coding.submitted')
        .map((h) => h.who)
        .sort(),
    ).toEqual(['Cora', 'Dan']);
    expect(all.map((h) => h.text)).toEqual(
      expect.arrayContaining(['Given to Cora to code', 'Given to Dan to code', 'Coding submitted']),
    );
    expect(all.some((h) => h.kind === 'study.created')).toBe(true);

    // Coders are blind to each other: Cora's history holds her coding only, and not who else codes.
    const mine = await history(cora);
    expect(mine.filter((h) => h.kind === 'coding.submitted').map((h) => h.who)).toEqual(['Cora']);
    expect(JSON.stringify(mine)).not.toContain('Dan');
    const page = await cora.api<Page>('GET', `/reviews/record-codings/records/${recordId}`);
    expect(JSON.stringify(page.body)).not.toContain('Dan');
  });

  it('lets only a lead split a duplicate out of its group', async () => {
    const dup = await app.review('record-split');
    const dupLead = await app.user('Split lead', dup, ['lead']);
    const eve = await app.user('Eve', dup, ['reviewer']);
    const [a, b] = await insertDuplicatePair(app.rt.db, dup.id);
    const run = await dupLead.api<{ jobId: string }>('POST', '/reviews/record-split/duplicates/run');
    await app.rt.queue.waitFor(run.body.jobId, 20_000);
    const page = await eve.api<{ group: { id: string } | null; sources: { recordId: string }[] }>(
      'GET',
      `/reviews/record-split/records/${a}`,
    );
    expect(page.body.group).not.toBeNull();
    expect(page.body.sources.map((s) => s.recordId).sort()).toEqual([a, b].sort());
    const groupId = page.body.group!.id;
    const refused = await eve.api('POST', `/reviews/record-split/duplicates/groups/${groupId}/split`, {
      parts: [[b], [a]],
    });
    expect(refused.status).toBe(403);
    const events = async () =>
      (
        await app.rt.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM events WHERE review_id = $1 AND type = 'dedup.split' AND data->>'manual' = 'true'`,
          [dup.id],
        )
      ).rows[0]!.n;
    expect(await events()).toBe(0);
    const split = await dupLead.api<{ jobId: string }>(
      'POST',
      `/reviews/record-split/duplicates/groups/${groupId}/split`,
      { parts: [[b], [a]] },
    );
    expect(split.status).toBe(202);
    await app.rt.queue.waitFor(split.body.jobId, 20_000);
    expect(await events()).toBe(1);
    const after = await dupLead.api<Page & { group: unknown }>('GET', `/reviews/record-split/records/${a}`);
    expect(after.body.group).toBeNull();
    expect(after.body.sources.map((s) => s.recordId)).toEqual([a]);
    expect(after.body.history.map((h) => h.text)).toContain('Split out of a duplicate group of 2 records');
  });
});
