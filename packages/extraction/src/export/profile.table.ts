import { WinnowError } from '@winnow/core';
import { flattenCodes, getField, optionLineage } from '../codebook/codebook.lookup.ts';
import type { Codebook, CodebookField } from '../codebook/codebook.types.ts';
import { selectedKeys } from '../agreement/value-compare.ts';
import { countWithReferences } from './ranges.ts';
import type { Cell, ExportStudy, Table } from './table.types.ts';
import type { CodedStudy } from './wide.table.ts';

export interface ProfileOptions {
  /** The categorical field whose categories are the rows (e.g. `publication_type`). */
  field: string;
  /**
   * Optional split into columns by another choice field, e.g. Table 2's academic vs grey
   * literature columns from the top-level `publication_type` categories (`level: 'root'`).
   */
  columnsBy?: { field: string; level: 'root' | 'option' };
}

interface Category {
  key: string;
  label: string;
  depth: number;
}

/** Rows in codebook order with nesting depth; code trees and option parents alike. */
function categories(field: CodebookField): Category[] {
  if (field.type === 'single_choice' || field.type === 'multi_choice')
    return field.options.map((o) => ({
      key: o.key,
      label: o.label,
      depth: optionLineage(field.options, o.key).length - 1,
    }));
  if (field.type === 'code_tree')
    return flattenCodes(field.codes).map((c) => ({ key: c.key, label: c.label, depth: c.depth }));
  throw new WinnowError(
    'VALIDATION',
    `A profile table needs a categorical field; "${field.key}" is ${field.type}`,
    {
      location: { field: field.key },
    },
  );
}

/**
 * Every category a study falls in, parents included: Table 1's "Review of reviews" counts its
 * subsets. Built once per field (lineages precomputed), so a table costs O(studies x categories).
 */
function membershipFn(field: CodebookField): (study: CodedStudy | undefined) => Set<string> {
  const lineage = new Map<string, string[]>();
  if (field.type === 'code_tree')
    for (const c of flattenCodes(field.codes)) lineage.set(c.key, [c.key, ...c.ancestors]);
  else if (field.type === 'single_choice' || field.type === 'multi_choice')
    for (const o of field.options) lineage.set(o.key, optionLineage(field.options, o.key));
  return (study) => {
    const out = new Set<string>();
    if (!study) return out;
    for (const k of selectedKeys(study.values[field.key])) for (const a of lineage.get(k) ?? [k]) out.add(a);
    return out;
  };
}

/**
 * Counts of studies per category with their reference numbers, like the seed review's
 * Tables 1 and 2 (`11 [15-25]`). A study with several categories counts in each.
 */
export function profileTable(
  book: Codebook,
  studies: ExportStudy[],
  coded: CodedStudy[],
  opts: ProfileOptions,
): Table {
  const field = getField(book, opts.field);
  const rowsCats = categories(field);
  const byStudy = new Map(coded.map((c) => [c.studyId, c]));
  const memberOf = membershipFn(field);
  const numbered = studies.map((s, i) => {
    const coded = byStudy.get(s.studyId);
    return { study: s, number: s.number ?? i + 1, coded, cats: memberOf(coded) };
  });

  let groups: Array<{ key: string; label: string; member: (n: (typeof numbered)[number]) => boolean }> = [];
  if (opts.columnsBy) {
    const colField = getField(book, opts.columnsBy.field);
    if (colField.type !== 'single_choice' && colField.type !== 'multi_choice')
      throw new WinnowError(
        'VALIDATION',
        `Profile columns need a choice field; "${colField.key}" is ${colField.type}`,
        {
          location: { field: colField.key },
        },
      );
    const level = opts.columnsBy.level;
    const cols = colField.options.filter((o) => level === 'option' || o.parent === undefined);
    const colOf = membershipFn(colField);
    const colCats = new Map(numbered.map((n) => [n, colOf(n.coded)]));
    groups = cols.map((o) => ({
      key: o.key,
      label: o.label,
      member: (n) => colCats.get(n)?.has(o.key) ?? false,
    }));
  }
  const columns = ['category_key', 'category', 'level', ...groups.map((g) => g.label), 'total'];

  const cell = (pred: (n: (typeof numbered)[number]) => boolean): string =>
    countWithReferences(numbered.filter(pred).map((n) => n.number));
  const rows: Cell[][] = rowsCats.map((cat) => {
    const inCat = (n: (typeof numbered)[number]): boolean => n.cats.has(cat.key);
    return [
      cat.key,
      cat.label,
      cat.depth,
      ...groups.map((g) => cell((n) => inCat(n) && g.member(n))),
      cell(inCat),
    ];
  });
  const coded_ = (n: (typeof numbered)[number]): boolean => n.cats.size > 0;
  rows.push([
    '',
    'Total (studies coded)',
    0,
    ...groups.map((g) => cell((n) => coded_(n) && g.member(n))),
    cell(coded_),
  ]);
  return { name: `profile ${field.key}`.slice(0, 31), columns, rows };
}
