import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRecords, stageStatus } from './screening-fixtures.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

const SLUG = 'conflict-change';
const base = `/reviews/${SLUG}`;

/** An adjudicator changes a decision: the record follows, in and out of full text, until full text begins. */
describe('changing a conflict’s decision', () => {
  let app: TestApp;
  let ann: TestUser;
  let bob: TestUser;
  let cat: TestUser;
  let lead: TestUser;
  let conflicts: { id: string; recordId: string }[];

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review(SLUG, 'Decisions changed');
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['reviewer']);
    cat = await app.user('Cat', review, ['adjudicator']);
    await lead.api('PUT', `${base}/stages/title-abstract/config`, {
      exclusionReasons: [{ code: 'setting', label: 'Not a healthcare setting' }],
    });
    const ids = await seedRecords(app.rt.db, review.id, 2);
    const routed = await lead.api<{ jobId: string }>('POST', `${base}/stages/title-abstract/route`);
    await app.rt.queue.waitFor(routed.body.jobId, 20_000);
    for (const recordId of ids) {
      await ann.api('POST', `${base}/stages/title-abstract/decisions`, { recordId, vote: 'include' });
      await bob.api('POST', `${base}/stages/title-abstract/decisions`, { recordId, vote: 'exclude' });
    }
    const list = await cat.api<{ conflicts: { id: string; recordId: string }[] }>(
      'GET',
      `${base}/conflicts?stage=title-abstract`,
    );
    conflicts = list.body.conflicts;
    expect(conflicts).toHaveLength(2);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  const resolve = async (id: string, vote: 'include' | 'exclude') => {
    const r = await cat.api<{ jobId: string }>('POST', `${base}/conflicts/${id}/resolve`, { vote });
    expect(r.status).toBe(200);
    await app.rt.queue.waitFor(r.body.jobId, 20_000);
  };
  const change = (id: string, body: Record<string, unknown>, who = cat) =>
    who.api<{ outcome: { status: string }; error: { message: string } }>(
      'POST',
      `${base}/conflicts/${id}/change`,
      body,
    );
  const inFullText = async (recordId: string) => {
    const { rows } = await app.rt.db.query<{ what: string }>(
      `SELECT 'stage' AS what FROM stage_records WHERE record_id = $1 AND stage = 'full-text'
       UNION ALL SELECT 'report' FROM reports WHERE record_id = $1`,
      [recordId],
    );
    return rows.map((r) => r.what).sort();
  };

  it('refuses a change to an open conflict, and to anyone who may not adjudicate', async () => {
    const [c] = conflicts as [{ id: string; recordId: string }];
    const open = await change(c.id, { vote: 'exclude' });
    expect(open.status).toBe(409);
    expect(open.body.error.message).toBe(
      'This conflict is still open: decide it, there is nothing to change yet',
    );
    expect((await change(c.id, { vote: 'exclude' }, ann)).status).toBe(403);
    expect((await change('not-a-conflict', { vote: 'exclude' })).status).toBe(404);
  });

  it('takes an include back out of full text, and puts it back in, each logged', async () => {
    const [c] = conflicts as [{ id: string; recordId: string }];
    await resolve(c.id, 'include');
    expect(await stageStatus(app.rt.db, c.recordId, 'title-abstract')).toBe('advanced');
    expect(await inFullText(c.recordId)).toEqual(['report', 'stage']);

    const out = await change(c.id, { vote: 'exclude', reasons: ['setting'], note: 'Pressed I for E' });
    expect(out.status).toBe(200);
    expect(out.body.outcome).toMatchObject({ status: 'excluded', reasons: ['setting'], by: 'adjudication' });
    expect(await stageStatus(app.rt.db, c.recordId, 'title-abstract')).toBe('excluded');
    expect(await inFullText(c.recordId)).toEqual([]);
    // Logged as the adjudicator's changed decision, not as a record re-opened.
    const { rows: outcome } = await app.rt.db.query<{ type: string; explanation: string }>(
      `SELECT type, data->>'explanation' AS explanation FROM events
        WHERE entity_id = $1::text AND type IN ('record.reconciled', 'record.reopened') ORDER BY id DESC LIMIT 1`,
      [c.recordId],
    );
    expect(outcome[0]).toEqual({
      type: 'record.reconciled',
      explanation:
        'conflict (exclude/include) resolved as exclude by an adjudicator, who changed the decision (setting)',
    });

    const back = await change(c.id, { vote: 'include' });
    expect(back.status).toBe(200);
    expect(await inFullText(c.recordId)).toEqual(['report', 'stage']);
    const { rows } = await app.rt.db.query<{ type: string }>(
      `SELECT type FROM events WHERE entity_id = $1::text AND type IN
         ('conflict.resolution-cast', 'conflict.resolution-changed', 'record.withdrawn') ORDER BY id`,
      [c.recordId],
    );
    expect(rows.map((r) => r.type)).toEqual([
      'conflict.resolution-cast',
      'conflict.resolution-changed',
      'record.withdrawn',
      'conflict.resolution-changed',
    ]);
    // The conflict's card shows the decision as it now stands.
    const card = await cat.api<{ conflict: { status: string } }>('GET', `${base}/conflicts/${c.id}`);
    expect(card.body.conflict.status).toBe('resolved');
  });

  it('refuses to take a record out of full text once it is being assessed there, keeping everything', async () => {
    const [c] = conflicts as [{ id: string; recordId: string }];
    // Routed to full text, and Ann votes on its full text.
    const routed = await lead.api<{ jobId: string }>('POST', `${base}/stages/full-text/route`);
    await app.rt.queue.waitFor(routed.body.jobId, 20_000);
    const ft = await ann.api('POST', `${base}/stages/full-text/decisions`, {
      recordId: c.recordId,
      vote: 'include',
    });
    expect(ft.status).toBe(201);
    const refused = await change(c.id, { vote: 'exclude', reasons: ['setting'] });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/^This record is already in full-text assessment/);
    expect(await stageStatus(app.rt.db, c.recordId, 'title-abstract')).toBe('advanced');
    expect(await inFullText(c.recordId)).toEqual(['report', 'stage']);
    const { rows } = await app.rt.db.query(`SELECT 1 FROM resolutions WHERE conflict_id = $1`, [c.id]);
    expect(rows).toHaveLength(3);
  });

  it('refuses a change once a vote has changed after the decision', async () => {
    const [, c] = conflicts as [unknown, { id: string; recordId: string }];
    await resolve(c.id, 'exclude');
    // Bob changes his mind: the record is no longer in conflict, the decision no longer applies.
    await bob.api('POST', `${base}/stages/title-abstract/decisions`, {
      recordId: c.recordId,
      vote: 'include',
    });
    const refused = await change(c.id, { vote: 'include' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/^A reviewer changed a vote after this conflict was decided/);
  });
});
