import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDangerous, neutraliseCell } from './formula-guard.ts';

const trigger = fc.constantFrom('=', '+', '-', '@', '\t', '\r');

describe('neutraliseCell', () => {
  it('defuses the classic payloads', () => {
    expect(neutraliseCell('=HYPERLINK("http://x","y")')).toBe(`'=HYPERLINK("http://x","y")`);
    expect(neutraliseCell('+1+1')).toBe("'+1+1");
    expect(neutraliseCell('-2+3')).toBe("'-2+3");
    expect(neutraliseCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutraliseCell('\t=1')).toBe("'\t=1");
    expect(neutraliseCell('\r=1')).toBe("'\r=1");
  });

  it('leaves numbers, null and harmless text alone', () => {
    expect(neutraliseCell(-3)).toBe(-3);
    expect(neutraliseCell(null)).toBeNull();
    expect(neutraliseCell('')).toBe('');
    expect(neutraliseCell('Leadership (2019)')).toBe('Leadership (2019)');
  });

  it('never leaves a dangerous first character', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.tuple(trigger, fc.string()).map(([t, s]) => t + s),
        ),
        (s) => {
          expect(isDangerous(neutraliseCell(s))).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps the original text recoverable and is idempotent', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.tuple(trigger, fc.string()).map(([t, s]) => t + s),
        ),
        (s) => {
          const once = neutraliseCell(s) as string;
          expect(neutraliseCell(once)).toBe(once);
          expect(once === s || once === `'${s}`).toBe(true);
          expect(once.endsWith(s)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('changes exactly the strings that start with a trigger', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(neutraliseCell(s) !== s).toBe(isDangerous(s));
      }),
      { numRuns: 500 },
    );
  });
});
