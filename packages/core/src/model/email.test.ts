import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseEmail } from './email.ts';

// Leading/trailing characters people paste by accident: ASCII spaces, tab, newline, no-break and
// ideographic spaces, NEL, thin/figure spaces, zero-width space, BOM.
const INVISIBLE = [
  ' ',
  '\t',
  '\n',
  '\r',
  '\u00a0',
  '\u3000',
  '\u0085',
  '\u2009',
  '\u2007',
  '\u200b',
  '\ufeff',
];
const edge = fc.array(fc.constantFrom(...INVISIBLE), { maxLength: 4 }).map((a) => a.join(''));
const anyText = fc.string({ unit: 'binary', maxLength: 40 });
const address = fc.emailAddress();

describe('normaliseEmail', () => {
  it('is idempotent on any string', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const once = normaliseEmail(s);
        expect(normaliseEmail(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('ignores invisible characters around an address, capitals and full-width forms', () => {
    fc.assert(
      fc.property(address, edge, edge, fc.boolean(), (email, before, after, wide) => {
        const want = normaliseEmail(email);
        let variant = email.toUpperCase();
        // Full-width forms (U+FF01..U+FF5E) of the ASCII letters: NFKC folds them back.
        if (wide) variant = variant.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
        expect(normaliseEmail(before + variant + after)).toBe(want);
      }),
      { numRuns: 1000 },
    );
  });

  it('never leaves white space at either end, and keeps an address already in normal form as it is', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        expect(normaliseEmail(s)).not.toMatch(
          /^[\p{White_Space}\ufeff\u200b]|[\p{White_Space}\ufeff\u200b]$/u,
        );
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(address, (email) => {
        expect(normaliseEmail(email)).toBe(email.toLowerCase());
      }),
    );
  });

  it('folds the spellings the login probe used onto one key', () => {
    const base = 'user@x.test';
    for (const v of [
      ' user@x.test',
      'user@x.test ',
      '\tuser@x.test',
      '\u00a0user@x.test',
      '\u3000user@x.test',
      'USER@X.TEST',
    ]) {
      expect(normaliseEmail(v), JSON.stringify(v)).toBe(base);
    }
  });
});
