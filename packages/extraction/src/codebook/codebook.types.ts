/**
 * A codebook is a coding framework: the fields a coder fills in for each included study.
 * Codebooks are immutable once used: an edit produces a new version (see codebook.version.ts),
 * and every coding records the version it was made against.
 */

/** One choice of a single- or multi-choice field. `parent` nests options (Table 1 subsets). */
export interface ChoiceOption {
  key: string;
  label: string;
  description?: string;
  parent?: string;
}

/** A node in a thematic code tree; `inductive` marks codes that emerged while coding. */
export interface CodeNode {
  key: string;
  label: string;
  description?: string;
  inductive?: boolean;
  children?: CodeNode[];
}

interface FieldBase {
  key: string;
  label: string;
  description?: string;
  required?: boolean;
}

export interface SingleChoiceField extends FieldBase {
  type: 'single_choice';
  options: ChoiceOption[];
}
export interface MultiChoiceField extends FieldBase {
  type: 'multi_choice';
  options: ChoiceOption[];
}
export interface TextField extends FieldBase {
  type: 'text';
}
export interface NumberField extends FieldBase {
  type: 'number';
  min?: number;
  max?: number;
  integer?: boolean;
}
export interface QuotationField extends FieldBase {
  type: 'quotation';
}
export interface CodeTreeField extends FieldBase {
  type: 'code_tree';
  codes: CodeNode[];
}

export type CodebookField =
  SingleChoiceField | MultiChoiceField | TextField | NumberField | QuotationField | CodeTreeField;

export type FieldType = CodebookField['type'];

export interface Codebook {
  /** Stable identity across versions, e.g. `influences-on-improvement`. */
  id: string;
  name: string;
  version: number;
  description?: string;
  /** Why this version exists (edit summary, approved emergent codes...). */
  changeNote?: string;
  fields: CodebookField[];
}

export const CATEGORICAL_TYPES: ReadonlySet<FieldType> = new Set([
  'single_choice',
  'multi_choice',
  'code_tree',
]);
