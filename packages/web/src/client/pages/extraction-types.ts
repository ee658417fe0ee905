// Client-side shapes of the extraction API (the server's types live in @winnow/extraction, which
// the browser bundle must not import: it pulls in exceljs and node:fs).
export interface Option {
  key: string;
  label: string;
  parent?: string;
}
export interface CodeNode {
  key: string;
  label: string;
  inductive?: boolean;
  children?: CodeNode[];
}
export type Field = { key: string; label: string; description?: string; required?: boolean } & (
  | { type: 'single_choice' | 'multi_choice'; options: Option[] }
  | { type: 'text' | 'quotation' }
  | { type: 'number'; min?: number; max?: number; integer?: boolean }
  | { type: 'code_tree'; codes: CodeNode[] }
);
export interface Codebook {
  id: string;
  name: string;
  version: number;
  fields: Field[];
}
export interface Quote {
  text: string;
  page?: number;
  location?: string;
}
export interface CodeApplication {
  code: string;
  quotes: Quote[];
  inductive?: boolean;
}
export type FieldValue =
  | { type: 'single_choice'; option: string | null }
  | { type: 'multi_choice'; options: string[] }
  | { type: 'text'; text: string }
  | { type: 'number'; value: number | null }
  | { type: 'quotation'; quotes: Quote[] }
  | { type: 'code_tree'; applications: CodeApplication[] };
export type Values = Record<string, FieldValue>;
export interface Study {
  id: string;
  number: number;
  label: string;
  citation: string;
  title: string;
  abstract: string | null;
  reportIds: string[];
  /** The study's reports: the record each came from, its title and abstract, its file. */
  reports: {
    id: string;
    recordId: string | null;
    title: string;
    abstract: string | null;
    fullText: { fileName: string | null; mediaType: string | null } | null;
  }[];
  fullText: { blobId: string; fileName: string | null; mediaType: string | null } | null;
  progress?: { assigned: number; submitted: number; consensus: boolean } | null;
  myStatus?: string;
}
export interface EmergentCode {
  id: string;
  fieldKey: string;
  parentKey: string | null;
  key: string;
  label: string;
  status: string;
  proposedBy: string;
}

export function optionDepth(options: Option[], key: string): number {
  let depth = 0;
  let p = options.find((o) => o.key === key)?.parent;
  while (p !== undefined && depth < 20) {
    depth++;
    p = options.find((o) => o.key === p)?.parent;
  }
  return depth;
}

/**
 * The label of an option or code key as a person reads it, within its field (`design`,
 * `academic.systematic_review` -> "Systematic review"), from every codebook version given (later
 * ones win) and the emergent codes. Per field: two questions may use the same key for different
 * answers ("international" under Geography and under Relevance), and one field's label must never
 * stand for another's answer.
 */
export type CodeLabels = (field: string, key: string) => string | undefined;

export function codeLabels(books: readonly Codebook[], emergent: readonly EmergentCode[] = []): CodeLabels {
  const byField = new Map<string, Map<string, string>>();
  const of = (field: string): Map<string, string> => {
    let labels = byField.get(field);
    if (!labels) byField.set(field, (labels = new Map()));
    return labels;
  };
  const walk = (labels: Map<string, string>, nodes: readonly CodeNode[]) => {
    for (const n of nodes) {
      labels.set(n.key, n.label);
      if (n.children) walk(labels, n.children);
    }
  };
  for (const e of emergent) of(e.fieldKey).set(e.key, e.label);
  for (const book of books)
    for (const f of book.fields) {
      if (f.type === 'single_choice' || f.type === 'multi_choice')
        for (const o of f.options) of(f.key).set(o.key, o.label);
      if (f.type === 'code_tree') walk(of(f.key), f.codes);
    }
  return (field, key) => byField.get(field)?.get(key);
}

/**
 * A report's title to quote inside a sentence: records' titles often end with a full stop, which
 * doubled up with the sentence's own punctuation (“…of reviews.”. or “…for practice., p. 1”).
 */
export const titleInSentence = (title: string): string => title.trim().replace(/\.$/, '');

/** Where a quotation was found, in words: "Report 2: Trial results, p. 3". */
export const quoteWhere = (q: Quote): string =>
  [q.location, q.page !== undefined ? `p. ${q.page}` : ''].filter(Boolean).join(', ');
