import { writeFileSync } from 'node:fs';
import { getReviewBySlug, WinnowError } from '@winnow/core';
import { duplicatesCsv, listDuplicateRows } from '@winnow/ingest';
import { command } from '../command.ts';

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
    if (typeof opts.out === 'string') {
      writeFileSync(opts.out, csv);
      return { out: opts.out, rows: rows.length };
    }
    // Wait for the pipe to take it all: the CLI exits as soon as run() returns.
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(csv, (e) => (e ? reject(e) : resolve())),
    );
    return undefined;
  },
});
