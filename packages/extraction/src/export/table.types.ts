/** Export cells are plain strings or numbers, never formulas or rich objects. */
export type Cell = string | number | null;

/** A rectangular export: one header row of column keys, then rows of cells. */
export interface Table {
  /** Short name, used as the XLSX sheet name and the JSON key. */
  name: string;
  columns: string[];
  rows: Cell[][];
}

/** What an export needs to know about each included study besides its coding. */
export interface ExportStudy {
  studyId: string;
  /** Reference number used in profile tables (`[15-25]`); defaults to position + 1. */
  number?: number;
  citation: string;
  reportIds: string[];
}
