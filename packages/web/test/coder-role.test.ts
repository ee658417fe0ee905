import { seedIncludedReports } from '@winnow/extraction/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRecords } from './screening-fixtures.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

const R = '/reviews/coder-role';

describe('the coder role: codes included studies, never screens', () => {
  let app: TestApp;
  let lead: TestUser;
  let ann: TestUser;
  let cody: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('coder-role');
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    await app.user('Bob', review, ['reviewer']);
    cody = await app.user('Cody', review, ['coder']);
    await seedRecords(app.rt.db, review.id, 4);
    await seedIncludedReports(app.rt.db, review.id, [
      { title: 'Lean in paediatrics', authors: [{ family: 'Alpha', given: 'A' }], year: 2019 },
    ]);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('is given no screening share and cannot screen', async () => {
    const routed = await lead.api<{ jobId: string }>('POST', `${R}/stages/title-abstract/route`);
    expect(routed.status).toBe(202);
    await app.rt.queue.waitFor(routed.body.jobId, 20_000);
    const { rows } = await app.rt.db.query<{ reviewer_id: string; n: number }>(
      `SELECT reviewer_id, count(*)::int AS n FROM assignments WHERE stage = 'title-abstract'
        AND reviewer_id = ANY($1::uuid[]) GROUP BY reviewer_id`,
      [[ann.id, cody.id]],
    );
    // Two reviewers and two votes per record: Ann screens every record; the coder none.
    expect(rows.find((r) => r.reviewer_id === ann.id)?.n).toBeGreaterThanOrEqual(4);
    expect(rows.find((r) => r.reviewer_id === cody.id)).toBeUndefined();
    expect((await cody.api('GET', `${R}/stages/title-abstract/next`)).status).toBe(403);
    // The pages follow the routes: screening is not among the coder's actions, coding is.
    const access = await cody.api<{ roles: string[] }>('GET', `${R}/access`);
    expect(access.status).toBe(200);
    expect(access.body.roles).toEqual(['coder']);
  });

  it('is handed included studies to code alongside a reviewer, and saves a coding', async () => {
    // A second review where the pool is one reviewer and one coder: two coders per study takes both.
    const other = await app.review('coder-pool');
    const otherLead = await app.user('Lead 2', other, ['lead']);
    const rev = await app.user('Rae', other, ['reviewer']);
    const coder = await app.user('Col', other, ['coder']);
    await seedIncludedReports(app.rt.db, other.id, [
      { title: 'Lean in paediatrics', authors: [{ family: 'Alpha', given: 'A' }], year: 2019 },
    ]);
    const E = '/reviews/coder-pool/extraction';
    expect((await otherLead.api('PUT', `${E}/settings`, { codersPerStudy: 2 })).status).toBe(200);
    const assigned = await otherLead.api<{ jobId: string }>('POST', `${E}/assign`);
    await app.rt.queue.waitFor(assigned.body.jobId, 20_000);
    for (const u of [rev, coder]) {
      const queue = await u.api<{ studies: { id: string; myStatus: string }[] }>('GET', `${E}/studies`);
      expect(queue.status).toBe(200);
      expect(queue.body.studies).toHaveLength(1);
    }
    const queue = await coder.api<{ studies: { id: string }[] }>('GET', `${E}/studies`);
    const study = queue.body.studies[0]!.id;
    const saved = await coder.api('PUT', `${E}/studies/${study}/coding`, {
      values: { geography: { type: 'single_choice', option: 'international.including_uk' } },
      submit: false,
    });
    expect(saved.status).toBe(200);
    // Coding is theirs; consensus and exports stay with leads.
    expect((await coder.api('GET', `${E}/studies/${study}/consensus`)).status).toBe(403);
    expect((await coder.api('GET', `${E}/export?format=json`)).status).toBe(403);
  });
});
