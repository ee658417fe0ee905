/** One author as written in the source, split where the source allows. */
export interface Author {
  family: string;
  given?: string;
  /** Exactly as the source wrote it (`Shahtalebi MA`, `Shahtalebi, Mohammad Ali`). */
  asWritten: string;
}

export type PublicationType =
  | 'journal-article'
  | 'review'
  | 'conference-abstract'
  | 'conference-paper'
  | 'book'
  | 'book-chapter'
  | 'report'
  | 'thesis'
  | 'preprint'
  | 'erratum'
  | 'retraction'
  | 'letter'
  | 'editorial'
  | 'web-page'
  | 'other';

/**
 * A record after parsing and normalising: the same shape whatever the source format.
 * Only `title`, `authors`, `keywords`, `mesh`, `raw` and `source` are always present.
 */
export interface NormalisedRecord {
  /** Plain text for matching and display fallback. */
  title: string;
  /** Sanitised markup (only <i>, <b>, <sup>, <sub>) when the source had markup. */
  titleHtml?: string;
  abstract?: string;
  abstractHtml?: string;
  authors: Author[];
  year?: number;
  journal?: string;
  journalAbbrev?: string;
  /** Who published or issued it, as written: a publisher, or the organisation behind a report. */
  publisher?: string;
  volume?: string;
  issue?: string;
  /** Pages as written, and expanded start/end (`245-59` -> 245, 259); article numbers kept in `start`. */
  pages?: { asWritten: string; start?: string; end?: string };
  /** Lower case, no URL prefix, no `[doi]`. */
  doi?: string;
  pmid?: string;
  pmcid?: string;
  issn?: string[];
  isbn?: string[];
  keywords: string[];
  mesh: string[];
  language?: string;
  publicationType?: PublicationType;
  /** The publication types exactly as the source named them. */
  publicationTypesRaw?: string[];
  url?: string;
  /** e.g. { database: 'MEDLINE', platform: 'Ovid' } as far as the export says. */
  source: { database?: string; platform?: string; format: string };
  /** The source record verbatim. */
  raw: string;
}

/** A parsed record with where it came from in its file. */
export interface ParsedRecord {
  record: NormalisedRecord;
  /** 1-based position of the record in its file. */
  index: number;
  /** 1-based line where the record starts (for text formats). */
  line?: number;
}

export interface ParseDiagnostic {
  severity: 'warning' | 'error';
  /** 1-based record position, when the diagnostic is about one record. */
  record?: number;
  line?: number;
  field?: string;
  message: string;
  /**
   * Set on the diagnostic that says a damaged record (unbalanced braces or quotes, a missing end
   * tag, an unclosed element, a truncated line) was skipped, or kept with what could be read of it.
   */
  damage?: 'skipped' | 'repaired';
}
