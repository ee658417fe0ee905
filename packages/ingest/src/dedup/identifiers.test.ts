import { describe, expect, it } from 'vitest';
import { doiKey, pmidKey } from './identifiers.ts';

describe('doiKey', () => {
  it.each([
    ['10.1093/JAC/dkn219', '10.1093/jac/dkn219'],
    ['https://doi.org/10.1093/jac/dkn219', '10.1093/jac/dkn219'],
    ['doi:10.1093/jac/dkn219.', '10.1093/jac/dkn219'],
    ['10.1093/jac/dkn219 [doi]', '10.1093/jac/dkn219'],
    ['https://doi.org/10.1016%2Fs0002-9378(19)31324-9', '10.1016/s0002-9378(19)31324-9'],
  ])('%s', (raw, expected) => {
    expect(doiKey(raw)).toBe(expected);
  });
  it('rejects text that is not a DOI', () => {
    expect(doiKey('not available')).toBeUndefined();
  });
});

describe('pmidKey', () => {
  it('keeps the number only', () => {
    expect(pmidKey('PMID: 0031596137')).toBe('31596137');
    expect(pmidKey(undefined)).toBeUndefined();
  });
});
