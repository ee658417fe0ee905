import { CATEGORICAL_TYPES, type Codebook, type FieldType } from '../codebook/codebook.types.ts';
import type { Coding } from '../coding/coding.types.ts';
import { cohensKappa } from './kappa.ts';
import { keysInOrder, sameValue, selectedKeys } from './value-compare.ts';

export interface ItemAgreement {
  key: string;
  observed: number;
  kappa: number | null;
}

export interface FieldAgreement {
  field: string;
  label: string;
  type: FieldType;
  method: 'kappa' | 'exact';
  /** Studies coded by both coders. */
  studies: number;
  /** Share of studies where both coders gave exactly the same answer. */
  exactMatch: number;
  /** Kappa fields: for single choice over the options; for multi-choice and code trees pooled over option-by-study presence. */
  kappa: number | null;
  observed: number;
  /** Multi-choice and code trees: per option/code presence kappa. */
  items?: ItemAgreement[];
}

export interface CodingPair {
  studyId: string;
  a: Coding;
  b: Coding;
}

const NONE = '(none)';

/** Per-field agreement between two independent coders over the studies both coded. */
export function fieldAgreement(book: Codebook, pairs: CodingPair[]): FieldAgreement[] {
  return book.fields.map((field) => {
    const as = pairs.map((p) => p.a.values[field.key]);
    const bs = pairs.map((p) => p.b.values[field.key]);
    const exact = pairs.filter((_, i) => sameValue(field, as[i], bs[i])).length;
    const base = {
      field: field.key,
      label: field.label,
      type: field.type,
      studies: pairs.length,
      exactMatch: pairs.length === 0 ? 0 : exact / pairs.length,
    };
    if (!CATEGORICAL_TYPES.has(field.type))
      return { ...base, method: 'exact' as const, kappa: null, observed: base.exactMatch };
    if (field.type === 'single_choice') {
      const k = cohensKappa(
        pairs.map((_, i) => [selectedKeys(as[i])[0] ?? NONE, selectedKeys(bs[i])[0] ?? NONE]),
      );
      return { ...base, method: 'kappa' as const, kappa: k.kappa, observed: k.observed };
    }
    // Multi-select: each option is a yes/no judgement per study, the usual way to get kappa for
    // "select all that apply" items.
    const keys = keysInOrder(field, [...as, ...bs]);
    const pooled: Array<[string, string]> = [];
    const items = keys.map((key) => {
      const itemPairs = pairs.map((_, i): [string, string] => [
        selectedKeys(as[i]).includes(key) ? '1' : '0',
        selectedKeys(bs[i]).includes(key) ? '1' : '0',
      ]);
      pooled.push(...itemPairs);
      const k = cohensKappa(itemPairs);
      return { key, observed: k.observed, kappa: k.kappa };
    });
    const k = cohensKappa(pooled);
    return { ...base, method: 'kappa' as const, kappa: k.kappa, observed: k.observed, items };
  });
}
