import { flattenCodes, type FlatCode } from '../codebook/codebook.lookup.ts';
import type { Codebook, CodebookField } from '../codebook/codebook.types.ts';
import type { FieldValue, Quote } from '../coding/coding.types.ts';
import { formatLocation } from './cell-format.ts';
import type { Cell, ExportStudy, Table } from './table.types.ts';
import type { CodedStudy } from './wide.table.ts';

export const LONG_COLUMNS = [
  'study_id',
  'study_number',
  'coder',
  'codebook_version',
  'field',
  'field_label',
  'code',
  'code_label',
  'parent_code',
  'inductive',
  'value',
  'quotation',
  'page',
  'location',
  'note',
] as const;

interface Application {
  code: string | null;
  label: string | null;
  parent: string | null;
  inductive: boolean;
  value: Cell;
  quotes: Quote[];
  note: string | null;
}

/**
 * One row per code application (per quotation when a code has several), for every coder's
 * coding and/or the consensus, each row carrying its coder and codebook version. Codings may
 * be against different versions: labels come from the version each was made against.
 */
export function longTable(books: Codebook[], studies: ExportStudy[], coded: CodedStudy[]): Table {
  const number = new Map(studies.map((s, i) => [s.studyId, s.number ?? i + 1]));
  const order = new Map(studies.map((s, i) => [s.studyId, i]));
  const versions = new Map(books.map((b) => [b.version, b]));
  const sorted = [...coded].sort(
    (a, b) =>
      (order.get(a.studyId) ?? Infinity) - (order.get(b.studyId) ?? Infinity) ||
      a.coderId.localeCompare(b.coderId),
  );
  const rows: Cell[][] = [];
  for (const c of sorted) {
    const book = versions.get(c.codebookVersion);
    if (!book) continue;
    for (const field of book.fields) {
      for (const app of applications(field, c.values[field.key], codeIndex(book, field))) {
        const quotes: Array<Quote | null> = app.quotes.length > 0 ? app.quotes : [null];
        for (const q of quotes)
          rows.push([
            c.studyId,
            number.get(c.studyId) ?? null,
            c.coderId,
            c.codebookVersion,
            field.key,
            field.label,
            app.code,
            app.label,
            app.parent,
            app.inductive ? 1 : 0,
            app.value,
            q?.text ?? null,
            q?.page ?? null,
            q ? formatLocation({ ...q, page: undefined }) || null : null,
            app.note,
          ]);
      }
    }
  }
  return { name: 'long', columns: [...LONG_COLUMNS], rows };
}

const codeIndexes = new WeakMap<CodebookField, Map<string, FlatCode>>();

/** Code lookups per field, built once per codebook field rather than per application. */
function codeIndex(_book: Codebook, field: CodebookField): Map<string, FlatCode> {
  let index = codeIndexes.get(field);
  if (!index) {
    index = new Map(field.type === 'code_tree' ? flattenCodes(field.codes).map((f) => [f.key, f]) : []);
    codeIndexes.set(field, index);
  }
  return index;
}

function applications(
  field: CodebookField,
  value: FieldValue | undefined,
  flat: Map<string, FlatCode>,
): Application[] {
  if (!value) return [];
  const plain = { parent: null, inductive: false, quotes: [] as Quote[], note: null };
  const optionLabel = (k: string): string =>
    field.type === 'single_choice' || field.type === 'multi_choice'
      ? (field.options.find((o) => o.key === k)?.label ?? k)
      : k;
  switch (value.type) {
    case 'single_choice':
      return value.option === null
        ? []
        : [{ ...plain, code: value.option, label: optionLabel(value.option), value: null }];
    case 'multi_choice':
      return value.options.map((o) => ({ ...plain, code: o, label: optionLabel(o), value: null }));
    case 'text':
      return value.text.trim() === '' ? [] : [{ ...plain, code: null, label: null, value: value.text }];
    case 'number':
      return value.value === null ? [] : [{ ...plain, code: null, label: null, value: value.value }];
    case 'quotation':
      return value.quotes.length === 0
        ? []
        : [{ ...plain, code: null, label: null, value: null, quotes: value.quotes }];
    case 'code_tree': {
      return value.applications.map((a) => {
        const f = flat.get(a.code);
        return {
          code: a.code,
          label: f?.label ?? a.code,
          parent: f?.ancestors.at(-1) ?? null,
          inductive: a.inductive === true || f?.inductive === true,
          value: null,
          quotes: a.quotes,
          note: a.note ?? null,
        };
      });
    }
  }
}
