import { describe, expect, it } from 'vitest';
import { boxForViewer, boxWords, recordBoxKeys, stagesRevealedBy, type StageSight } from './record-box.ts';

const ids = {
  records_included: ['rec-1'],
  records_excluded: ['rec-2'],
  duplicates: ['rec-3'],
  dbr_excluded: ['rep-1'],
  'dbr_excluded:Wrong population': ['rep-1'],
  dbr_sought_reports: ['rep-1'],
};

const sees =
  (by: Partial<Record<'title-abstract' | 'full-text', StageSight>>) =>
  (stage: 'title-abstract' | 'full-text') =>
    by[stage];

describe('the PRISMA box of one record', () => {
  it('finds the record’s box and its report’s box with the exclusion reason', () => {
    expect(recordBoxKeys(ids, 'rec-1', 'rep-1')).toEqual({
      record: 'records_included',
      report: 'dbr_excluded:Wrong population',
    });
    expect(recordBoxKeys(ids, 'rec-9', null)).toEqual({ record: null, report: null });
  });

  it('says which stages a box tells the outcome of', () => {
    expect(stagesRevealedBy('duplicates')).toEqual([]);
    expect(stagesRevealedBy('records_excluded')).toEqual(['title-abstract']);
    expect(stagesRevealedBy('dbr_excluded:Wrong population')).toEqual(['title-abstract', 'full-text']);
  });

  it('names boxes in words, never their keys', () => {
    expect(boxWords('records_excluded')).toBe('Records excluded at title/abstract screening');
    expect(boxWords('dbr_excluded:Wrong population')).toBe(
      'Reports excluded at full-text assessment: Wrong population',
    );
    expect(boxWords('website_results:net')).toBe('Records identified from websites, sought for retrieval');
    expect(boxWords('some_new_box')).not.toContain('_');
  });

  it('hides a box whose outcome the viewer may not see, and a reason whose votes they may not see', () => {
    const all = { outcome: true, otherVotes: true };
    const blindAfterVote = { outcome: true, otherVotes: false };
    const notYet = { outcome: false, otherVotes: false };
    expect(boxForViewer('records_excluded', sees({ 'title-abstract': notYet }))).toEqual({ hidden: true });
    expect(boxForViewer('records_excluded', sees({ 'title-abstract': all }))).toMatchObject({
      key: 'records_excluded',
    });
    // Removed before screening: nobody's vote is in it.
    expect(boxForViewer('duplicates', sees({ 'title-abstract': notYet }))).toMatchObject({
      key: 'duplicates',
    });
    const report = 'dbr_excluded:Wrong population';
    expect(boxForViewer(report, sees({ 'title-abstract': all, 'full-text': notYet }))).toEqual({
      hidden: true,
    });
    expect(boxForViewer(report, sees({ 'title-abstract': notYet, 'full-text': all }))).toEqual({
      hidden: true,
    });
    expect(boxForViewer(report, sees({ 'title-abstract': all, 'full-text': blindAfterVote }))).toEqual({
      key: 'dbr_excluded',
      words: 'Reports excluded at full-text assessment',
      reasonHidden: true,
    });
    expect(boxForViewer(report, sees({ 'title-abstract': all, 'full-text': all }))).toMatchObject({
      key: report,
      reasonHidden: false,
    });
    // A stage the record has not entered tells nothing.
    expect(boxForViewer('records_excluded', sees({}))).toMatchObject({ key: 'records_excluded' });
    expect(boxForViewer(null, sees({}))).toBeNull();
  });
});
