import type { PublicationType } from '../record.types.ts';

// RIS TY codes (RIS spec and what EndNote/Zotero/Mendeley write).
const RIS_TYPES: Record<string, PublicationType> = {
  JOUR: 'journal-article',
  JFULL: 'journal-article',
  MGZN: 'journal-article',
  NEWS: 'journal-article',
  EJOUR: 'journal-article',
  INPR: 'journal-article',
  ABST: 'conference-abstract',
  CONF: 'conference-paper',
  CPAPER: 'conference-paper',
  BOOK: 'book',
  EBOOK: 'book',
  EDBOOK: 'book',
  CHAP: 'book-chapter',
  ECHAP: 'book-chapter',
  RPRT: 'report',
  GOVDOC: 'report',
  THES: 'thesis',
  ELEC: 'web-page',
  WEB: 'web-page',
  BLOG: 'web-page',
};

// Free-text publication types (MEDLINE PT, Embase/Scopus document type, WoS DT, EndNote ref-type,
// BibTeX entry types), checked in order: the most specific wins.
const TEXT_RULES: Array<[RegExp, PublicationType]> = [
  [/erratum|correction|corrigendum/i, 'erratum'],
  [/retraction (?:of|notice)|^retraction$|retraction$/i, 'retraction'],
  [/preprint/i, 'preprint'],
  [/conference abstract|meeting abstract|^abstract$/i, 'conference-abstract'],
  [/conference|proceedings|congress|inproceedings|meeting/i, 'conference-paper'],
  [/systematic review|meta-analysis|^review$|review article|\breview\b/i, 'review'],
  [/^letter|^comment/i, 'letter'],
  [/editorial/i, 'editorial'],
  [/book (?:chapter|section)|^chapter$|incollection|inbook|book chapter/i, 'book-chapter'],
  [/^e?book$|^book$/i, 'book'],
  [/thesis|dissertation|phdthesis|mastersthesis/i, 'thesis'],
  [/report|techreport|government document/i, 'report'],
  [/web ?page|online|electronic source/i, 'web-page'],
  [/journal article|^article$|^j$|^journal$/i, 'journal-article'],
];

// Sources repeat a small vocabulary of type names, so short ones are remembered (bounded). A key
// is stored as a copy: a value sliced from a 256 KiB input chunk would otherwise keep the chunk.
const FROM_TEXT_CACHE = new Map<string, PublicationType | null>();
const FROM_TEXT_CACHE_MAX = 512;

export function publicationTypeFromText(value: string): PublicationType | undefined {
  if (value.length > 64) return typeFromText(value);
  const cached = FROM_TEXT_CACHE.get(value);
  if (cached !== undefined) return cached ?? undefined;
  const type = typeFromText(value);
  if (FROM_TEXT_CACHE.size >= FROM_TEXT_CACHE_MAX) FROM_TEXT_CACHE.clear();
  FROM_TEXT_CACHE.set((' ' + value).slice(1), type ?? null);
  return type;
}

function typeFromText(value: string): PublicationType | undefined {
  // Zotero item types are camelCase (`journalArticle`, `bookSection`, `conferencePaper`).
  const v = value
    .trim()
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/^book Section$/i, 'book chapter');
  for (const [re, type] of TEXT_RULES) if (re.test(v)) return type;
  return undefined;
}

const SPECIFIC: PublicationType[] = [
  'erratum',
  'retraction',
  'preprint',
  'conference-abstract',
  'review',
  'letter',
  'editorial',
];

/**
 * One publication type from a container code (RIS TY) and the free-text types the source listed.
 * A specific free-text type (erratum, retraction, preprint, conference abstract, review, letter,
 * editorial) beats the container code; otherwise the code decides, then the first text type.
 */
export function mapPublicationType(
  risType: string | undefined,
  texts: string[],
): PublicationType | undefined {
  const fromTexts: PublicationType[] = [];
  for (const text of texts) {
    const t = publicationTypeFromText(text);
    if (t !== undefined) fromTexts.push(t);
  }
  for (const s of SPECIFIC) if (fromTexts.includes(s)) return s;
  const code = risType?.trim().toUpperCase();
  if (code) {
    const t = RIS_TYPES[code];
    if (t) return t;
  }
  if (fromTexts[0]) return fromTexts[0];
  if (code) return 'other';
  return undefined;
}

const TO_RIS: Record<PublicationType, string> = {
  'journal-article': 'JOUR',
  review: 'JOUR',
  'conference-abstract': 'ABST',
  'conference-paper': 'CPAPER',
  book: 'BOOK',
  'book-chapter': 'CHAP',
  report: 'RPRT',
  thesis: 'THES',
  preprint: 'JOUR',
  erratum: 'JOUR',
  retraction: 'JOUR',
  letter: 'JOUR',
  editorial: 'JOUR',
  'web-page': 'ELEC',
  other: 'GEN',
};

export function publicationTypeToRis(type: PublicationType | undefined): string {
  return type ? TO_RIS[type] : 'GEN';
}
