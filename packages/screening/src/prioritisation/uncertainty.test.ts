import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { withUncertainPicks } from './uncertainty.ts';

describe('withUncertainPicks', () => {
  const decision = [5, 4, 3, 0.1, -0.2, -3, 2, 1];
  const labelled = new Uint8Array(8);

  it('replaces every tenth pick with the record nearest the boundary, only before `until`', () => {
    // Picks 9..12: pick 10 is the tenth.
    expect(withUncertainPicks([0, 1, 2, 6], decision, labelled, 8, { share: 0.1, until: 100 })).toEqual([
      0, 3, 2, 6,
    ]);
    expect(withUncertainPicks([0, 1, 2, 6], decision, labelled, 120, { share: 0.1, until: 100 })).toEqual([
      0, 1, 2, 6,
    ]);
  });

  it('leaves the batch alone with share 0 and rejects a share outside [0, 1]', () => {
    expect(withUncertainPicks([0, 1], decision, labelled, 9, { share: 0, until: 100 })).toEqual([0, 1]);
    expect(() => withUncertainPicks([0], decision, labelled, 0, { share: 2, until: 100 })).toThrow(/share/);
  });

  it('keeps the batch length, picks only unlabelled records and none twice (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: -5, max: 5 }), { minLength: 5, maxLength: 60 }),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 1, max: 10 }),
        (d, screened, every) => {
          const mask = Uint8Array.from(d, (_, i) => (i % 4 === 0 ? 1 : 0));
          const free = d.map((_, i) => i).filter((i) => !mask[i]);
          const batch = free.slice(0, Math.min(5, free.length));
          const out = withUncertainPicks(batch, d, mask, screened, { share: 1 / every, until: 100 });
          expect(out.length).toBe(batch.length);
          expect(new Set(out).size).toBe(out.length);
          for (const i of out) expect(mask[i]).toBe(0);
        },
      ),
    );
  });
});
