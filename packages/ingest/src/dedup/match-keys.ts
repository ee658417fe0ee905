import type { NormalisedRecord } from '../record.types.ts';
import { authorKey, type AuthorKey } from './author-key.ts';
import { doiKey, pmidKey } from './identifiers.ts';
import { journalTokens } from './journal-key.ts';
import { numberingKey, pagesKey, type PagesKey } from './pages-key.ts';
import { reportKind, type ReportKind } from './report-kind.ts';
import { compactTitle, stripTitleAnnotations, titleKey } from './title-key.ts';

/** Everything matching needs from one record, computed once. */
export interface MatchKeys {
  compactTitle: string;
  titleWords: number;
  authors: AuthorKey[];
  year?: number;
  journal: string[];
  journalAbbrev: string[];
  /** Numbers in the volume field; two records agree when they share one. */
  volume: number[];
  issue?: number;
  /** Supplement number from the volume or issue (0: a supplement without a number). */
  supplement?: number;
  /** The record sits in a supplement: said in the volume, the issue or by `S`/`i`-prefixed pages. */
  inSupplement: boolean;
  pages: PagesKey;
  doi?: string;
  /** Set by `dedupe` when the DOI is carried by records of different reports in the same import. */
  doiShared?: number;
  pmid?: string;
  kind: ReportKind;
}

export function matchKeys(record: NormalisedRecord): MatchKeys {
  const title = titleKey(record.title);
  const doi = doiKey(record.doi);
  const pmid = pmidKey(record.pmid);
  const volume = numberingKey(record.volume, record.year);
  const issue = numberingKey(record.issue);
  const supplement = volume.supplement ?? issue.supplement;
  const pages = pagesKey(record.pages?.asWritten, record.pages?.start, record.pages?.end);
  return {
    compactTitle: compactTitle(title),
    titleWords: title ? title.split(' ').length : 0,
    // Only the first ten names are ever compared; keeping fewer matters at a million records.
    authors: record.authors.slice(0, 10).map(authorKey),
    ...(record.year !== undefined ? { year: record.year } : {}),
    journal: journalTokens(record.journal ?? ''),
    journalAbbrev: journalTokens(record.journalAbbrev ?? ''),
    volume: volume.numbers,
    ...(issue.numbers[0] !== undefined ? { issue: issue.numbers[0] } : {}),
    ...(supplement !== undefined ? { supplement } : {}),
    inSupplement: supplement !== undefined || pages.prefix === 's' || pages.lookalike !== undefined,
    pages,
    ...(doi ? { doi } : {}),
    ...(pmid ? { pmid } : {}),
    kind: reportKind(record, doi, stripTitleAnnotations(record.title)),
  };
}
