import { categoryKeys } from '../codebook/codebook.lookup.ts';
import type { CodebookField } from '../codebook/codebook.types.ts';
import type { FieldValue, Quote } from '../coding/coding.types.ts';

/** The set of category keys a categorical value selects (empty for none or no value). */
export function selectedKeys(value: FieldValue | undefined): string[] {
  if (!value) return [];
  if (value.type === 'single_choice') return value.option === null ? [] : [value.option];
  if (value.type === 'multi_choice') return [...value.options];
  if (value.type === 'code_tree') return value.applications.map((a) => a.code);
  return [];
}

const norm = (s: string): string => s.normalize('NFC').replace(/\s+/g, ' ').trim();
const quoteKey = (q: Quote): string => `${norm(q.text)}\u0000${q.page ?? ''}`;

/**
 * Whether two coders gave the same answer. Categorical fields compare the selected keys only
 * (which quotations each coder picked is merged in consensus, not counted as disagreement);
 * text compares after whitespace normalisation; quotations as sets of text+page.
 */
export function sameValue(
  field: CodebookField,
  a: FieldValue | undefined,
  b: FieldValue | undefined,
): boolean {
  switch (field.type) {
    case 'single_choice':
    case 'multi_choice':
    case 'code_tree': {
      const x = new Set(selectedKeys(a));
      const y = new Set(selectedKeys(b));
      return x.size === y.size && [...x].every((k) => y.has(k));
    }
    case 'text':
      return norm(a?.type === 'text' ? a.text : '') === norm(b?.type === 'text' ? b.text : '');
    case 'number':
      return (a?.type === 'number' ? a.value : null) === (b?.type === 'number' ? b.value : null);
    case 'quotation': {
      const x = new Set((a?.type === 'quotation' ? a.quotes : []).map(quoteKey));
      const y = new Set((b?.type === 'quotation' ? b.quotes : []).map(quoteKey));
      return x.size === y.size && [...x].every((k) => y.has(k));
    }
  }
}

/** Category keys in codebook order, then any inductive keys found in the data. */
export function keysInOrder(field: CodebookField, values: Array<FieldValue | undefined>): string[] {
  const keys = categoryKeys(field);
  const known = new Set(keys);
  for (const v of values)
    for (const k of selectedKeys(v))
      if (!known.has(k)) {
        known.add(k);
        keys.push(k);
      }
  return keys;
}
