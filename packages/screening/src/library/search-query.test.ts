import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSearchQuery, positiveTerms, searchPrefixes, toTsquery } from './search-query.ts';

const ts = (q: string): string | null => {
  const r = parseSearchQuery(q);
  if ('error' in r) throw new Error(`${r.error.message} at ${r.error.at}`);
  return r.node ? toTsquery(r.node) : null;
};
const error = (q: string) => {
  const r = parseSearchQuery(q);
  return 'error' in r ? r.error : null;
};

describe('records search syntax', () => {
  it('reads the example of the issue: phrases, brackets, OR, NOT and a prefix', () => {
    expect(ts('"quality improvement" AND (lean OR "six sigma") NOT pediatric*')).toBe(
      `((('quality' <-> 'improvement') & ('lean' | ('six' <-> 'sigma'))) & !'pediatric':*)`,
    );
  });

  it('joins words with AND, and OR binds looser than AND', () => {
    expect(ts('lean hospital')).toBe(`('lean' & 'hospital')`);
    expect(ts('a1 b2 OR c3')).toBe(`(('a1' & 'b2') | 'c3')`);
  });

  it('reads lower-case and/or/not as words, and splits hyphenated words into a phrase', () => {
    expect(ts('safety and quality')).toBe(`(('safety' & 'and') & 'quality')`);
    expect(ts('COVID-19')).toBe(`('covid' <-> '19')`);
  });

  it('keeps letters of every script and drops punctuation, so no text becomes an operator', () => {
    expect(ts("Müller's & | ! <->")).toBe(`('müller' <-> 's')`);
    expect(ts('"  ?! "')).toBeNull();
    expect(ts('')).toBeNull();
  });

  it('says where a search is malformed', () => {
    expect(error('(lean OR sigma')).toEqual({ message: 'a bracket is opened here and never closed', at: 0 });
    expect(error('lean)')).toEqual({ message: 'a closing bracket here has no opening bracket', at: 4 });
    expect(error('"quality improvement')).toEqual({ message: 'a quotation mark is never closed', at: 0 });
    expect(error('lean AND')?.at).toBe(5);
    expect(error('OR lean')?.message).toBe('OR here needs a word or a bracket before it');
    expect(error('lean OR')?.at).toBe(5);
    // A closing bracket that closes an empty pair is not a stray one.
    expect(error('()')).toEqual({ message: 'the brackets opened here hold no word to search for', at: 0 });
    expect(error('lean (NOT)')).toEqual({ message: 'NOT here needs a word after it', at: 6 });
    expect(error('(lean AND)')).toEqual({ message: 'AND here needs a word after it', at: 6 });
    expect(error('(lean) )')).toEqual({ message: 'a closing bracket here has no opening bracket', at: 7 });
  });

  it('lists the words to highlight, leaving out what sits under NOT', () => {
    const r = parseSearchQuery('"quality improvement" NOT (pediatric* OR NOT lean)');
    expect('node' in r && positiveTerms(r.node)).toEqual(['quality improvement', 'lean']);
  });

  it('any text parses or gives a located error, and a parse is valid tsquery syntax', () => {
    const alphabet = fc.constantFrom(
      'a',
      'lean',
      'Ü',
      '9',
      ' ',
      '(',
      ')',
      '"',
      '*',
      'AND',
      'OR',
      'NOT',
      '-',
      "'",
      '&',
      '!',
      ':',
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 30 }), (pieces) => {
        const q = pieces.join(pieces.length % 2 ? ' ' : '');
        const r = parseSearchQuery(q);
        if ('error' in r) {
          expect(r.error.at).toBeGreaterThanOrEqual(0);
          expect(r.error.at).toBeLessThanOrEqual(q.length);
          expect(r.error.message.length).toBeGreaterThan(0);
          return;
        }
        if (!r.node) return;
        const text = toTsquery(r.node);
        // Balanced brackets, and every lexeme quoted: nothing of the user's text outside quotes.
        let depth = 0;
        for (const c of text.replace(/'[^']*'/gu, '')) {
          if (c === '(') depth++;
          if (c === ')') depth--;
          expect(depth).toBeGreaterThanOrEqual(0);
        }
        expect(depth).toBe(0);
        expect(text.replace(/'[^']*'(:\*)?/gu, 'x')).toMatch(/^[x()!&| <\->]+$/u);
      }),
      { numRuns: 500 },
    );
  });

  it('widens each prefix to the words it begins, searched as words, in a phrase too', () => {
    const r = parseSearchQuery('sustainab* AND self-manag* NOT sustainab* NOT pediatric*');
    if (!('node' in r) || !r.node) throw new Error('not parsed');
    expect(searchPrefixes(r.node)).toEqual(['sustainab', 'manag', 'pediatric']);
    const words: Record<string, string[]> = {
      sustainab: ['sustainability', 'sustainable'],
      manag: ['manage', 'management'],
    };
    expect(toTsquery(r.node, (p) => words[p] ?? [])).toBe(
      "(((('sustainab':* | 'sustainability' | 'sustainable') & ('self' <-> ('manag':* | 'manage' | 'management'))) & !('sustainab':* | 'sustainability' | 'sustainable')) & !'pediatric':*)",
    );
    // The prefix itself, as a word of the review, is searched once, as the prefix.
    expect(toTsquery(r.node, (p) => (p === 'pediatric' ? ['pediatric'] : []))).toContain("!'pediatric':*)");
  });
});
