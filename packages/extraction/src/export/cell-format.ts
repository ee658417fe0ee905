import { categoryLabel } from '../codebook/codebook.lookup.ts';
import type { CodebookField } from '../codebook/codebook.types.ts';
import type { FieldValue, Quote } from '../coding/coding.types.ts';
import type { Cell } from './table.types.ts';

export const JOIN = '; ';

export function formatLocation(q: Quote): string {
  return [q.page !== undefined ? `p. ${q.page}` : '', q.location ?? ''].filter(Boolean).join(', ');
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
