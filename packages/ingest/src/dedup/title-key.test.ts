import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { titleKey } from './title-key.ts';

describe('titleKey', () => {
  it('removes the brackets around translated titles', () => {
    expect(titleKey('[Application of copper bactericidal properties in medical practice].')).toBe(
      'application of copper bactericidal properties in medical practice',
    );
  });
  it('drops trailing notes databases append', () => {
    expect(titleKey('Copper surfaces in hospitals (Review)')).toBe('copper surfaces in hospitals');
    expect(titleKey('Copper surfaces in hospitals [Spanish]')).toBe('copper surfaces in hospitals');
  });
  it('makes markup, case, punctuation and Greek forms agree', () => {
    expect(titleKey('<i>In vitro</i> activity of β-lactams: a "life-like" test.')).toBe(
      titleKey('In Vitro Activity of Beta Lactams - A Life Like Test'),
    );
  });
  it('is insensitive to surrounding whitespace and final full stop', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z][A-Za-z ,:;-]{0,60}[A-Za-z]$/), (t) => {
        expect(titleKey(`  ${t}. `)).toBe(titleKey(t));
      }),
      { numRuns: 200 },
    );
  });
});
