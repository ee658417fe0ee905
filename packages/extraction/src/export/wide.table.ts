import { CATEGORICAL_TYPES, type Codebook } from '../codebook/codebook.types.ts';
import type { Coding } from '../coding/coding.types.ts';
import { keysInOrder, selectedKeys } from '../agreement/value-compare.ts';
import { formatValue } from './cell-format.ts';
import type { Cell, ExportStudy, Table } from './table.types.ts';

/** The coded values of one study: a consensus record or, for single coding, the one coding. */
export type CodedStudy = Pick<Coding, 'studyId' | 'coderId' | 'codebookVersion' | 'values'>;

export interface WideOptions {
  /** Multi-choice and code-tree fields: one 0/1 column per option, or one column of joined labels. */
  multi: 'binary' | 'joined';
}

/** One row per included study, one column per field (or per option in binary mode). */
export function wideTable(
  book: Codebook,
  studies: ExportStudy[],
  coded: CodedStudy[],
  opts: WideOptions,
): Table {
  const byStudy = new Map(coded.map((c) => [c.studyId, c]));
  const columns = ['study_id', 'study_number', 'citation', 'report_ids', 'codebook_version', 'coded_by'];
  const builders: Array<(c: CodedStudy | undefined) => Cell[]> = [];
  for (const field of book.fields) {
    const binary =
      opts.multi === 'binary' && CATEGORICAL_TYPES.has(field.type) && field.type !== 'single_choice';
    if (!binary) {
      columns.push(field.key);
      builders.push((c) => [formatValue(field, c?.values[field.key])]);
      continue;
    }
    // Inductive codes not yet in the codebook still get a column, after the deductive ones.
    const keys = keysInOrder(
      field,
      coded.map((c) => c.values[field.key]),
    );
    columns.push(...keys.map((k) => `${field.key}:${k}`));
    builders.push((c) => {
      if (!c) return keys.map(() => null);
      const chosen = new Set(selectedKeys(c.values[field.key]));
      return keys.map((k) => (chosen.has(k) ? 1 : 0));
    });
  }
  const rows = studies.map((s, i): Cell[] => {
    const c = byStudy.get(s.studyId);
    return [
      s.studyId,
      s.number ?? i + 1,
      s.citation,
      s.reportIds.join(' '),
      c?.codebookVersion ?? null,
      c?.coderId ?? null,
      ...builders.flatMap((b) => b(c)),
    ];
  });
  return { name: 'wide', columns, rows };
}
