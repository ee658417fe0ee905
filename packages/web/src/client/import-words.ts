import { inWords } from './token-words.ts';

/** The words of the imports page for the values its form sends (the API takes the tokens). */

/** Each export format by the name people know it by; `auto` lets Winnow detect it. */
export const FORMAT_NAMES: Record<string, string> = {
  auto: 'Detect from the file',
  ris: 'RIS',
  medline: 'MEDLINE / PubMed (.nbib)',
  'pubmed-xml': 'PubMed XML',
  'endnote-xml': 'EndNote XML',
  'wos-plain': 'Web of Science (plain text)',
  'wos-tab': 'Web of Science (tab-delimited)',
  csv: 'CSV / TSV',
  bibtex: 'BibTeX',
};

/** What kind of source a search is, as PRISMA names it. */
export const KIND_NAMES: Record<string, string> = {
  database: 'Database',
  register: 'Register',
  website: 'Website',
  organisation: 'Organisation',
  citation: 'Citation searching',
  other: 'Other',
};

/** The options of the form's Format list, detection first, in the order they are offered. */
export const FORMAT_OPTIONS = Object.keys(FORMAT_NAMES);
/** The options of the form's Kind list. */
export const KIND_OPTIONS = Object.keys(KIND_NAMES);

/** A format (as an import row stores it) by its name; one this table does not know reads in capitals. */
export function formatName(format: string | null): string {
  if (!format) return '';
  return FORMAT_NAMES[format] ?? format.replace(/[-_]+/g, ' ').toUpperCase();
}

/** A source kind by its name. */
export function kindName(kind: string): string {
  return inWords(KIND_NAMES, kind);
}
