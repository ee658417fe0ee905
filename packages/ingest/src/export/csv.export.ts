import { stringify } from 'csv-stringify/sync';
import { publicationTypeToRis } from '../normalise/publication-type.ts';
import type { NormalisedRecord } from '../record.types.ts';
import { exportText } from './ris.export.ts';

/** Headers Winnow's CSV reader maps back without a column mapping. */
export const CSV_HEADERS = [
  'Title',
  'Authors',
  'Year',
  'Journal',
  'Journal Abbreviation',
  'Volume',
  'Issue',
  'Pages',
  'DOI',
  'PMID',
  'PMCID',
  'ISSN',
  'ISBN',
  'Keywords',
  'MeSH',
  'Language',
  'RIS Type',
  'Publication Type',
  'URL',
  'Database',
  'Platform',
  'Publisher',
  'Abstract',
];

function authorsCell(r: NormalisedRecord): string {
  const names = r.authors.map((a) => a.asWritten);
  // A lone author gets a trailing `;` so `Family, Given` is not read back as two names.
  return names.length === 1 ? `${names[0]};` : names.join('; ');
}

export function recordToCsvRow(r: NormalisedRecord): string[] {
  return [
    exportText(r.title, r.titleHtml) ?? '',
    authorsCell(r),
    r.year?.toString() ?? '',
    r.journal ?? '',
    r.journalAbbrev ?? '',
    r.volume ?? '',
    r.issue ?? '',
    r.pages?.asWritten ?? '',
    r.doi ?? '',
    r.pmid ?? '',
    r.pmcid ?? '',
    (r.issn ?? []).join('; '),
    (r.isbn ?? []).join('; '),
    r.keywords.join('; '),
    r.mesh.join('; '),
    r.language ?? '',
    publicationTypeToRis(r.publicationType),
    (r.publicationTypesRaw ?? []).join('; '),
    r.url ?? '',
    r.source.database ?? '',
    r.source.platform ?? '',
    r.publisher ?? '',
    exportText(r.abstract, r.abstractHtml) ?? '',
  ];
}

/**
 * CSV rows for spreadsheets: cells starting with = + - @ are neutralised (escape_formulas). The
 * header row is CSV_HEADERS, then `moreHeaders` for columns a caller adds after the record's own.
 */
export function csvRows(rows: string[][], withHeader: boolean, moreHeaders: readonly string[] = []): string {
  return stringify(withHeader ? [[...CSV_HEADERS, ...moreHeaders], ...rows] : rows, {
    escape_formulas: true,
    record_delimiter: '\n',
    // A lone \r in a title still breaks a spreadsheet row: quote it (naming the delimiter stops
    // csv-stringify doing so), or "x\r@SUM(…)" would start a row with a formula.
    quote_record_delimiter: true,
  });
}

export function recordsToCsv(records: Iterable<NormalisedRecord>): string {
  const rows: string[][] = [];
  for (const r of records) rows.push(recordToCsvRow(r));
  return csvRows(rows, true);
}
