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

/** `type` in words; a token this table does not know reads with its hyphens as spaces. */
export function publicationTypeWords(type: string): string {
  const known = WORDS[type];
  if (known) return known;
  const spaced = type.replace(/-/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
