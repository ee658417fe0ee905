import { getReviewBySlug } from '@winnow/core';
import { duplicatePairsCsv, listDuplicatePairRows } from '@winnow/ingest';
import { writeExport } from '../write-output.ts';
import type { CommandContext } from '../command.ts';

export async function runExportDuplicatePairs({ rt, reviewSlug, opts }: CommandContext) {
  const review = await getReviewBySlug(rt.db, reviewSlug);
  const rows = await listDuplicatePairRows(rt.db, review.id);
  const csv = duplicatePairsCsv(rows);
  return writeExport(csv, opts.out, rows.length);
}
