/**
 * Input of the PRISMA 2020 flow derivation: plain facts that a repository builds from the database and
 * the event log of one review. Every count in the diagram is derived from these lists, so every number
 * can be traced back to the records, reports and studies it counts.
 *
 * Words as in PRISMA 2020 (Page et al. 2021): a record is one entry from one source export, a report is
 * one document, a study is what is included (one study may have several reports).
 */

/**
 * Where a search's records come from. `database` and `register` feed the main column (deduplicated and
 * title/abstract screened). `website`, `organisation`, `citation` and `other` are PRISMA's "other
 * methods": their records go straight to report retrieval.
 */
export type SourceKind = 'database' | 'register' | 'website' | 'organisation' | 'citation' | 'other';

export const SOURCE_KINDS: readonly SourceKind[] = [
  'database',
  'register',
  'website',
  'organisation',
  'citation',
  'other',
];

export function isOtherMethod(kind: SourceKind): boolean {
  return kind !== 'database' && kind !== 'register';
}

/** One search (in Winnow: one import), as PRISMA-S asks it to be reported. */
export interface PrismaSearch {
  /** Import/search id; records point at it through `searchId`. */
  id: string;
  /** Source name as shown in the diagram, e.g. "MEDLINE", "ClinicalTrials.gov", "NICE website". */
  source: string;
  kind: SourceKind;
  /** Interface or platform, e.g. "Ovid", "EBSCOhost". */
  platform?: string | undefined;
  /** Date the search was run (ISO 8601 date). */
  date?: string | undefined;
  /** Full search strategy as run. */
  strategy?: string | undefined;
  /** Limits applied (dates, languages, publication types). */
  limits?: string | undefined;
  /** Number of records the source reported for the search (may differ from records imported). */
  recordsReported?: number | undefined;
}

/** Title/abstract outcome of a record that reached screening. */
export type ScreeningOutcome = 'included' | 'excluded_human' | 'excluded_automation';

/** One record of one import. */
export interface PrismaRecord {
  id: string;
  searchId: string;
  /** Id of the record kept in its place when this record was removed as a duplicate. */
  duplicateOf?: string | null | undefined;
  /** Removed before screening because an automation tool marked it ineligible. */
  removedByAutomation?: boolean | undefined;
  /** Removed before screening for another reason (the reason, e.g. "retracted"). */
  removedOtherReason?: string | null | undefined;
  /**
   * Title/abstract outcome; absent while screening is pending. `excluded_automation` is an exclusion
   * made by a tool during screening (e.g. records left unscreened after a stopping rule), shown apart
   * from human exclusions as PRISMA 2020 asks. Ignored for other-methods records (not screened).
   */
  screening?: ScreeningOutcome | null | undefined;
}

/**
 * One report sought for retrieval. From databases and registers: one per record included at title/
 * abstract screening. From other methods: one per record kept.
 */
export interface PrismaReport {
  id: string;
  /** The record the report was sought from; its search decides the column (databases or other). */
  recordId: string;
  /** true once the full text is in hand, false when it could not be retrieved, absent while pending. */
  retrieved?: boolean | null | undefined;
  /** Full-text eligibility outcome; absent while pending. */
  assessment?: 'included' | 'excluded' | null | undefined;
  /** Reason for exclusion at full text (required when `assessment` is 'excluded'). */
  exclusionReason?: string | null | undefined;
  /** Study the included report belongs to; an included report without one counts as its own study. */
  studyId?: string | null | undefined;
}

/** What the previous version of an updated review included. */
export interface PreviousVersion {
  studies: number;
  reports: number;
  /** Ids of previously included studies, when known: lets totals count a study found again once. */
  studyIds?: readonly string[] | undefined;
}

export interface PrismaInput {
  searches: readonly PrismaSearch[];
  records: readonly PrismaRecord[];
  reports: readonly PrismaReport[];
  /** Present for an updated review. */
  previous?: PreviousVersion | undefined;
  /** Studies/reports in a meta-analysis, if the lead records them (PRISMA2020 template rows `*_ma`). */
  metaAnalysis?: { studies: number; reports: number } | undefined;
}

/** A labelled count, e.g. one database or one exclusion reason. */
export interface NamedCount {
  name: string;
  n: number;
}

/**
 * Counts of one column from retrieval down (databases and registers, or other methods). Each box counts
 * what has happened; what is still under way is counted apart, so that
 * sought = notRetrieved + awaitingRetrieval + awaitingAssessment + assessed.
 */
export interface RetrievalCounts {
  /** Reports sought: one per record that reached full text. */
  sought: number;
  /** Reports whose full text could not be obtained. */
  notRetrieved: number;
  /** Reports with a full-text outcome (included or excluded). */
  assessed: number;
  /** Reports excluded at full text, one entry per reason, largest first. */
  excluded: NamedCount[];
  /** In progress: reports sought with no full text recorded yet (neither found nor marked not retrieved). */
  awaitingRetrieval: number;
  /** In progress: reports whose full text is in hand but with no full-text outcome yet (votes or conflict). */
  awaitingAssessment: number;
}

