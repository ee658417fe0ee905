import { counted, WinnowError } from '@winnow/core';
import { flattenCodes, getField } from '../codebook/codebook.lookup.ts';
import type { Codebook, CodeNode, CodeTreeField } from '../codebook/codebook.types.ts';
import { reviseCodebook } from '../codebook/codebook.version.ts';

/** A code a coder added while coding (inductive), waiting for a lead's approval. */
export interface EmergentCode {
  fieldKey: string;
  /** Where it hangs in the tree; null for a new top-level theme. */
  parentKey: string | null;
  key: string;
  label: string;
  description?: string;
  proposedBy: string;
  studyId?: string;
  /** The codebook version it was proposed against. */
  codebookVersion: number;
}

export interface EmergentCodeInput {
  fieldKey: string;
  parentKey?: string | null;
  label: string;
  key?: string;
  description?: string;
  proposedBy: string;
  studyId?: string;
}

/** A key from a label: lower-case words joined by `_`, prefixed so it never clashes with deductive codes. */
export function emergentKey(label: string): string {
  const slug = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
  return `emergent.${slug || 'code'}`;
}

function treeField(book: Codebook, fieldKey: string): CodeTreeField {
  const field = getField(book, fieldKey);
  if (field.type !== 'code_tree')
    throw new WinnowError(
      'VALIDATION',
      `Emergent codes belong in a code tree; "${fieldKey}" is ${field.type}`,
      {
        location: { field: fieldKey },
      },
    );
  return field;
}

export function proposeEmergentCode(book: Codebook, input: EmergentCodeInput): EmergentCode {
  const field = treeField(book, input.fieldKey);
  const label = input.label.trim();
  if (label === '')
    throw new WinnowError('VALIDATION', 'An emergent code needs a label', { location: { field: 'label' } });
  const codes = new Set(flattenCodes(field.codes).map((c) => c.key));
  const parentKey = input.parentKey ?? null;
  if (parentKey !== null && !codes.has(parentKey))
    throw new WinnowError('VALIDATION', `Parent code "${parentKey}" is not in ${field.key}`, {
      location: { field: 'parentKey' },
    });
  const key = input.key ?? emergentKey(label);
  if (!/^[a-z0-9][a-z0-9_.-]{0,79}$/.test(key))
    throw new WinnowError('VALIDATION', `Code key "${key}" must be 1-80 lower-case letters, digits, _ . -`, {
      location: { field: 'key' },
    });
  if (codes.has(key))
    throw new WinnowError('CONFLICT', `Code "${key}" already exists in ${field.key}`, {
      location: { field: 'key' },
    });
  const code: EmergentCode = {
    fieldKey: field.key,
    parentKey,
    key,
    label,
    proposedBy: input.proposedBy,
    codebookVersion: book.version,
  };
  if (input.description) code.description = input.description;
  if (input.studyId) code.studyId = input.studyId;
  return code;
}

/**
 * A lead approves emergent codes into the next codebook version, flagged `inductive` so the
 * framework keeps showing which themes came from the data rather than from the aims.
 */
export function approveEmergentCodes(book: Codebook, codes: EmergentCode[], approvedBy: string): Codebook {
  if (codes.length === 0) throw new WinnowError('BAD_REQUEST', 'No emergent codes to approve');
  return reviseCodebook(
    book,
    (draft) => {
      for (const code of codes) {
        const field = treeField(draft, code.fieldKey);
        const node: CodeNode = { key: code.key, label: code.label, inductive: true };
        if (code.description) node.description = code.description;
        if (code.parentKey === null) {
          field.codes.push(node);
          continue;
        }
        const parent = findNode(field.codes, code.parentKey);
        if (!parent)
          throw new WinnowError(
            'VALIDATION',
            `Parent code "${code.parentKey}" of "${code.key}" is not in ${field.key}`,
            {
              location: { field: code.fieldKey },
            },
          );
        (parent.children ??= []).push(node);
      }
    },
    `Approved ${counted(codes.length, 'emergent code')} by ${approvedBy}: ${codes.map((c) => c.label).join('; ')}`,
  );
}

/**
 * The codebook with codes still awaiting a lead's decision hung where they were proposed, so a
 * coding or consensus record that applies one reads with its label and theme (in exports) before
 * it is approved into a version. The version itself is unchanged; codes already in it are skipped.
 */
export function withProposedCodes(book: Codebook, codes: readonly EmergentCode[]): Codebook {
  const out = structuredClone(book);
  for (const code of codes) {
    const field = out.fields.find((f) => f.key === code.fieldKey);
    if (field?.type !== 'code_tree' || findNode(field.codes, code.key)) continue;
    const node: CodeNode = { key: code.key, label: code.label, inductive: true };
    const parent = code.parentKey === null ? undefined : findNode(field.codes, code.parentKey);
    if (parent) (parent.children ??= []).push(node);
    else field.codes.push(node);
  }
  return out;
}

function findNode(nodes: CodeNode[], key: string): CodeNode | undefined {
  for (const n of nodes) {
    if (n.key === key) return n;
    const found = findNode(n.children ?? [], key);
    if (found) return found;
  }
  return undefined;
}
