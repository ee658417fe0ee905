import { eachSearchWord } from '@winnow/core';
import type { NormalisedRecord } from '../record.types.ts';

/**
 * Longest word kept in a review's list of words: longer runs of letters are identifiers or damage
 * (a base64 blob in an abstract), not words anyone types the beginning of.
 */
export const LONGEST_SEARCH_WORD = 60;

/**
 * Adds to `into` the words of the fields the records library searches (title, abstract, keywords,
 * subject headings, authors, journal): the list a search ending in `*` is widened from.
 */
export function addRecordSearchWords(into: Set<string>, record: NormalisedRecord): void {
  const texts = [
    record.title,
    record.abstract ?? '',
    ...record.keywords,
    ...record.mesh,
    ...record.authors.map((a) => a.asWritten),
    record.journal ?? '',
  ];
  const add = (word: string): void => {
    if (word.length <= LONGEST_SEARCH_WORD) into.add(word);
  };
  for (const text of texts) eachSearchWord(text, add);
}
