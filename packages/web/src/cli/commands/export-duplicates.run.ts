import { getReviewBySlug, WinnowError } from '@winnow/core';
import { duplicatesCsv, listDuplicateRows } from '@winnow/ingest';
import { writeExport } from '../write-output.ts';
import type { CommandContext } from '../command.ts';

export async function runExportDuplicates({ rt, reviewSlug, opts }: CommandContext) {
  if (opts.format !== undefined && opts.format !== 'csv')
    throw new WinnowError('UNSUPPORTED_FORMAT', `--format ${String(opts.format)}: only csv is supported`);
  const review = await getReviewBySlug(rt.db, reviewSlug);
  const rows = await listDuplicateRows(rt.db, review.id);
  const csv = duplicatesCsv(rows);
  return writeExport(csv, opts.out, rows.length);
}
