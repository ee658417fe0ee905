import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DRUG_CLASS_TERMS, drugClassOf } from './drug-stems.ts';
import { tokenise } from './tokenise.ts';

describe('drugClassOf', () => {
  it('maps INNs to the class of their stem', () => {
    expect(drugClassOf('enalapril')).toBe('-pril');
    expect(drugClassOf('enalaprilat')).toBe('-pril');
    expect(drugClassOf('losartan')).toBe('-sartan');
    expect(drugClassOf('metoprolol')).toBe('-olol');
    expect(drugClassOf('labetalol')).toBe('-olol');
    expect(drugClassOf('carvedilol')).toBe('-olol');
    expect(drugClassOf('amlodipine')).toBe('-dipine');
    expect(drugClassOf('simvastatin')).toBe('-vastatin');
    expect(drugClassOf('celecoxib')).toBe('-coxib');
    expect(drugClassOf('atomoxetine')).toBe('-oxetine');
    expect(drugClassOf('hydrochlorothiazide')).toBe('-thiazide');
  });

  it('leaves ordinary words alone, short ones and known look-alikes included', () => {
    for (const word of ['april', 'cholesterol', 'pril', 'placebo', 'mortality', 'heart', 'ace'])
      expect(drugClassOf(word)).toBeNull();
  });

  it('needs two letters before the stem', () => {
    expect(drugClassOf('xpril')).toBeNull();
    expect(drugClassOf('xxpril')).toBe('-pril');
  });

  it('returns only listed class terms, none of which a token can equal (property)', () => {
    const classes = new Set(DRUG_CLASS_TERMS);
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        for (const token of tokenise(s)) {
          expect(classes.has(token)).toBe(false);
          const c = drugClassOf(token);
          if (c !== null) expect(classes.has(c)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
