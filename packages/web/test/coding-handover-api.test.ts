import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedIncludedReports } from '@winnow/extraction/testing';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

// A coder removed from the review, or no longer a coder, must not strand the studies they had not
// coded: the member routes queue one assignment run that hands them to the other coders.
describe('coding tasks of a removed member through the API and the real queue', () => {
  let app: TestApp;
  let lead: TestUser;
  let ann: TestUser;
  let bob: TestUser;
  let cat: TestUser;
  const R = '/reviews/handover-api';
  type Studies = { studies: { id: string; progress: { assigned: number } }[] };

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('handover-api');
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['reviewer']);
    await seedIncludedReports(app.rt.db, review.id, [{ title: 'One' }, { title: 'Two' }]);
    const assigned = await lead.api<{ jobId: string }>('POST', `${R}/extraction/assign`);
    expect(assigned.status).toBe(202);
    await app.rt.queue.waitFor(assigned.body.jobId, 20_000);
    cat = await app.user('Cat', review, ['coder']);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('hands a removed coder’s studies to the coder there is', async () => {
    const removed = await lead.api<{ jobIds: string[] }>('DELETE', `${R}/members/${bob.id}`);
    expect(removed.status).toBe(200);
    for (const id of removed.body.jobIds) await app.rt.queue.waitFor(id, 20_000);
    const mine = await cat.api<{ studies: { myStatus: string | null }[] }>('GET', `${R}/extraction/studies`);
    expect(mine.body.studies.map((s) => s.myStatus)).toEqual(['not-started', 'not-started']);
    const all = await lead.api<Studies>('GET', `${R}/extraction/studies`);
    expect(all.body.studies.map((s) => s.progress.assigned)).toEqual([2, 2]);
    const { rows } = await app.rt.db.query(`SELECT 1 FROM coding_assignments WHERE coder_id = $1`, [bob.id]);
    expect(rows).toHaveLength(0);
  });

  it('queues no coding run for a member with nothing to hand on, nor on a review not coding yet', async () => {
    const other = await app.review('handover-none');
    const lead2 = await app.user('Lead', other, ['lead']);
    const dan = await app.user('Dan', other, ['reviewer']);
    const removed = await lead2.api<{ jobIds: string[] }>(
      'DELETE',
      `/reviews/handover-none/members/${dan.id}`,
    );
    expect(removed.status).toBe(200);
    // The two screening stages' routing runs only.
    expect(removed.body.jobIds).toHaveLength(2);
    const { rows } = await app.rt.db.query(`SELECT 1 FROM extraction_settings WHERE review_id = $1`, [
      other.id,
    ]);
    expect(rows).toHaveLength(0);
    // Ann, who keeps coding, loses only her reviewer role for coder: nothing to hand on either.
    const changed = await lead.api<{ jobIds: string[] }>('PUT', `${R}/members/${ann.id}`, {
      roles: ['coder'],
    });
    expect(changed.status).toBe(200);
    for (const id of changed.body.jobIds) await app.rt.queue.waitFor(id, 20_000);
    const { rows: annTasks } = await app.rt.db.query(`SELECT 1 FROM coding_assignments WHERE coder_id = $1`, [
      ann.id,
    ]);
    expect(annTasks).toHaveLength(2);
  });
});
