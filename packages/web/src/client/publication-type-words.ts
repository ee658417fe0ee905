import { inWords } from './token-words.ts';

/** A record's publication type (the normalised token every format maps to) in words. */
const WORDS: Record<string, string> = {
  'journal-article': 'Journal article',
  review: 'Review',
  'conference-abstract': 'Conference abstract',
  'conference-paper': 'Conference paper',
  book: 'Book',
  'book-chapter': 'Book chapter',
  report: 'Report',
  thesis: 'Thesis',
  preprint: 'Preprint',
  erratum: 'Erratum',
  retraction: 'Retraction',
  letter: 'Letter',
  editorial: 'Editorial',
  'web-page': 'Web page',
  guideline: 'Guideline',
  'policy-document': 'Policy document',
  other: 'Other',
};

/** `type` in words. */
export function publicationTypeWords(type: string): string {
  return inWords(WORDS, type);
}
