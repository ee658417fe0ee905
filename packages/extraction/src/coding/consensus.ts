import { WinnowError } from '@winnow/core';
import { sameValue, selectedKeys } from '../agreement/value-compare.ts';
import { flattenCodes } from '../codebook/codebook.lookup.ts';
import type { Codebook, CodebookField } from '../codebook/codebook.types.ts';
import { checkFieldValue } from './coding.validate.ts';
import type { CodeApplication, Coding, FieldValue, FieldValues, Quote } from './coding.types.ts';

export interface FieldDifference {
  field: string;
  label: string;
  /** Each coder's value, keyed by coder id. */
  values: Record<string, FieldValue | undefined>;
  /** Categorical fields: keys only one coder selected. */
  onlyIn: Record<string, string[]>;
  /**
   * Fields that hold several answers (options, quotations, codes): everything either coder gave,
   * once each, in the codebook's order; one choice beside each coder's own. Absent where one
   * coder's answer is the whole answer (a single choice, a number, a text).
   */
  combined?: FieldValue;
}

/** Agreed values plus the differences an adjudicator must settle. */
export interface ConsensusDraft {
  studyId: string;
  codebookId: string;
  codebookVersion: number;
  coders: string[];
  values: FieldValues;
  differences: FieldDifference[];
}

export interface ConsensusRecord extends ConsensusDraft {
  finalisedBy: string;
  finalisedAt: string;
  /** Fields whose final value came from the adjudicator rather than agreement. */
  resolvedFields: string[];
}

/**
 * Builds the consensus starting point from one or two independent codings of one study.
 * Agreed fields are carried over (code trees keep the quotations of both coders); every field
 * the coders answered differently is listed, with nothing pre-chosen for it.
 */
export function buildConsensus(book: Codebook, codings: Coding[]): ConsensusDraft {
  const first = codings[0];
  if (!first || codings.length > 2)
    throw new WinnowError('BAD_REQUEST', `Consensus needs one or two codings, got ${codings.length}`);
  for (const c of codings) {
    if (c.studyId !== first.studyId)
      throw new WinnowError('BAD_REQUEST', 'The two codings are for different studies');
    if (c.codebookId !== book.id || c.codebookVersion !== book.version)
      throw new WinnowError(
        'CONFLICT',
        `A coding uses version ${c.codebookVersion} of the codebook; bring it to version ${book.version} first`,
      );
  }
  const second = codings[1];
  if (second && second.coderId === first.coderId)
    throw new WinnowError('BAD_REQUEST', 'Both codings are by the same coder; dual coding needs two coders');
  const values: FieldValues = {};
  const differences: FieldDifference[] = [];
  for (const field of book.fields) {
    const a = first.values[field.key];
    const b = second?.values[field.key];
    if (!second || sameValue(field, a, b)) {
      const merged = second ? mergeAgreed(a, b) : a;
      if (merged) values[field.key] = merged;
      continue;
    }
    const ka = selectedKeys(a);
    const kb = selectedKeys(b);
    const combined = combineAnswers(field, a, b);
    differences.push({
      field: field.key,
      label: field.label,
      values: { [first.coderId]: a, [second.coderId]: b },
      onlyIn: {
        [first.coderId]: ka.filter((k) => !kb.includes(k)),
        [second.coderId]: kb.filter((k) => !ka.includes(k)),
      },
      ...(combined ? { combined } : {}),
    });
  }
  // Code applications in codebook order, whichever coder listed them first.
  for (const field of book.fields) {
    const v = values[field.key];
    if (field.type === 'code_tree' && v?.type === 'code_tree')
      v.applications = inCodebookOrder(field, v.applications);
  }
  return {
    studyId: first.studyId,
    codebookId: book.id,
    codebookVersion: book.version,
    coders: codings.map((c) => c.coderId),
    values,
    differences,
  };
}

