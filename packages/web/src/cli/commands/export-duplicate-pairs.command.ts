import { getReviewBySlug } from '@winnow/core';
import { duplicatePairsCsv, listDuplicatePairRows } from '@winnow/ingest';
import { command } from '../command.ts';
import { writeExport } from '../write-output.ts';

export const exportDuplicatePairsCommand = command({
  name: 'export duplicate-pairs',
  summary:
    'One CSV row per candidate pair kept after blocking and scoring: record_a, record_b, source_file_a, source_index_a, source_file_b, source_index_b, status (auto-merged, pending, same, different), score, reason',
  options: {
    out: { type: 'string', description: 'Write to this file instead of stdout' },
  },
  needs: 'runtime',
  async run({ rt, reviewSlug, opts }) {
    const review = await getReviewBySlug(rt.db, reviewSlug);
    const rows = await listDuplicatePairRows(rt.db, review.id);
    const csv = duplicatePairsCsv(rows);
    return writeExport(csv, opts.out, rows.length);
  },
});
