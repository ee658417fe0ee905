import { z } from 'zod';
import { WinnowError } from '@winnow/core';
import type { Codebook, CodeNode, ChoiceOption } from './codebook.types.ts';

/** Keys end up in column names and URLs, so keep them plain. */
const key = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,79}$/, 'use 1-80 lower-case letters, digits, _ . -');
const label = z.string().trim().min(1).max(500);
const description = z.string().max(5000).optional();

const option = z.strictObject({ key, label, description, parent: key.optional() });

const codeNode: z.ZodType<CodeNode> = z.lazy(() =>
  z.strictObject({
    key,
    label,
    description,
    inductive: z.boolean().optional(),
    children: z.array(codeNode).optional(),
  }),
);

const base = { key, label, description, required: z.boolean().optional() };

// Cross-item checks sit on the arrays themselves so they still run (and report) when some
// other field of the codebook is broken: zod skips an object's refinements once a child fails.
const options = z
  .array(option)
  .min(1)
  .superRefine((opts, ctx) =>
    checkOptions(opts, (path, message) => ctx.addIssue({ code: 'custom', path, message })),
  );
const codes = z
  .array(codeNode)
  .min(1)
  .superRefine((nodes, ctx) =>
    checkCodes(nodes, [], new Set(), (path, message) => ctx.addIssue({ code: 'custom', path, message })),
  );

const field = z.discriminatedUnion('type', [
  z.strictObject({ ...base, type: z.literal('single_choice'), options }),
  z.strictObject({ ...base, type: z.literal('multi_choice'), options }),
  z.strictObject({ ...base, type: z.literal('text') }),
  z
    .strictObject({
      ...base,
      type: z.literal('number'),
      min: z.number().optional(),
      max: z.number().optional(),
      integer: z.boolean().optional(),
    })
    .refine((f) => f.min === undefined || f.max === undefined || f.min <= f.max, {
      path: ['min'],
      message: 'min is greater than max',
    }),
  z.strictObject({ ...base, type: z.literal('quotation') }),
  z.strictObject({ ...base, type: z.literal('code_tree'), codes }),
]);

const fields = z
  .array(field)
  .min(1)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((f, i) => {
      if (seen.has(f.key))
        ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `duplicate field key "${f.key}"` });
      seen.add(f.key);
    });
  });

export const codebookSchema = z.strictObject({
  id: key,
  name: label,
  version: z.number().int().min(1),
  description,
  changeNote: z.string().max(5000).optional(),
  fields,
});

type Report = (path: (string | number)[], message: string) => void;

function checkOptions(options: ChoiceOption[], report: Report): void {
  const byKey = new Map<string, ChoiceOption>();
  options.forEach((o, j) => {
    if (byKey.has(o.key)) report([j, 'key'], `duplicate option key "${o.key}"`);
    byKey.set(o.key, o);
  });
  options.forEach((o, j) => {
    if (o.parent === undefined) return;
    if (!byKey.has(o.parent)) return report([j, 'parent'], `unknown parent option "${o.parent}"`);
    // Walk up: a cycle would make profile totals recurse forever.
    const visited = new Set([o.key]);
    for (let p: string | undefined = o.parent; p !== undefined; p = byKey.get(p)?.parent) {
      if (visited.has(p)) return report([j, 'parent'], `option parents form a cycle at "${p}"`);
      visited.add(p);
    }
  });
}

function checkCodes(codes: CodeNode[], path: (string | number)[], seen: Set<string>, report: Report): void {
  codes.forEach((c, j) => {
    if (seen.has(c.key)) report([...path, j, 'key'], `duplicate code key "${c.key}" in this tree`);
    seen.add(c.key);
    if (c.children) checkCodes(c.children, [...path, j, 'children'], seen, report);
  });
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/** Validates a codebook from untrusted JSON; every problem names its path (`fields[3].options[2].key`). */
export function parseCodebook(input: unknown, file = 'codebook.json'): Codebook {
  const result = codebookSchema.safeParse(input);
  if (result.success) return result.data as Codebook;
  const problems = result.error.issues.map((i) => `${formatPath(i.path) || '(root)'}: ${i.message}`);
  const first = result.error.issues[0];
  throw new WinnowError('VALIDATION', `Invalid codebook ${file}: ${problems.join('; ')}`, {
    location: { file, field: first ? formatPath(first.path) : undefined },
    problems,
  });
}

export function codebookFromJson(text: string, file = 'codebook.json'): Codebook {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new WinnowError('PARSE_ERROR', `${file} is not valid JSON: ${(error as Error).message}`, {
      location: { file },
    });
  }
  return parseCodebook(data, file);
}

export function codebookToJson(book: Codebook): string {
  return `${JSON.stringify(parseCodebook(book), null, 2)}\n`;
}
