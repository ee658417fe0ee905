import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stripTitleAnnotations, titleKey } from './title-key.ts';

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

describe('stripTitleAnnotations', () => {
  const plain = 'Pleurodesis with bleomycin and tetracycline.';
  it.each([
    `${plain}[Erratum appears in Chest 1993 May;103(5):1640]`,
    `${plain} [published erratum appears in BMJ 1993 Jan 16;306(6870):172]`,
    `${plain} [Retraction in: Lancet 2010;375(9713):445]`,
    `${plain} [Comment in: N Engl J Med 1990;322:1] [Erratum appears in Chest 1993;103:1640]`,
    `${plain} [see comments]`,
    `${plain} [Review] [42 refs]`,
    `${plain} (Author's transl)`,
    `${plain} [Pleurodese mit Bleomycin und Tetracyclin]`,
  ])('%s', (annotated) => {
    expect(stripTitleAnnotations(annotated)).toBe(plain);
    expect(titleKey(annotated)).toBe(titleKey(plain));
  });
  it('keeps brackets that belong to the title', () => {
    expect(stripTitleAnnotations('[18F]FDG PET in lung cancer')).toBe('[18F]FDG PET in lung cancer');
    expect(titleKey('[Pleurodesis with bleomycin].')).toBe('pleurodesis with bleomycin');
  });
});
