import type { ParseDiagnostic, ParsedRecord } from '../record.types.ts';
import type { ParseLimits } from './limits.ts';

/** Where a format reader sends what it finds; readers never throw for one bad record. */
export interface RecordSink {
  record(r: ParsedRecord): void;
  diagnostic(d: ParseDiagnostic): void;
}

/**
 * A push-based reader for one format: text chunks in (line ends already `\n`), records out through
 * the sink. Synchronous per chunk so a chunk's work is bounded; the caller yields between chunks.
 */
export interface FormatReader {
  push(text: string): void | Promise<void>;
  end(): void | Promise<void>;
}

/** Column mapping for CSV: NormalisedRecord-ish field name -> header as written in the file. */
export type CsvColumnMapping = Partial<Record<CsvField, string>>;
export type CsvField =
  | 'title'
  | 'abstract'
  | 'authors'
  | 'year'
  | 'journal'
  | 'journalAbbrev'
  | 'publisher'
  | 'volume'
  | 'issue'
  | 'pages'
  | 'startPage'
  | 'endPage'
  | 'articleNumber'
  | 'doi'
  | 'url'
  | 'pmid'
  | 'pmcid'
  | 'issn'
  | 'isbn'
  | 'keywords'
  | 'mesh'
  | 'language'
  | 'publicationType'
  | 'risType'
  | 'database'
  | 'platform'
  | 'titleHtml'
  | 'abstractHtml';

export interface ReaderOptions {
  fileName?: string;
  /** CSV only: override the auto-guessed column mapping. */
  columns?: CsvColumnMapping;
  /** Field, record and import size limits (DEFAULT_PARSE_LIMITS for any not given). */
  limits?: Partial<ParseLimits>;
}
