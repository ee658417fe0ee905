import { addMember, createReview, createUser, listEvents, removeFromReview } from '@winnow/core';
import { createTestDatabase, ENGINES, type TestDatabase } from '@winnow/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignCoding, listStudies, saveCoding } from '../src/index.ts';
import { sampleCodings, seedIncludedReports } from '../src/test-support/index.ts';

// Someone who leaves (or stops coding) must not strand the studies they had not coded: their
// unsubmitted tasks go to the coders there are, their submitted codings stay and count.
describe.each(ENGINES)('coding tasks of a member who leaves, on %s', (engine) => {
  let t: TestDatabase;
  let reviewId: string;
  const users: Record<string, string> = {};
  const codersOf = async (studyId: string) =>
    (
      await t.db.query<{ coder_id: string }>(
        `SELECT coder_id FROM coding_assignments WHERE study_id = $1 ORDER BY coder_id`,
        [studyId],
      )
    ).rows
      .map((r) => Object.keys(users).find((k) => users[k] === r.coder_id))
      .sort();

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    reviewId = (await createReview(t.db, { slug: `handover-${engine}`, title: 'x' })).id;
    for (const name of ['lead', 'ann', 'bob', 'cat']) {
      users[name] = (
        await createUser(t.db, {
          email: `${name}@handover-${engine}.test`,
          name,
          password: 'correct horse battery',
        })
      ).id;
      if (name !== 'cat')
        await addMember(t.db, {
          reviewId,
          userId: users[name]!,
          role: name === 'lead' ? 'lead' : 'reviewer',
        });
    }
    await seedIncludedReports(t.db, reviewId, [{ title: 'One' }, { title: 'Two' }, { title: 'Three' }]);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('hands a leaver’s unsubmitted studies to another coder and keeps their submitted coding', async () => {
    expect(await assignCoding(t.db, reviewId)).toMatchObject({ newStudies: 3, assigned: 6 });
    const [one, two, three] = (await listStudies(t.db, reviewId)).map((s) => s.id);
    // Bob submits the first study and starts (a draft) the second.
    for (const [studyId, submit] of [
      [one!, true],
      [two!, false],
    ] as const)
      await saveCoding(t.db, {
        reviewId,
        studyId,
        coderId: users.bob!,
        values: sampleCodings[0]!.values,
        submit,
      });
    await addMember(t.db, { reviewId, userId: users.cat!, role: 'coder' });
    await removeFromReview(t.db, { reviewId, userId: users.bob!, actorId: users.lead! });
    // A study included meanwhile is not started by a change of members: that is the lead's to do.
    await seedIncludedReports(t.db, reviewId, [{ title: 'Four' }]);

    expect(await assignCoding(t.db, reviewId, { existingOnly: true })).toMatchObject({
      newStudies: 0,
      assigned: 2,
      studies: 3,
    });
    expect(await codersOf(one!)).toEqual(['ann', 'bob']);
    expect(await codersOf(two!)).toEqual(['ann', 'cat']);
    expect(await codersOf(three!)).toEqual(['ann', 'cat']);
    const revoked = await listEvents(t.db, { reviewId, types: ['assignment.revoked'] });
    expect(revoked.map((e) => (e.data as { coderId: string }).coderId)).toEqual([users.bob, users.bob]);
    // Run again: nothing more to hand on. The lead's run then starts the new study.
    expect(await assignCoding(t.db, reviewId, { existingOnly: true })).toMatchObject({ assigned: 0 });
    expect(await assignCoding(t.db, reviewId)).toMatchObject({ newStudies: 1, assigned: 2, studies: 4 });
  });
});
