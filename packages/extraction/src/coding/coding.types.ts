/** A passage from a report's full text, with where it was found. */
export interface Quote {
  text: string;
  page?: number;
  /** Free-form location (section, paragraph, figure...). */
  location?: string;
}

/** One code applied to a study, with the passages that justify it. */
export interface CodeApplication {
  code: string;
  quotes: Quote[];
  note?: string;
  /** The code is not in the codebook version yet: it emerged while coding (see emergent.ts). */
  inductive?: boolean;
}

export type FieldValue =
  | { type: 'single_choice'; option: string | null }
  | { type: 'multi_choice'; options: string[] }
  | { type: 'text'; text: string }
  | { type: 'number'; value: number | null }
  | { type: 'quotation'; quotes: Quote[] }
  | { type: 'code_tree'; applications: CodeApplication[] };

export type FieldValues = Record<string, FieldValue>;

/** One coder's independent coding of one study against one codebook version. */
export interface Coding {
  studyId: string;
  coderId: string;
  codebookId: string;
  codebookVersion: number;
  values: FieldValues;
}
