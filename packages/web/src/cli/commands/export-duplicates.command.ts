import { getReviewBySlug, WinnowError } from '@winnow/core';
import { duplicatesCsv, listDuplicateRows } from '@winnow/ingest';
import { command } from '../command.ts';
import { writeExport } from '../write-output.ts';

export const exportDuplicatesCommand = command({
  name: 'export duplicates',
  summary:
    'One CSV row per record: group_id, record_id, source_file, source_index, kept, tier, score, reason',
  options: {
    format: { type: 'string', description: 'csv (the only format)' },
    out: { type: 'string', description: 'Write to this file instead of stdout' },
  },
  needs: 'runtime',
  async run({ rt, reviewSlug, opts }) {
    if (opts.format !== undefined && opts.format !== 'csv')
      throw new WinnowError('UNSUPPORTED_FORMAT', `--format ${String(opts.format)}: only csv is supported`);
    const review = await getReviewBySlug(rt.db, reviewSlug);
    const rows = await listDuplicateRows(rt.db, review.id);
    const csv = duplicatesCsv(rows);
    return writeExport(csv, opts.out, rows.length);
  },
});
