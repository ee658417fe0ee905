import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRecords } from './screening-fixtures.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

const SLUG = 'conflicts-snapshot';
const base = `/reviews/${SLUG}`;

/**
 * The conflicts list and its count are read from one snapshot: read apart, a conflict resolved
 * between the two reads was sent as a card while the count had already lost it (the page then
 * said "51 open" above 49 cards).
 */
describe('conflicts list and count while the adjudicator decides', () => {
  let app: TestApp;
  let cat: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review(SLUG, 'Conflicts read while resolved');
    const lead = await app.user('Lead', review, ['lead']);
    const ann = await app.user('Ann', review, ['reviewer']);
    const bob = await app.user('Bob', review, ['reviewer']);
    cat = await app.user('Cat', review, ['adjudicator']);
    const ids = await seedRecords(app.rt.db, review.id, 40);
    const routed = await lead.api<{ jobId: string }>('POST', `${base}/stages/title-abstract/route`);
    await app.rt.queue.waitFor(routed.body.jobId, 20_000);
    for (const recordId of ids) {
      await ann.api('POST', `${base}/stages/title-abstract/decisions`, { recordId, vote: 'include' });
      await bob.api('POST', `${base}/stages/title-abstract/decisions`, { recordId, vote: 'exclude' });
    }
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('never sends a card the count no longer holds', async () => {
    const list = () =>
      cat.api<{ conflicts: { id: string }[]; total: number }>(
        'GET',
        `${base}/conflicts?stage=title-abstract&limit=1000`,
      );
    const first = await list();
    expect(first.body.total).toBe(40);
    let open = first.body.total;
    for (const c of first.body.conflicts) {
      const resolved = await cat.api<{ jobId: string }>('POST', `${base}/conflicts/${c.id}/resolve`, {
        vote: 'include',
      });
      expect(resolved.status).toBe(200);
      // The conflict closes in the reconcile job the answer names: read, two at a time, until it has,
      // so reads fall on both sides of that job's commit.
      for (;;) {
        const answers = await Promise.all([list(), list()]);
        for (const a of answers) expect(a.body.conflicts.length).toBe(a.body.total);
        if (answers.every((a) => a.body.total === open - 1)) break;
      }
      open--;
    }
    expect((await list()).body.total).toBe(0);
  }, 60_000);
});
