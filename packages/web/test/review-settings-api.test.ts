import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '@winnow/core';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';
import { seedRecords, stageStatus, waitUntil } from './screening-fixtures.ts';

interface Conflict {
  id: string;
  recordId: string;
}

/** The lead's settings: protocol fields, members, reasons, who adjudicates (real queue and PostgreSQL). */
describe('review settings through the API', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
  });
  afterAll(async () => {
    await app?.close();
  });

  const eventsOf = async (reviewId: string, type: string) =>
    (
      await app.rt.db.query<{ data: Record<string, unknown>; actorId: string }>(
        `SELECT data, actor_id AS "actorId" FROM events WHERE review_id = $1 AND type = $2 ORDER BY id`,
        [reviewId, type],
      )
    ).rows;

  async function routed(lead: TestUser, slug: string): Promise<void> {
    const r = await lead.api<{ jobId: string }>('POST', `/reviews/${slug}/stages/title-abstract/route`);
    await app.rt.queue.waitFor(r.body.jobId, 20_000);
  }

  async function openConflict(lead: TestUser, slug: string, recordId: string): Promise<Conflict> {
    return waitUntil(
      async () => {
        const r = await lead.api<{ conflicts: Conflict[] }>('GET', `/reviews/${slug}/conflicts`);
        return r.body.conflicts.find((c) => c.recordId === recordId);
      },
      20_000,
      'the conflict',
    );
  }

  it('changes the title and protocol fields (lead only), one logged event per changed field', async () => {
    const review = await app.review('protocol-api', 'Draft title');
    const lead = await app.user('Lead', review, ['lead']);
    const ann = await app.user('Ann', review, ['reviewer']);
    const change = {
      title: 'Influences on quality improvement',
      question: 'What influences quality improvement processes in healthcare?',
      eligibility: 'Reviews of QI processes in health care, 2000-2020, in English.',
      registration: 'PROSPERO CRD42020123456',
    };
    const res = await lead.api<{ review: Review; protocol: typeof change }>(
      'PATCH',
      '/reviews/protocol-api',
      change,
    );
    expect(res.status).toBe(200);
    expect(res.body.review.title).toBe(change.title);
    expect(res.body.protocol).toMatchObject({ question: change.question, registration: change.registration });
    const got = await ann.api<{ review: Review }>('GET', '/reviews/protocol-api');
    expect(got.body.review.title).toBe(change.title);
    expect(got.body.review.settings.protocol).toEqual({
      question: change.question,
      eligibility: change.eligibility,
      registration: change.registration,
    });
    const logged = await eventsOf(review.id, 'review.updated');
    expect(logged.map((e) => e.data.field)).toEqual(['title', 'question', 'eligibility', 'registration']);
    expect(logged[0]!.data).toMatchObject({ previous: 'Draft title', value: change.title });
    expect(logged.every((e) => e.actorId === lead.id)).toBe(true);

    // Saving the same values again logs nothing; one field changed logs one event.
    await lead.api('PATCH', '/reviews/protocol-api', change);
    await lead.api('PATCH', '/reviews/protocol-api', { registration: 'PROSPERO CRD42020999999' });
    expect(await eventsOf(review.id, 'review.updated')).toHaveLength(5);

    const refused = await ann.api<{ error: { code: string } }>('PATCH', '/reviews/protocol-api', {
      title: 'Mine',
    });
    expect(refused.status).toBe(403);
    const empty = await lead.api<{ error: { location?: { field?: string } } }>(
      'PATCH',
      '/reviews/protocol-api',
      { title: '   ' },
    );
    expect(empty.status).toBe(422);
    expect(empty.body.error.location?.field).toBe('title');
    expect(await eventsOf(review.id, 'review.updated')).toHaveLength(5);
  });

  it('changes a member’s roles (lead only) and never leaves the review without a lead', async () => {
    const review = await app.review('roles-api');
    const lead = await app.user('Lead', review, ['lead']);
    const ann = await app.user('Ann', review, ['reviewer']);
    const outsider = await app.user('Out');
    const res = await lead.api<{ member: { roles: string[] }; added: string[]; removed: string[] }>(
      'PUT',
      `/reviews/roles-api/members/${ann.id}`,
      { roles: ['adjudicator', 'reviewer'] },
    );
    expect(res.status).toBe(200);
    expect(res.body.member.roles).toEqual(['adjudicator', 'reviewer']);
    expect(res.body.added).toEqual(['adjudicator']);
    expect((await ann.api('GET', '/reviews/roles-api/conflicts')).status).toBe(200);

    await lead.api('PUT', `/reviews/roles-api/members/${ann.id}`, { roles: ['viewer'] });
    expect((await ann.api('GET', '/reviews/roles-api/conflicts')).status).toBe(403);
    const listed = await lead.api<{ members: { id: string; roles: string[] }[] }>(
      'GET',
      '/reviews/roles-api/members',
    );
    expect(listed.body.members.find((m) => m.id === ann.id)?.roles).toEqual(['viewer']);
    await lead.api('PUT', `/reviews/roles-api/members/${ann.id}`, { roles: ['adjudicator'] });
    const swapped = await lead.api<{ members: { id: string; roles: string[] }[] }>(
      'GET',
      '/reviews/roles-api/members',
    );
    expect(swapped.body.members.find((m) => m.id === ann.id)?.roles).toEqual(['adjudicator']);
    const types = (await eventsOf(review.id, 'member.removed')).map((e) => e.data.role);
    expect(types.sort()).toEqual(['adjudicator', 'reviewer', 'viewer']);

    const lastLead = await lead.api<{ error: { message: string } }>(
      'PUT',
      `/reviews/roles-api/members/${lead.id}`,
      { roles: ['reviewer'] },
    );
    expect(lastLead.status).toBe(409);
    expect(lastLead.body.error.message).toMatch(/at least one lead/);
    expect((await lead.api('DELETE', `/reviews/roles-api/members/${lead.id}`)).status).toBe(409);
    expect((await ann.api('PUT', `/reviews/roles-api/members/${ann.id}`, { roles: ['lead'] })).status).toBe(
      403,
    );
    expect(
      (await lead.api('PUT', `/reviews/roles-api/members/${outsider.id}`, { roles: ['reviewer'] })).status,
    ).toBe(404);
    expect((await lead.api('PUT', `/reviews/roles-api/members/${ann.id}`, { roles: [] })).status).toBe(422);
  });

  it('removes a reviewer: their votes stay and count, their open assignments go to the others', async () => {
    const review = await app.review('remove-api');
    const lead = await app.user('Lead', review, ['lead']);
    const ann = await app.user('Ann', review, ['reviewer']);
    const bob = await app.user('Bob', review, ['reviewer']);
    const dan = await app.user('Dan', review, ['reviewer']);
    await seedRecords(app.rt.db, review.id, 9);
    await routed(lead, 'remove-api');
    const next = await ann.api<{ record: { recordId: string } }>(
      'GET',
      '/reviews/remove-api/stages/title-abstract/next',
    );
    const voted = next.body.record.recordId;
    const cast = await ann.api('POST', '/reviews/remove-api/stages/title-abstract/decisions', {
      recordId: voted,
      vote: 'include',
    });
    expect(cast.status).toBe(201);
    const openBefore = await app.rt.db.query(
      `SELECT 1 FROM assignments WHERE reviewer_id = $1 AND state = 'open'`,
      [ann.id],
    );
    expect(openBefore.rows.length).toBeGreaterThan(0);

    const removed = await lead.api<{ removed: string[]; jobIds: string[] }>(
      'DELETE',
      `/reviews/remove-api/members/${ann.id}`,
    );
    expect(removed.status).toBe(200);
    expect(removed.body.removed).toEqual(['reviewer']);
    for (const id of removed.body.jobIds) await app.rt.queue.waitFor(id, 20_000);

    expect((await ann.api('GET', '/reviews/remove-api')).status).toBe(404);
    // Ann's open work went to Bob and Dan; her vote is still in the log.
    const { rows: annOpen } = await app.rt.db.query(
      `SELECT 1 FROM assignments WHERE reviewer_id = $1 AND state = 'open'`,
      [ann.id],
    );
    expect(annOpen).toHaveLength(0);
    const { rows: short } = await app.rt.db.query(
      `SELECT s.record_id FROM stage_records s WHERE s.review_id = $1 AND s.status = 'awaiting-votes'
         AND (SELECT count(*) FROM assignments a WHERE a.record_id = s.record_id AND a.stage = s.stage
              AND (a.state = 'done' OR (a.state = 'open' AND a.reviewer_id = ANY($2::uuid[])))) < 2`,
      [review.id, [bob.id, dan.id]],
    );
    expect(short).toHaveLength(0);
    const { rows: annVotes } = await app.rt.db.query(`SELECT 1 FROM decisions WHERE reviewer_id = $1`, [
      ann.id,
    ]);
    expect(annVotes).toHaveLength(1);

    // Her include and one more include settle the record: her vote counts.
    const { rows: other } = await app.rt.db.query<{ reviewerId: string }>(
      `SELECT reviewer_id AS "reviewerId" FROM assignments WHERE record_id = $1 AND state = 'open'`,
      [voted],
    );
    expect(other).toHaveLength(1);
    const second = other[0]!.reviewerId === bob.id ? bob : dan;
    const vote2 = await second.api('POST', '/reviews/remove-api/stages/title-abstract/decisions', {
      recordId: voted,
      vote: 'include',
    });
    expect(vote2.status).toBe(201);
    await waitUntil(
      async () => (await stageStatus(app.rt.db, voted, 'title-abstract')) === 'advanced',
      20_000,
      'the record to advance on two votes, one of them from the removed reviewer',
    );
  });

  it('tells the lead how many records no reviewer is left to screen after a removal', async () => {
    const review = await app.review('short-api');
    const lead = await app.user('Lead', review, ['lead']);
    const ann = await app.user('Ann', review, ['reviewer']);
    const bob = await app.user('Bob', review, ['reviewer']);
    await seedRecords(app.rt.db, review.id, 4);
    await routed(lead, 'short-api');
    const config = '/reviews/short-api/stages/title-abstract/config';
    type Config = { shortOfReviewers?: number };
    expect((await lead.api<Config>('GET', config)).body.shortOfReviewers).toBe(0);
    // Bob votes once: that record still counts his vote after he leaves, and only Ann is left.
    const next = await bob.api<{ record: { recordId: string } }>(
      'GET',
      '/reviews/short-api/stages/title-abstract/next',
    );
    const cast = await bob.api('POST', '/reviews/short-api/stages/title-abstract/decisions', {
      recordId: next.body.record.recordId,
      vote: 'include',
    });
    expect(cast.status).toBe(201);
    const removed = await lead.api<{ jobIds: string[] }>('DELETE', `/reviews/short-api/members/${bob.id}`);
    expect(removed.status).toBe(200);
    for (const id of removed.body.jobIds) await app.rt.queue.waitFor(id, 20_000);
    // Three records need two votes and have one reviewer to give them; Bob's record has Ann's to come.
    expect((await lead.api<Config>('GET', config)).body.shortOfReviewers).toBe(3);
    // Reviewers are not told (the count is the lead's to act on).
    expect((await ann.api<Config>('GET', config)).body.shortOfReviewers).toBeUndefined();
    // A new reviewer takes them on.
    const cat = await app.user('Cat', review, ['reviewer']);
    expect(cat.id).toBeTruthy();
    expect((await lead.api<Config>('GET', config)).body.shortOfReviewers).toBe(0);
  });

  it('makes reason codes from labels; a retired reason is refused for new votes but keeps its past uses', async () => {
    const review = await app.review('retire-api');
    const lead = await app.user('Lead', review, ['lead']);
    const ann = await app.user('Ann', review, ['reviewer']);
    const bob = await app.user('Bob', review, ['reviewer']);
    const [recordId] = await seedRecords(app.rt.db, review.id, 1);
    const cfgPath = '/reviews/retire-api/stages/title-abstract/config';
    const saved = await lead.api<{ config: { exclusionReasons: { code: string; label: string }[] } }>(
      'PUT',
      cfgPath,
      { exclusionReasons: [{ label: 'Not health care' }, { label: 'Wrong design' }] },
    );
    expect(saved.status).toBe(200);
    expect(saved.body.config.exclusionReasons.map((r) => r.code)).toEqual([
      'not-health-care',
      'wrong-design',
    ]);
    await routed(lead, 'retire-api');
    for (const u of [ann, bob]) {
      const r = await u.api('POST', '/reviews/retire-api/stages/title-abstract/decisions', {
        recordId,
        vote: 'exclude',
        reasons: ['not-health-care'],
      });
      expect(r.status).toBe(201);
    }
    await waitUntil(
      async () => (await stageStatus(app.rt.db, recordId!, 'title-abstract')) === 'excluded',
      20_000,
      'exclusion',
    );

    // Deleting a reason that votes used is refused; retiring (and renaming) it is not.
    const deleted = await lead.api<{ error: { message: string; location?: { field?: string } } }>(
      'PUT',
      cfgPath,
      { exclusionReasons: [{ code: 'wrong-design', label: 'Wrong design' }] },
    );
    expect(deleted.status).toBe(422);
    expect(deleted.body.error.message).toMatch(/“Not health care” is used by past votes: retire it/);
    expect(deleted.body.error.location?.field).toBe('exclusionReasons');
    const retired = await lead.api('PUT', cfgPath, {
      exclusionReasons: [
        { code: 'wrong-design', label: 'Wrong study design' },
        { code: 'not-health-care', label: 'Not health care', retired: true },
      ],
    });
    expect(retired.status).toBe(200);
    const cfg = await ann.api<{ config: { exclusionReasons: { code: string; retired?: boolean }[] } }>(
      'GET',
      cfgPath,
    );
    expect(cfg.body.config.exclusionReasons).toContainEqual({
      code: 'not-health-care',
      label: 'Not health care',
      retired: true,
    });

    // The past outcome still counts the retired reason, and its label is still known.
    const { rows } = await app.rt.db.query<{ outcome: { reasons: string[] } }>(
      `SELECT outcome FROM stage_records WHERE record_id = $1 AND stage = 'title-abstract'`,
      [recordId],
    );
    expect(rows[0]!.outcome.reasons).toEqual(['not-health-care']);

    // A new vote may not use it.
    const undo = await ann.api('POST', '/reviews/retire-api/stages/title-abstract/decisions/undo', {
      recordId,
    });
    expect(undo.status).toBe(200);
    const again = await ann.api<{ error: { message: string; location?: { field?: string } } }>(
      'POST',
      '/reviews/retire-api/stages/title-abstract/decisions',
      { recordId, vote: 'exclude', reasons: ['not-health-care'] },
    );
    expect(again.status).toBe(422);
    expect(again.body.error.message).toMatch(/“Not health care” has been retired/);
    expect(again.body.error.location?.field).toBe('reasons');
  });

  it('lets only the chosen members resolve conflicts once the lead restricts adjudication', async () => {
    const review = await app.review('adjudicate-api');
    const lead = await app.user('Lead', review, ['lead']);
    const ann = await app.user('Ann', review, ['reviewer']);
    const bob = await app.user('Bob', review, ['reviewer']);
    const cat = await app.user('Cat', review, ['adjudicator']);
    const eve = await app.user('Eve', review, ['adjudicator']);
    const [recordId] = await seedRecords(app.rt.db, review.id, 1);
    const cfgPath = '/reviews/adjudicate-api/stages/title-abstract/config';
    const bad = await lead.api<{ error: { location?: { field?: string } } }>('PUT', cfgPath, {
      adjudication: { roles: ['reviewer'], userIds: [] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.location?.field).toMatch(/^adjudication/);
    const saved = await lead.api('PUT', cfgPath, { adjudication: { roles: [], userIds: [cat.id] } });
    expect(saved.status).toBe(200);
    await routed(lead, 'adjudicate-api');
    await ann.api('POST', '/reviews/adjudicate-api/stages/title-abstract/decisions', {
      recordId,
      vote: 'include',
    });
    await bob.api('POST', '/reviews/adjudicate-api/stages/title-abstract/decisions', {
      recordId,
      vote: 'exclude',
    });
    const conflict = await openConflict(lead, 'adjudicate-api', recordId!);
    const resolvePath = `/reviews/adjudicate-api/conflicts/${conflict.id}/resolve`;
    for (const who of [eve, lead]) {
      const refused = await who.api<{ error: { message: string } }>('POST', resolvePath, { vote: 'include' });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/chosen who resolves conflicts/);
    }
    expect(await eventsOf(review.id, 'conflict.resolution-cast')).toHaveLength(0);
    const ok = await cat.api('POST', resolvePath, { vote: 'include' });
    expect(ok.status).toBe(200);
  });

  it('names a refused number by its label on the settings page and says its limits, never in validator words', async () => {
    const review = await app.review('limits-api');
    const lead = await app.user('Lead', review, ['lead']);
    await seedRecords(app.rt.db, review.id, 3);
    const base = '/reviews/limits-api';
    type Refusal = { error: { code: string; message: string; location?: { field?: string } } };
    const cases: [string, string, object, string, string][] = [
      [
        'PUT',
        `${base}/prioritisation/title-abstract/settings`,
        { randomShare: 5 },
        'randomShare',
        'Share of records served at random must be between 0 and 1.',
      ],
      [
        'PUT',
        `${base}/prioritisation/title-abstract/settings`,
        { retrainEvery: 0 },
        'retrainEvery',
        'Retrain after this many more settled records must be a whole number between 1 and 10,000.',
      ],
      [
        'PUT',
        `${base}/prioritisation/title-abstract/settings`,
        { targetRecall: 1.5 },
        'targetRecall',
        'The recall to reach (stopping rule) must be more than 0 and at most 1.',
      ],
      [
        'PUT',
        `${base}/prioritisation/title-abstract/settings`,
        { confidence: null },
        'confidence',
        'The confidence (stopping rule) must be a number, more than 0 and less than 1.',
      ],
      [
        'POST',
        `${base}/stages/title-abstract/calibration`,
        { size: 0 },
        'size',
        'The number of pilot records must be a whole number between 2 and 500.',
      ],
      [
        'POST',
        `${base}/stages/title-abstract/calibration`,
        { threshold: 2 },
        'threshold',
        'The kappa threshold must be between -1 and 1.',
      ],
      // The stage's own settings, checked by the screening package in the form's words.
      [
        'PUT',
        `${base}/stages/title-abstract/config`,
        { criteria: 'x'.repeat(20_001) },
        'criteria',
        'Criteria: at most 20,000 characters',
      ],
      [
        'PUT',
        `${base}/stages/title-abstract/config`,
        { exclusionReasons: [{ label: '  ' }] },
        'exclusionReasons.0.label',
        'Exclusion reason 1: give the reason a name',
      ],
      [
        'PUT',
        `${base}/stages/title-abstract/config`,
        { highlight: { include: ['lean', ''], exclude: [] } },
        'highlight.include.1',
        'Include highlight terms: a term cannot be empty',
      ],
    ];
    for (const [method, path, body, field, message] of cases) {
      const r = await lead.api<Refusal>(method, path, body);
      expect(r.status, path).toBe(422);
      expect(r.body.error).toMatchObject({ code: 'VALIDATION', message, location: { field } });
    }
  });
});
