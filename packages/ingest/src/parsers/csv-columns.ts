import type { CsvColumnMapping, CsvField } from './reader.types.ts';

// Header names as Scopus (both variants), Embase, Zotero, EndNote/Rayyan-style generic exports and
// Winnow's own export write them, lower-cased with punctuation collapsed. First match wins.
const GUESSES: Array<[CsvField, string[]]> = [
  ['title', ['title', 'article title', 'document title', 'primary title', 'ti', 'titles']],
  ['titleHtml', ['title html']],
  ['abstract', ['abstract', 'abstract note', 'ab', 'abstracts', 'n2']],
  ['abstractHtml', ['abstract html']],
  [
    'authors',
    ['authors', 'author', 'author names', 'first authors', 'au', 'author full names', 'af', 'creators'],
  ],
  ['year', ['year', 'publication year', 'py', 'pubyear', 'pub year', 'date', 'publication date']],
  [
    'journal',
    [
      'source title',
      'journal',
      'publication title',
      'journal title',
      'secondary title',
      'so',
      'journal book',
    ],
  ],
  ['journalAbbrev', ['abbreviated source title', 'journal abbreviation', 'ji', 'j9', 'journal abbrev']],
  ['publisher', ['publisher', 'pb', 'pu']],
  ['volume', ['volume', 'vl']],
  ['issue', ['issue', 'number', 'is']],
  ['pages', ['pages', 'page range', 'pg']],
  ['startPage', ['page start', 'start page', 'bp']],
  ['endPage', ['page end', 'end page', 'ep']],
  ['articleNumber', ['art no', 'article number', 'ar']],
  ['doi', ['doi', 'di']],
  ['url', ['url', 'link', 'links']],
  ['pmid', ['pubmed id', 'pmid', 'pm']],
  ['pmcid', ['pmcid', 'pmc id']],
  ['issn', ['issn', 'sn', 'eissn', 'ei']],
  ['isbn', ['isbn', 'bn']],
  ['keywords', ['author keywords', 'keywords', 'manual tags', 'de', 'index keywords', 'kw']],
  ['mesh', ['mesh', 'mesh terms', 'mesh headings']],
  ['language', ['language of original document', 'language', 'la']],
  ['risType', ['ris type', 'type of reference']],
  [
    'publicationType',
    ['document type', 'item type', 'publication type', 'type of reference', 'type', 'dt', 'reference type'],
  ],
  ['database', ['database', 'source database']],
  ['platform', ['platform']],
];

export function headerKey(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Guess the column mapping from headers, then apply explicit overrides (field -> header as written). */
export function guessColumns(headers: string[], overrides: CsvColumnMapping = {}): Map<CsvField, number> {
  const keys = headers.map(headerKey);
  const map = new Map<CsvField, number>();
  const used = new Set<number>();
  for (const [field, names] of GUESSES) {
    for (const name of names) {
      const i = keys.indexOf(name);
      if (i >= 0 && !used.has(i)) {
        map.set(field, i);
        used.add(i);
        break;
      }
    }
  }
  for (const [field, header] of Object.entries(overrides) as Array<[CsvField, string]>) {
    const i = headers.indexOf(header) >= 0 ? headers.indexOf(header) : keys.indexOf(headerKey(header));
    if (i >= 0) map.set(field, i);
  }
  return map;
}

/** Embase's CSV folds the citation into one `Source` cell: `Journal (2014) 3:3 (152-160). Date of Publication: 2014`. */
export function parseEmbaseSource(value: string): {
  journal?: string;
  year?: string;
  volume?: string;
  issue?: string;
  pages?: string;
} {
  const m = /^(.*?)\s*\((\d{4})\)\s*([^\s:(]+)?(?::([^\s(]+))?\s*(?:\(([^)]*)\))?/.exec(value.trim());
  if (!m) return { journal: value.trim() || undefined };
  return { journal: m[1] || undefined, year: m[2], volume: m[3], issue: m[4], pages: m[5] };
}
