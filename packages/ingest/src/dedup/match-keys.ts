import type { NormalisedRecord } from '../record.types.ts';
import { authorKey, type AuthorKey } from './author-key.ts';
import { doiKey, pmidKey } from './identifiers.ts';
import { journalTokens } from './journal-key.ts';
import { pagesKey, volumeKey, type PagesKey } from './pages-key.ts';
import { reportKind, type ReportKind } from './report-kind.ts';
import { compactTitle, titleKey } from './title-key.ts';

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
  pages: PagesKey;
  doi?: string;
  pmid?: string;
  kind: ReportKind;
}

export function matchKeys(record: NormalisedRecord): MatchKeys {
  const title = titleKey(record.title);
  const doi = doiKey(record.doi);
  const pmid = pmidKey(record.pmid);
  const issue = record.issue ? /\d+/.exec(record.issue) : null;
  return {
    compactTitle: compactTitle(title),
    titleWords: title ? title.split(' ').length : 0,
    // Only the first ten names are ever compared; keeping fewer matters at a million records.
    authors: record.authors.slice(0, 10).map(authorKey),
    ...(record.year !== undefined ? { year: record.year } : {}),
    journal: journalTokens(record.journal ?? ''),
    journalAbbrev: journalTokens(record.journalAbbrev ?? ''),
    volume: volumeKey(record.volume, record.year),
    ...(issue ? { issue: Number(issue[0]) } : {}),
    pages: pagesKey(record.pages?.asWritten, record.pages?.start, record.pages?.end),
    ...(doi ? { doi } : {}),
    ...(pmid ? { pmid } : {}),
    kind: reportKind(record, doi),
  };
}
