import { WinnowError } from '@winnow/core';
import { categoryKeys } from '../codebook/codebook.lookup.ts';
import type { Codebook, CodebookField } from '../codebook/codebook.types.ts';
import { checkFieldValue } from './coding.validate.ts';
import type { Coding, FieldValue, FieldValues } from './coding.types.ts';

/** Something a coder entered that the target version has no place for. */
export interface MigrationLoss {
  field: string;
  /** Option or code key when only part of a field's value was dropped. */
  item?: string;
  reason: string;
}

export interface MigrationResult {
  coding: Coding;
  lost: MigrationLoss[];
}

/** Renames applied before matching, for edits that rename rather than remove. */
export interface MigrationMap {
  fields?: Record<string, string>;
  /** Per (new) field key: old option/code key -> new key. */
  items?: Record<string, Record<string, string>>;
}

/**
 * Carries a coding to another version of its codebook, keeping everything that still fits
 * and reporting the rest. Pure: the caller decides whether to accept the losses.
 */
export function migrateCoding(coding: Coding, to: Codebook, map: MigrationMap = {}): MigrationResult {
  if (coding.codebookId !== to.id)
    throw new WinnowError('VALIDATION', `Cannot migrate a ${coding.codebookId} coding to codebook ${to.id}`);
  const lost: MigrationLoss[] = [];
  const values: FieldValues = {};
  const targets = new Map(to.fields.map((f) => [f.key, f]));
  for (const [oldKey, value] of Object.entries(coding.values)) {
    const newKey = map.fields?.[oldKey] ?? oldKey;
    const field = targets.get(newKey);
    if (!field) {
      lost.push({ field: oldKey, reason: `field removed in v${to.version}` });
      continue;
    }
    if (field.type !== value.type) {
      lost.push({ field: oldKey, reason: `field changed from ${value.type} to ${field.type}` });
      continue;
    }
    const carried = carryValue(field, renameItems(value, map.items?.[newKey] ?? {}), lost, oldKey);
    if (checkFieldValue(field, carried).length > 0) {
      lost.push({ field: oldKey, reason: checkFieldValue(field, carried).join('; ') });
      continue;
    }
    values[newKey] = carried;
  }
  return { coding: { ...coding, codebookVersion: to.version, values }, lost };
}

function renameItems(value: FieldValue, rename: Record<string, string>): FieldValue {
  const r = (k: string): string => rename[k] ?? k;
  switch (value.type) {
    case 'single_choice':
      return { ...value, option: value.option === null ? null : r(value.option) };
    case 'multi_choice':
      return { ...value, options: value.options.map(r) };
    case 'code_tree':
      return { ...value, applications: value.applications.map((a) => ({ ...a, code: r(a.code) })) };
    default:
      return value;
  }
}

function carryValue(
  field: CodebookField,
  value: FieldValue,
  lost: MigrationLoss[],
  oldKey: string,
): FieldValue {
  const known = new Set(categoryKeys(field));
  switch (value.type) {
    case 'single_choice':
      if (value.option !== null && !known.has(value.option)) {
        lost.push({ field: oldKey, item: value.option, reason: 'option removed' });
        return { ...value, option: null };
      }
      return value;
    case 'multi_choice':
      for (const o of value.options)
        if (!known.has(o)) lost.push({ field: oldKey, item: o, reason: 'option removed' });
      return { ...value, options: value.options.filter((o) => known.has(o)) };
    case 'code_tree':
      return {
        ...value,
        applications: value.applications.flatMap((a) => {
          // An approved emergent code is now a regular code: drop the inductive marker.
          if (known.has(a.code)) {
            const { inductive: _inductive, ...rest } = a;
            return [rest];
          }
          if (a.inductive) return [a];
          lost.push({ field: oldKey, item: a.code, reason: 'code removed' });
          return [];
        }),
      };
    default:
      return value;
  }
}