/** Order-independent: which coder came first must not change the consensus record. */
function mergeAgreed(a: FieldValue | undefined, b: FieldValue | undefined): FieldValue | undefined {
  // Texts agree when they differ only in spacing: the text kept is one of them as written (its line
  // breaks too), the same one whichever coder came first.
  if (a?.type === 'text' && b?.type === 'text') {
    const [x, y] = [a.text.trim(), b.text.trim()];
    return { type: 'text', text: x <= y ? x : y };
  }
  if (a?.type !== 'code_tree' || b?.type !== 'code_tree') return a ?? b;
  const byCode = new Map(b.applications.map((x) => [x.code, x]));
  const applications = a.applications.map((x): CodeApplication => {
    const other = byCode.get(x.code);
    return other ? { ...x, quotes: unionQuotes(x.quotes, other.quotes) } : x;
  });
  return { type: 'code_tree', applications };
}

function inCodebookOrder(
  field: Extract<CodebookField, { type: 'code_tree' }>,
  applications: CodeApplication[],
): CodeApplication[] {
  const order = new Map(flattenCodes(field.codes).map((c, i) => [c.key, i]));
  return [...applications].sort(
    (x, y) =>
      (order.get(x.code) ?? Infinity) - (order.get(y.code) ?? Infinity) || x.code.localeCompare(y.code),
  );
}

/**
 * Both coders' answers together, for a field that holds several (see FieldDifference.combined):
 * options and codes either selected, each code with the quotations of both; quotations of both.
 * Order-independent, like the agreed values.
 */
function combineAnswers(
  field: CodebookField,
  a: FieldValue | undefined,
  b: FieldValue | undefined,
): FieldValue | undefined {
  if (field.type === 'multi_choice' && a?.type === 'multi_choice' && b?.type === 'multi_choice') {
    const chosen = new Set([...a.options, ...b.options]);
    return { type: 'multi_choice', options: field.options.map((o) => o.key).filter((k) => chosen.has(k)) };
  }
  if (field.type === 'quotation' && a?.type === 'quotation' && b?.type === 'quotation')
    return { type: 'quotation', quotes: unionQuotes(a.quotes, b.quotes) };
  if (field.type === 'code_tree' && a?.type === 'code_tree' && b?.type === 'code_tree') {
    const byCode = new Map<string, CodeApplication>();
    for (const x of [...a.applications, ...b.applications]) {
      const seen = byCode.get(x.code);
      byCode.set(
        x.code,
        seen
          ? { ...seen, quotes: unionQuotes(seen.quotes, x.quotes) }
          : { ...x, quotes: unionQuotes(x.quotes, []) },
      );
    }
    return { type: 'code_tree', applications: inCodebookOrder(field, [...byCode.values()]) };
  }
  return undefined;
}

function unionQuotes(a: Quote[], b: Quote[]): Quote[] {
  const key = (q: Quote): string => `${q.text.trim()}\u0000${q.page ?? ''}`;
  const seen = new Set(a.map(key));
  return [...a, ...b.filter((q) => !seen.has(key(q)))].sort(
    (x, y) => (x.page ?? Infinity) - (y.page ?? Infinity) || x.text.localeCompare(y.text),
  );
}

/**
 * The lead's final record: every difference must have a resolution (which may be "empty");
 * resolutions may also correct agreed fields.
 */
export function finaliseConsensus(
  book: Codebook,
  draft: ConsensusDraft,
  resolutions: FieldValues,
  finalisedBy: string,
  finalisedAt: string,
): ConsensusRecord {
  const unresolved = draft.differences.filter((d) => !(d.field in resolutions)).map((d) => d.field);
  if (unresolved.length > 0)
    throw new WinnowError(
      'VALIDATION',
      `Choose a value for every difference first: ${unresolved.map((key) => book.fields.find((f) => f.key === key)?.label ?? key).join('; ')}`,
      {
        location: { field: unresolved[0] },
        unresolved,
      },
    );
  const fields = new Map<string, CodebookField>(book.fields.map((f) => [f.key, f]));
  const values: FieldValues = { ...draft.values };
  for (const [key, value] of Object.entries(resolutions)) {
    const field = fields.get(key);
    const problems = field ? checkFieldValue(field, value) : ['no such field in this codebook version'];
    if (problems.length > 0)
      throw new WinnowError('VALIDATION', `Resolution for ${field?.label ?? key}: ${problems.join('; ')}`, {
        location: { field: key },
      });
    values[key] = value;
  }
  return { ...draft, values, finalisedBy, finalisedAt, resolvedFields: Object.keys(resolutions) };
}
