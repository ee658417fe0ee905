import { describe, expect, it } from 'vitest';
import { formatCitation } from './citation.ts';

describe('formatCitation', () => {
  it('writes a short reference', () => {
    expect(
      formatCitation({
        title: 'Lean in paediatrics.',
        authors: [
          { family: 'Alpha', given: 'Anna Maria' },
          { family: 'Beta', given: 'B' },
        ],
        year: 2019,
        journal: 'BMJ Qual Saf',
        volume: '28',
        issue: '3',
        pages: { asWritten: '45-9' },
        doi: '10.1/x',
      }),
    ).toBe('Alpha AM, Beta B (2019). Lean in paediatrics. BMJ Qual Saf 28(3):45-9. doi:10.1/x.');
  });

  it('abbreviates long author lists and copes with missing parts', () => {
    const authors = ['A', 'B', 'C', 'D'].map((family) => ({ family }));
    expect(formatCitation({ title: 'T', authors })).toBe('A, B, C, et al. T.');
    expect(formatCitation({})).toBe('');
  });
});

describe('formatCitation punctuation', () => {
  it('puts no full stop after a title that ends in ?, ! or one of its own', () => {
    const study = {
      authors: [{ family: 'Ng', given: 'Kim' }],
      year: 2021,
      journal: 'BMC Health Serv Res',
    };
    expect(formatCitation({ ...study, title: 'Do huddles improve safety interventions?' })).toBe(
      'Ng K (2021). Do huddles improve safety interventions? BMC Health Serv Res.',
    );
    expect(formatCitation({ ...study, title: 'Lean works!' })).toBe(
      'Ng K (2021). Lean works! BMC Health Serv Res.',
    );
    expect(formatCitation({ ...study, title: 'Lean in paediatrics.' })).toBe(
      'Ng K (2021). Lean in paediatrics. BMC Health Serv Res.',
    );
    expect(formatCitation({ title: 'Is it “safe”?' })).toBe('Is it “safe”?');
    expect(formatCitation({ ...study, title: 'Lean (a review)' })).toBe(
      'Ng K (2021). Lean (a review). BMC Health Serv Res.',
    );
  });
});
