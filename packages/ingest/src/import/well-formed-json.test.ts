import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wellFormedJson } from './well-formed-json.ts';

/** String.prototype.toWellFormed (ES2024, beyond this project's lib setting). */
const wellFormed = (s: string): string =>
  s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

describe('wellFormedJson', () => {
  it('writes a lone surrogate as U+FFFD and leaves pairs and escaped backslashes alone', () => {
    const lone = String.fromCharCode(0xd800);
    expect(JSON.parse(wellFormedJson({ t: `a${lone}b` }))).toEqual({ t: 'a\ufffdb' });
    expect(JSON.parse(wellFormedJson({ t: '😀 ok' }))).toEqual({ t: '😀 ok' });
    // The text "\ud800" (a backslash, then letters) is not a surrogate.
    expect(JSON.parse(wellFormedJson({ t: '\\ud800' }))).toEqual({ t: '\\ud800' });
    expect(JSON.parse(wellFormedJson({ t: `\\${lone}` }))).toEqual({ t: '\\\ufffd' });
  });

  it('gives what JSON.stringify gives of the well-formed value, for any strings', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' })), (strings) => {
        const out = wellFormedJson({ strings });
        expect(out).not.toMatch(/(?<!\\)(?:\\\\)*\\ud[89a-f][0-9a-f]{2}/i);
        expect(JSON.parse(out)).toEqual({ strings: strings.map(wellFormed) });
      }),
      { numRuns: 500 },
    );
  });
});
