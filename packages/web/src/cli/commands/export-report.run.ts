import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getReviewBySlug, WinnowError } from '@winnow/core';
import { reportPartsSchema } from '../../api/routes/report.routes.ts';
import { renderReviewReport } from '../../app/review-report.ts';
import type { CommandContext } from '../command.ts';
import { oneOf } from '../option-value.ts';

export async function runExportReport({ rt, opts, reviewSlug }: CommandContext) {
  const format = oneOf(opts.format, ['docx', 'html'] as const, 'docx', 'format');
  const style = oneOf(opts.style, ['vancouver', 'harvard'] as const, 'vancouver', 'style');
  const parsed = reportPartsSchema.safeParse(typeof opts.parts === 'string' ? opts.parts : undefined);
  if (!parsed.success)
    throw new WinnowError(
      'BAD_REQUEST',
      `--parts: ${parsed.error.issues[0]?.message ?? 'not a list of parts'}`,
      {
        location: { field: 'parts' },
      },
    );
  const review = await getReviewBySlug(rt.db, reviewSlug);
  // The CLI runs with database access, as the lead who runs it: every vote is readable.
  const out = await renderReviewReport(
    rt.db,
    review,
    { id: '00000000-0000-0000-0000-000000000000', roles: ['lead'] },
    {
      format,
      parts: parsed.data,
      style,
    },
  );
  const file = typeof opts.out === 'string' ? opts.out : out.fileName;
  await writeFile(file, out.body);
  return { wrote: path.resolve(file), bytes: out.body.length, parts: parsed.data };
}
