import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldText, stripMarkup } from './text.ts';

describe('stripMarkup', () => {
  it('drops tags and decodes entities', () => {
    expect(stripMarkup('Effect of <i>E. coli</i> &amp; CO<sub>2</sub> &#946;-lactam &#x3b1;')).toBe(
      'Effect of E. coli & CO2 β-lactam α',
    );
  });
  it('keeps a lone less-than sign that is not a tag', () => {
    expect(stripMarkup('p < 0.05 and n > 3')).toBe('p < 0.05 and n > 3');
  });
});

describe('foldText', () => {
  it('folds case, punctuation and diacritics', () => {
    expect(foldText('Rózańska, A.: Über   Kupfer—Legierungen!')).toBe('rozanska a uber kupfer legierungen');
  });
  it('spells out Greek letters so symbol and word forms agree', () => {
    expect(foldText('β-Lactamase and TNF-α')).toBe(foldText('beta-lactamase and TNF-alpha'));
    expect(foldText('5 µg')).toBe('5 mu g');
  });
  it('treats & as and, apostrophes as nothing', () => {
    expect(foldText("Alzheimer's & Parkinson's")).toBe('alzheimers and parkinsons');
  });
  it('output is lower-case ASCII words and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const once = foldText(s);
        expect(once).toMatch(/^(?:[a-z0-9]+(?: [a-z0-9]+)*)?$/);
        expect(foldText(once)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });
  it('ignores case for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        expect(foldText(s.toUpperCase())).toBe(foldText(s.toLowerCase()));
      }),
      { numRuns: 200 },
    );
  });
});
