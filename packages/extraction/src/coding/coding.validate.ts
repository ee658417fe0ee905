import { WinnowError } from '@winnow/core';
import { categoryKeys } from '../codebook/codebook.lookup.ts';
import type { Codebook, CodebookField } from '../codebook/codebook.types.ts';
import type { Coding, FieldValue, Quote } from './coding.types.ts';

export interface CodingProblem {
  field: string;
  message: string;
}

/** Checks one field's value against its definition; returns human-readable problems. */
export function checkFieldValue(field: CodebookField, value: FieldValue): string[] {
  if (value.type !== field.type) return [`expected a ${field.type} value, got ${value.type}`];
  const problems: string[] = [];
  const known = new Set(categoryKeys(field));
  switch (value.type) {
    case 'single_choice':
      if (value.option !== null && !known.has(value.option))
        problems.push(`unknown option "${value.option}"`);
      break;
    case 'multi_choice':
      for (const o of value.options) if (!known.has(o)) problems.push(`unknown option "${o}"`);
      if (new Set(value.options).size !== value.options.length) problems.push('an option is listed twice');
      break;
    case 'number': {
      const f = field as Extract<CodebookField, { type: 'number' }>;
      const v = value.value;
      if (v === null) break;
      if (!Number.isFinite(v)) problems.push('not a finite number');
      if (f.integer && !Number.isInteger(v)) problems.push(`${v} is not a whole number`);
      if (f.min !== undefined && v < f.min) problems.push(`${v} is below the minimum ${f.min}`);
      if (f.max !== undefined && v > f.max) problems.push(`${v} is above the maximum ${f.max}`);
      break;
    }
    case 'quotation':
      value.quotes.forEach((q, i) => problems.push(...checkQuote(q).map((m) => `quote ${i + 1}: ${m}`)));
      break;
    case 'code_tree': {
      const seen = new Set<string>();
      for (const a of value.applications) {
        // Inductive codes are not in this version yet; they are approved into the next one.
        if (!known.has(a.code) && !a.inductive) problems.push(`unknown code "${a.code}"`);
        if (seen.has(a.code)) problems.push(`code "${a.code}" applied twice`);
        seen.add(a.code);
        a.quotes.forEach((q, i) =>
          problems.push(...checkQuote(q).map((m) => `code ${a.code} quote ${i + 1}: ${m}`)),
        );
      }
      break;
    }
    case 'text':
      break;
  }
  return problems;
}

function checkQuote(q: Quote): string[] {
  const out: string[] = [];
  if (q.text.trim() === '') out.push('empty quotation');
  if (q.page !== undefined && (!Number.isInteger(q.page) || q.page < 1))
    out.push(`page ${q.page} is not a page number`);
  return out;
}

export function isEmptyValue(value: FieldValue | undefined): boolean {
  if (!value) return true;
  switch (value.type) {
    case 'single_choice':
      return value.option === null;
    case 'multi_choice':
      return value.options.length === 0;
    case 'text':
      return value.text.trim() === '';
    case 'number':
      return value.value === null;
    case 'quotation':
      return value.quotes.length === 0;
    case 'code_tree':
      return value.applications.length === 0;
  }
}

/** All problems of a coding; `complete` also requires the codebook's required fields. */
export function checkCoding(
  book: Codebook,
  coding: Coding,
  opts: { complete?: boolean } = {},
): CodingProblem[] {
  const problems: CodingProblem[] = [];
  if (coding.codebookId !== book.id || coding.codebookVersion !== book.version)
    problems.push({
      field: '(codebook)',
      message: `coding is for ${coding.codebookId} v${coding.codebookVersion}, not ${book.id} v${book.version}`,
    });
  const fieldKeys = new Set(book.fields.map((f) => f.key));
  for (const k of Object.keys(coding.values))
    if (!fieldKeys.has(k)) problems.push({ field: k, message: 'no such field in this codebook version' });
  for (const field of book.fields) {
    const value = coding.values[field.key];
    if (value)
      for (const message of checkFieldValue(field, value)) problems.push({ field: field.key, message });
    if (opts.complete && field.required && isEmptyValue(value))
      problems.push({ field: field.key, message: 'this field is required' });
  }
  return problems;
}

export function assertValidCoding(book: Codebook, coding: Coding, opts: { complete?: boolean } = {}): void {
  const problems = checkCoding(book, coding, opts);
  if (problems.length === 0) return;
  const first = problems[0];
  // Read by coders in the browser: fields by their labels, never the study's or coder's ids.
  const label = (key: string) => book.fields.find((f) => f.key === key)?.label ?? key;
  throw new WinnowError(
    'VALIDATION',
    `The coding cannot be ${opts.complete ? 'submitted' : 'saved'}: ${problems.map((p) => `${label(p.field)}: ${p.message}`).join('; ')}`,
    { location: { field: first?.field }, problems },
  );
}
