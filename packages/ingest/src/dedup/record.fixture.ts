import type { NormalisedRecord } from '../record.types.ts';
import { parseAuthorName } from './author-key.ts';

/** Builds a record for tests: authors as written (`Shahtalebi MA`), everything else as given. */
export function rec(
  fields: Partial<Omit<NormalisedRecord, 'authors'>> & { authors?: readonly string[] },
): NormalisedRecord {
  const { authors = [], ...rest } = fields;
  return {
    title: '',
    keywords: [],
    mesh: [],
    raw: '',
    source: { format: 'test' },
    ...rest,
    authors: authors.map((asWritten) => ({ ...parseAuthorName(asWritten), asWritten })),
  };
}

/** A journal article as MEDLINE and Embase would both describe it, for variations in tests. */
export const ARTICLE = {
  title:
    'Antimicrobial efficacy of copper surfaces against spores and vegetative cells of Clostridium difficile',
  authors: ['Wheeldon LJ', 'Worthington T', 'Lambert PA'],
  year: 2008,
  journal: 'Journal of Antimicrobial Chemotherapy',
  volume: '62',
  issue: '3',
  pages: { asWritten: '522-525' },
  doi: '10.1093/jac/dkn219',
} as const;
