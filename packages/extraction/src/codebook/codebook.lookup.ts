import { WinnowError } from '@winnow/core';
import type { ChoiceOption, Codebook, CodebookField, CodeNode } from './codebook.types.ts';

export interface FlatCode {
  key: string;
  label: string;
  depth: number;
  /** Keys from the root down to this code's parent. */
  ancestors: string[];
  inductive: boolean;
}

/** Depth-first, parents before children: the order codes appear in forms and exports. */
export function flattenCodes(codes: CodeNode[], ancestors: string[] = []): FlatCode[] {
  return codes.flatMap((c) => [
    { key: c.key, label: c.label, depth: ancestors.length, ancestors, inductive: c.inductive === true },
    ...flattenCodes(c.children ?? [], [...ancestors, c.key]),
  ]);
}

export function getField(book: Codebook, fieldKey: string): CodebookField {
  const field = book.fields.find((f) => f.key === fieldKey);
  if (!field)
    throw new WinnowError(
      'NOT_FOUND',
      `The codebook “${book.name}” (version ${book.version}) has no field "${fieldKey}"`,
      {
        location: { field: fieldKey },
      },
    );
  return field;
}

/** The keys a categorical field accepts, in display order. */
export function categoryKeys(field: CodebookField): string[] {
  if (field.type === 'single_choice' || field.type === 'multi_choice') return field.options.map((o) => o.key);
  if (field.type === 'code_tree') return flattenCodes(field.codes).map((c) => c.key);
  return [];
}

export function categoryLabel(field: CodebookField, key: string): string {
  if (field.type === 'single_choice' || field.type === 'multi_choice')
    return field.options.find((o) => o.key === key)?.label ?? key;
  if (field.type === 'code_tree') return flattenCodes(field.codes).find((c) => c.key === key)?.label ?? key;
  return key;
}

/** Option keys from the option itself up to its root (Table 1's subsets roll up into categories). */
export function optionLineage(options: ChoiceOption[], key: string): string[] {
  const byKey = new Map(options.map((o) => [o.key, o]));
  const out: string[] = [];
  for (let k: string | undefined = key; k !== undefined && !out.includes(k); k = byKey.get(k)?.parent)
    out.push(k);
  return out;
}

export function optionDepth(options: ChoiceOption[], key: string): number {
  return optionLineage(options, key).length - 1;
}
