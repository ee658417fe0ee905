import { getReviewBySlug, WinnowError } from '@winnow/core';
import { decisionLog } from '@winnow/screening';
import { decisionsCsv } from '../../api/routes/screening.csv.ts';
import { writeExport } from '../write-output.ts';
import type { CommandContext } from '../command.ts';

export async function runExportDecisions({ rt, reviewSlug, opts }: CommandContext) {
  if (opts.format !== undefined && opts.format !== 'csv')
    throw new WinnowError('UNSUPPORTED_FORMAT', `--format ${String(opts.format)}: only csv is supported`);
  const review = await getReviewBySlug(rt.db, reviewSlug);
  // The CLI runs with the operator's full access to the database: no blinding filter here.
  const rows = await decisionLog(rt.db, review.id);
  const csv = decisionsCsv(rows);
  return writeExport(csv, opts.out, rows.length);
}
