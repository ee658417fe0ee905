import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collapseWhitespace, normaliseMarkup, removeActive, stripActive } from './markup.ts';

describe('normaliseMarkup', () => {
  it('keeps allowed inline markup and gives plain text', () => {
    const r = normaliseMarkup('Genome of <i>Escherichia coli</i> K-12 and CO<sub>2</sub> at 10<sup>3</sup>');
    expect(r.html).toBe('Genome of <i>Escherichia coli</i> K-12 and CO<sub>2</sub> at 10<sup>3</sup>');
    expect(r.text).toBe('Genome of Escherichia coli K-12 and CO2 at 103');
  });

  it('maps em/strong and drops everything else', () => {
    expect(normaliseMarkup('<em>a</em> <strong>b</strong> <span class="x">c</span>').html).toBe(
      '<i>a</i> <b>b</b> c',
    );
  });

  it('decodes entities into text without inventing markup', () => {
    const r = normaliseMarkup('Ecosystems &amp; Environment &#8211; 2016');
    expect(r.text).toBe('Ecosystems & Environment – 2016');
    expect(r.html).toBeUndefined();
  });

  it('never lets script, event handlers or javascript: URLs through', () => {
    const evil =
      '<script>alert(1)</script><b onmouseover="x()">t</b><img src=x onerror=alert(1)><a href="javascript:alert(1)">l</a>&lt;script&gt;alert(2)&lt;/script&gt;';
    const r = normaliseMarkup(evil);
    for (const out of [r.text, r.html ?? '']) {
      expect(out).not.toMatch(/<script/i);
      expect(out).not.toMatch(/onerror\s*=|onmouseover\s*=/i);
      expect(out).not.toMatch(/javascript:/i);
    }
  });

  it('property: collapsing white space equals replacing every run of it with one space, trimmed', () => {
    // Every character JavaScript's \s matches, among letters, in values short and long (the long
    // ones take another path).
    const ch = fc.constantFrom(
      ...'ab ,.',
      ...'\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff',
      ...'\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a',
      '\u00e9',
      '\u2014',
    );
    fc.assert(
      fc.property(fc.array(ch, { maxLength: 120 }), fc.nat(90), (chars, pad) => {
        for (const text of [chars.join(''), 'x'.repeat(pad) + chars.join('') + 'y'.repeat(pad)])
          expect(collapseWhitespace(text)).toBe(text.replace(/\s+/g, ' ').trim());
      }),
      { numRuns: 2000 },
    );
  });

  it('property: the quick checks before stripping active text skip only text the strip leaves alone', () => {
    const piece = fc.constantFrom(
      ...['a', ' ', '=', ':', '<', '>', '/', 'on', 'ON', 'conditi', 'load', 'JavaScript', 'script', 'b', '!'],
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (parts) => {
        const text = parts.join('');
        expect(stripActive(text)).toBe(removeActive(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('collapses around every UTF-16 code unit as the regex does, in a short value and a long one', () => {
    const wrong: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      for (const text of [`a${ch}b`, `${'x'.repeat(45)}${ch}y`])
        if (collapseWhitespace(text) !== text.replace(/\s+/g, ' ').trim()) wrong.push(`U+${c.toString(16)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('property: output html only ever contains the allowed tags', () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom(
        '<i>',
        '</i>',
        '<b>',
        '<sup>',
        '</sub>',
        '<script>',
        '<img src=x onerror=y>',
        '<a href="javascript:x">',
        '&amp;',
        '&lt;script&gt;',
        '<',
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const r = normaliseMarkup(parts.join(''));
        const tags = (r.html ?? '').match(/<\/?([a-z0-9]+)[^>]*>/gi) ?? [];
        for (const t of tags) expect(t).toMatch(/^<\/?(i|b|sup|sub)>$/);
        expect(r.text).not.toMatch(/<script|javascript:|onerror=/i);
      }),
      { numRuns: 300 },
    );
  });
});
