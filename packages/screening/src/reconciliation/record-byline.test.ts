import { describe, expect, it } from 'vitest';
import { byline } from './record-byline.ts';

describe('byline', () => {
  it('names up to three authors by family name and initial, then the year and the journal', () => {
    expect(
      byline({
        authors: [{ family: 'Baker', given: 'Tom' }, { family: 'Chan' }],
        year: 2020,
        journal: 'BMJ Qual Saf',
      }),
    ).toBe('Baker T, Chan (2020) · BMJ Qual Saf');
    const four = ['A', 'B', 'C', 'D'].map((family) => ({ family }));
    expect(byline({ authors: four })).toBe('A, B, C, et al.');
  });
  it('is empty for a record with none of them, and copes with missing data', () => {
    expect(byline({ title: 'Only a title' })).toBe('');
    expect(byline(null)).toBe('');
    expect(byline({ year: 2001 })).toBe('(2001)');
  });
});
