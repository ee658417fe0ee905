import { describe, expect, it } from 'vitest';
import type { NormalisedRecord } from '../record.types.ts';
import { addRecordSearchWords, LONGEST_SEARCH_WORD } from './record-search-words.ts';

describe('addRecordSearchWords', () => {
  it('takes the words of every searched field, once, and leaves out runs too long to be words', () => {
    const words = new Set<string>(['already']);
    addRecordSearchWords(words, {
      title: 'Sustainability of lean',
      abstract: `Lean, sustainably. ${'x'.repeat(LONGEST_SEARCH_WORD + 1)}`,
      keywords: ['Self-management'],
      mesh: ['Quality Improvement'],
      authors: [{ family: 'Ørsted', given: 'H', asWritten: 'Ørsted H' }],
      journal: 'BMJ Qual Saf',
    } as NormalisedRecord);
    expect([...words].sort()).toEqual(
      [
        'already',
        'sustainability',
        'of',
        'lean',
        'sustainably',
        'self',
        'management',
        'quality',
        'improvement',
        'ørsted',
        'h',
        'bmj',
        'qual',
        'saf',
      ].sort(),
    );
  });
});
