import { describe, expect, it } from 'vitest';
import { loadDefaultCodebook } from '../codebook/default-codebook.ts';
import { sampleCodings } from '../test-support/sample-codings.ts';
import { fieldAgreement, type CodingPair } from './field-agreement.ts';

function pairs(): CodingPair[] {
  return ['S1', 'S2', 'S3'].map((studyId) => ({
    studyId,
    a: sampleCodings.find((c) => c.studyId === studyId && c.coderId === 'ann')!,
    b: sampleCodings.find((c) => c.studyId === studyId && c.coderId === 'bob')!,
  }));
}

describe('fieldAgreement', () => {
  const book = loadDefaultCodebook();
  const byField = new Map(fieldAgreement(book, pairs()).map((f) => [f.field, f]));

  it('uses kappa for single choice', () => {
    expect(byField.get('publication_type')).toMatchObject({
      method: 'kappa',
      studies: 3,
      exactMatch: 1,
      kappa: 1,
    });
    // geography: one of three differs; chance agreement 2/9 -> kappa (2/3 - 2/9) / (7/9) = 4/7
    const geo = byField.get('geography')!;
    expect(geo.observed).toBeCloseTo(2 / 3);
    expect(geo.kappa).toBeCloseTo(4 / 7);
  });

  it('pools option presence for multi-choice and code trees, with per-item kappa', () => {
    const approach = byField.get('improvement_approach')!;
    expect(approach.exactMatch).toBeCloseTo(2 / 3);
    // 19 options x 3 studies; only six_sigma on S1 differs: kappa = 318/375
    expect(approach.observed).toBeCloseTo(56 / 57);
    expect(approach.kappa).toBeCloseTo(318 / 375);
    expect(approach.items?.find((i) => i.key === 'lean')?.kappa).toBe(1);
    expect(approach.items?.find((i) => i.key === 'six_sigma')?.kappa).toBeCloseTo(0);
    expect(byField.get('influences')?.exactMatch).toBeCloseTo(2 / 3);
  });

  it('uses whitespace-insensitive exact match for text and numbers', () => {
    expect(byField.get('quality_notes')).toMatchObject({ method: 'exact', exactMatch: 1, kappa: null });
    expect(byField.get('included_studies')).toMatchObject({ method: 'exact', exactMatch: 1 });
  });

  it('returns zero-study results without dividing by zero', () => {
    const empty = fieldAgreement(book, []);
    expect(empty.every((f) => f.studies === 0 && f.exactMatch === 0)).toBe(true);
  });
});
