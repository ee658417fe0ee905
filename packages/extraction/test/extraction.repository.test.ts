import { addMember, createReview, createUser, listEvents } from '@winnow/core';
import { createTestDatabase, ENGINES, type TestDatabase } from '@winnow/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assignCoding,
  consensusDraft,
  decideEmergent,
  extractionTables,
  finaliseStudyConsensus,
  listCurrentCodings,
  listStudies,
  loadExportInput,
  migrateCodings,
  proposeEmergent,
  reviewAgreement,
  saveCoding,
} from '../src/index.ts';
import { sampleCodings, sampleConsensus, seedIncludedReports, tinyPdf } from '../src/test-support/index.ts';

// The same SQL must work on PostgreSQL and on embedded PGlite (the default without DATABASE_URL).
describe.each(ENGINES)('extraction repositories on %s', (engine) => {
  let t: TestDatabase;
  let reviewId: string;
  const users: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    reviewId = (await createReview(t.db, { slug: `extraction-${engine}`, title: 'x' })).id;
    for (const name of ['lead', 'ann', 'bob']) {
      users[name] = (
        await createUser(t.db, { email: `${name}@${engine}.test`, name, password: 'correct horse battery' })
      ).id;
      await addMember(t.db, { reviewId, userId: users[name]!, role: name === 'lead' ? 'lead' : 'reviewer' });
    }
    await seedIncludedReports(t.db, reviewId, [
      { title: 'One', pdf: tinyPdf('one') },
      { title: 'Two' },
      { title: 'Three', authors: [{ family: 'Gamma' }], year: 2016 },
    ]);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('creates studies from included reports and assigns two coders each, idempotently', async () => {
    const team = { studies: 3, coders: 2, codersPerStudy: 2 };
    expect(await assignCoding(t.db, reviewId)).toEqual({ newStudies: 3, assigned: 6, ...team });
    expect(await assignCoding(t.db, reviewId)).toEqual({ newStudies: 0, assigned: 0, ...team });
    const studies = await listStudies(t.db, reviewId);
    expect(studies.map((s) => [s.number, s.title])).toEqual([
      [1, 'One'],
      [2, 'Two'],
      [3, 'Three'],
    ]);
    expect(studies[0]!.fullText?.fileName).toBe('report-1.pdf');
    expect(studies[1]!.fullText).toBeNull();
    expect(studies[2]!.citation).toBe('Gamma (2016). Three.');
    ['S1', 'S2', 'S3'].forEach((k, i) => (ids[k] = studies[i]!.id));
    const events = await listEvents(t.db, { reviewId, types: ['study.created', 'assignment.created'] });
    expect(events.length).toBe(9);
  });

  it('stores codings as new rows, lists the latest, computes agreement and consensus', async () => {
    for (const c of sampleCodings)
      await saveCoding(t.db, {
        reviewId,
        studyId: ids[c.studyId]!,
        coderId: users[c.coderId]!,
        values: c.values,
        submit: true,
      });
    // A later draft does not replace the submitted coding for consensus.
    const s1ann = sampleCodings[0]!;
    await saveCoding(t.db, {
      reviewId,
      studyId: ids.S1!,
      coderId: users.ann!,
      values: s1ann.values,
      submit: false,
    });
    expect((await listCurrentCodings(t.db, reviewId)).length).toBe(6);
    expect((await listCurrentCodings(t.db, reviewId, { submittedOnly: true })).length).toBe(5);
    await saveCoding(t.db, {
      reviewId,
      studyId: ids.S1!,
      coderId: users.ann!,
      values: s1ann.values,
      submit: true,
    });

    const agreement = await reviewAgreement(t.db, reviewId);
    expect(agreement.fields.find((f) => f.field === 'geography')?.kappa).toBeCloseTo(4 / 7);
    const { draft } = await consensusDraft(t.db, reviewId, ids.S2!);
    expect(draft?.differences.map((d) => d.field)).toEqual(['geography', 'influences']);
    for (const c of sampleConsensus())
      await finaliseStudyConsensus(
        t.db,
        reviewId,
        ids[c.studyId]!,
        Object.fromEntries(c.resolvedFields.map((k) => [k, c.values[k]!])),
        users.lead!,
      );
    const input = await loadExportInput(t.db, reviewId);
    expect(input.final.map((f) => f.coderId)).toEqual([
      'consensus (lead)',
      'consensus (lead)',
      'consensus (lead)',
    ]);
    const [wide] = extractionTables(input, { tables: ['wide'] });
    expect(wide!.rows.map((r) => r[wide!.columns.indexOf('geography')])).toEqual([
      'International, including the UK',
      'Single country, England only',
      'Not reported',
    ]);
  });

  it('approves an emergent code into v2 and migrates codings to it', async () => {
    const code = await proposeEmergent(t.db, reviewId, {
      fieldKey: 'influences',
      parentKey: 'ppi',
      label: 'Carer fatigue',
      proposedBy: users.ann!,
    });
    const again = await proposeEmergent(t.db, reviewId, {
      fieldKey: 'influences',
      parentKey: 'ppi',
      label: 'Carer fatigue',
      proposedBy: users.bob!,
    });
    expect(again.id).toBe(code.id);
    expect(await decideEmergent(t.db, reviewId, { approve: [code.id], reject: [] }, users.lead!)).toEqual({
      version: 2,
      approved: 1,
      rejected: 0,
    });
    await expect(
      decideEmergent(t.db, reviewId, { approve: [code.id], reject: [] }, users.lead!),
    ).rejects.toThrow(/already approved/);
    const m = await migrateCodings(t.db, reviewId, users.lead!);
    expect(m).toMatchObject({ version: 2, migrated: 6, losses: [] });
    expect((await listCurrentCodings(t.db, reviewId)).every((c) => c.codebookVersion === 2)).toBe(true);
  });
});