/**
 * Every number of a PRISMA 2020 flow diagram. Built by `derivePrismaFlow` or read from a PRISMA2020
 * template CSV (work done outside Winnow); renderers and exporters take only this.
 */
export interface PrismaCounts {
  /** Present for an updated review (adds the previous-studies column and the totals box). */
  previous?: { studies: number; reports: number } | undefined;
  databases: NamedCount[];
  registers: NamedCount[];
  databaseTotal: number;
  registerTotal: number;
  duplicates: number;
  removedByAutomation: number;
  removedOther: number;
  /** Records with a title/abstract outcome (included or excluded, settled). */
  screened: number;
  /**
   * In progress: records kept for screening (databases and registers) with no title/abstract outcome
   * yet, those in conflict included. identified - removed = screened + awaitingScreening.
   */
  awaitingScreening: number;
  /** All records excluded at title/abstract (human + automation). */
  recordsExcluded: number;
  /** Of `recordsExcluded`, how many a tool excluded; absent when unknown (imported counts). */
  excludedByAutomation?: number | undefined;
  dbr: RetrievalCounts;
  /** Present when other methods were used (adds the other-methods column). */
  other?:
    | (RetrievalCounts & {
        /** Records per kind that go on to retrieval: duplicates and records screened out are left out. */
        websites: number;
        organisations: number;
        citations: number;
        /** Other-methods records that duplicate a record found elsewhere: not sought (no template row). */
        duplicates: number;
        /**
         * Other-methods records excluded at title/abstract (when the team screened them): not sought,
         * no template row.
         */
        screenedOut: number;
        /**
         * In progress: other-methods records kept that have neither a title/abstract outcome nor a
         * report yet.
         */
        awaitingScreening: number;
        /** Records identified per source, duplicates included. */
        sources: NamedCount[];
      })
    | undefined;
  newStudies: number;
  newReports: number;
  totalStudies: number;
  totalReports: number;
  metaAnalysis?: { studies: number; reports: number } | undefined;
}

export type PrismaWarningCode =
  | 'IDENTIFIED_MINUS_REMOVED_NE_SCREENED'
  | 'SCREENED_MINUS_EXCLUDED_NE_SOUGHT'
  | 'SOUGHT_MINUS_NOT_RETRIEVED_NE_ASSESSED'
  | 'ASSESSED_MINUS_EXCLUDED_NE_INCLUDED'
  | 'STUDIES_GT_REPORTS'
  | 'OTHER_IDENTIFIED_NE_SOUGHT'
  | 'UNKNOWN_SEARCH'
  | 'UNKNOWN_RECORD'
  | 'MISSING_EXCLUSION_REASON'
  | 'REPORT_WITHOUT_STUDY'
  | 'REPORTED_NE_IMPORTED'
  | 'SPECIFIC_NE_TOTAL';

/** One record, report, study or search a warning names, as people name it. */
export interface PrismaWarningItem {
  id: string;
  kind: 'record' | 'report' | 'study' | 'search';
  /** Short citation (first author, year, title) of the record (a report's: its record's), a study's label or a search's source. */
  citation: string;
  /** The box whose list shows it (a box key of `PrismaFlow.ids`), or null when no box counts it. */
  box: string | null;
}

/** A broken invariant or a gap in the record, naming what to look at. */
export interface PrismaWarning {
  code: PrismaWarningCode;
  message: string;
  /** Record, report or study ids (see `idKind`) that break the invariant. */
  ids: string[];
  idKind: 'record' | 'report' | 'study' | 'search';
  /** The first ids named by citation, with the box that lists each (added where the database is at hand). */
  items?: PrismaWarningItem[] | undefined;
}

/**
 * Box keys: the PRISMA2020 template's `data` keys, plus `<key>:<name>` for one source or reason
 * (e.g. `database_results:MEDLINE`, `dbr_excluded:Wrong population`), `records_excluded_human`,
 * `records_excluded_automation`, `records_included`, and the in-progress lists `records_awaiting`,
 * `dbr_awaiting_retrieval`, `dbr_awaiting_assessment`, `other_records_awaiting`,
 * `other_awaiting_retrieval`, `other_awaiting_assessment`.
 */
export type PrismaBoxKey = string;

export interface PrismaFlow {
  counts: PrismaCounts;
  /** true while some record or report has no outcome yet (see `isInProgress`). */
  inProgress: boolean;
  /** Ids each box counts: record ids up to screening, report ids from retrieval on, study ids for studies. */
  ids: Record<PrismaBoxKey, string[]>;
  warnings: PrismaWarning[];
}

/** true while some record or report in the counts has no outcome yet: the diagram is not final. */
export function isInProgress(c: PrismaCounts): boolean {
  return (
    c.awaitingScreening +
      c.dbr.awaitingRetrieval +
      c.dbr.awaitingAssessment +
      (c.other ? c.other.awaitingScreening + c.other.awaitingRetrieval + c.other.awaitingAssessment : 0) >
    0
  );
}
