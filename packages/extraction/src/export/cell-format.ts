import { categoryLabel } from '../codebook/codebook.lookup.ts';
import type { CodebookField } from '../codebook/codebook.types.ts';
import type { FieldValue, Quote } from '../coding/coding.types.ts';
import type { Cell } from './table.types.ts';

export const JOIN = '; ';

/**
 * Where a quotation was found: its location, then its page ("Report 2: Trial results, p. 3"), as
 * the coding page and the report's evidence section say it; the page is of the report named.
 */
export function formatLocation(q: Quote): string {
  return [q.location ?? '', q.page !== undefined ? `p. ${q.page}` : ''].filter(Boolean).join(', ');
}

export function formatQuote(q: Quote): string {
  const where = formatLocation(q);
  return where ? `"${q.text}" (${where})` : `"${q.text}"`;
}

/** One field as one cell: option labels joined, numbers as numbers, quotations with location. */
export function formatValue(field: CodebookField, value: FieldValue | undefined): Cell {
  if (!value) return null;
  switch (value.type) {
    case 'single_choice':
      return value.option === null ? null : categoryLabel(field, value.option);
    case 'multi_choice':
      return value.options.map((o) => categoryLabel(field, o)).join(JOIN);
    case 'code_tree':
      return value.applications.map((a) => categoryLabel(field, a.code)).join(JOIN);
    case 'text':
      return value.text;
    case 'number':
      return value.value;
    case 'quotation':
      return value.quotes.map(formatQuote).join(' | ');
  }
}
