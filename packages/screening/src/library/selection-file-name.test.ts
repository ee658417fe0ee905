import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { selectionFileName } from './selection-file-name.ts';

const DAY = '2026-12-07';

describe('selectionFileName', () => {
  it('names the review and the day when nothing is filtered', () => {
    expect(selectionFileName('default', { stage: 'title-abstract' }, 'csv', DAY)).toBe(
      'default-records-2026-12-07.csv',
    );
  });

  it('says what the filters picked', () => {
    expect(
      selectionFileName(
        'qi-review',
        { stage: 'title-abstract', state: ['excluded'], reason: 'not-health' },
        'ris',
        DAY,
      ),
    ).toBe('qi-review-records-title-abstract-excluded-not-health-2026-12-07.ris');
    expect(
      selectionFileName(
        'qi-review',
        { stage: 'full-text', tag: 'Check later!', yearFrom: 2000, yearTo: 2020, q: 'lean' },
        'csv',
        DAY,
      ),
    ).toBe('qi-review-records-tagged-check-later-2000-2020-search-2026-12-07.csv');
  });

  it('is always a plain, bounded file name whatever the tag or reason holds', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (tag, reason) => {
        const name = selectionFileName('r', { stage: 'title-abstract', tag, reason }, 'csv', DAY);
        expect(name).toMatch(/^[a-z0-9-]+\.csv$/);
        expect(name).not.toMatch(/--/);
        expect(name.length).toBeLessThanOrEqual(120);
      }),
    );
  });
});
