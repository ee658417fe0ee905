import { describe, expect, it } from 'vitest';
import { shortCitation } from './prisma-citation.ts';

describe('shortCitation', () => {
  it('names a record by first author, year and title', () => {
    expect(
      shortCitation({
        authors: [
          { family: 'Smith', given: 'Anna' },
          { family: 'Jones', given: 'Ben' },
        ],
        year: 2020,
        title: 'Leadership for quality improvement in acute hospitals.',
      }),
    ).toBe('Smith A, et al. (2020). Leadership for quality improvement in acute hospitals.');
    expect(shortCitation({ authors: [{ family: 'NHS England' }], title: 'A guide' })).toBe(
      'NHS England. A guide.',
    );
  });

  it('cuts a long title at a word and never falls back to an id', () => {
    const c = shortCitation({ year: 2019, title: 'word '.repeat(40) });
    expect(c.startsWith('(2019). word word')).toBe(true);
    expect(c.endsWith('word…')).toBe(true);
    expect(c.length).toBeLessThan(110);
    expect(shortCitation({})).toBe('Untitled record');
    expect(shortCitation({ authors: [{ family: ' ' }], year: 2021 })).toBe('(2021)');
  });
});

describe('shortCitation punctuation', () => {
  it('puts no full stop after a title ending in ? or !, nor a second after et al.', () => {
    expect(shortCitation({ authors: [{ family: 'Lee' }], year: 2018, title: 'Does lean work?' })).toBe(
      'Lee (2018). Does lean work?',
    );
    expect(shortCitation({ title: 'Stop the line!' })).toBe('Stop the line!');
    expect(shortCitation({ authors: [{ family: 'A' }, { family: 'B' }], title: 'Why “lean”?' })).toBe(
      'A, et al. Why “lean”?',
    );
  });
});
