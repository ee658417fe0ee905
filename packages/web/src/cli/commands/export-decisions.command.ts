import { getReviewBySlug, WinnowError } from '@winnow/core';
import { decisionLog } from '@winnow/screening';
import { decisionsCsv } from '../../api/routes/screening.csv.ts';
import { command } from '../command.ts';
import { writeExport } from '../write-output.ts';

export const exportDecisionsCommand = command({
  name: 'export decisions',
  summary:
    'The whole screening log as CSV: every vote, undo, adjudicator resolution and outcome change (seq, at, kind, stage, record_id, record_title, actor, role, vote, previous, reasons, note)',
  options: {
    format: { type: 'string', description: 'csv (the only format)' },
    out: { type: 'string', description: 'Write to this file instead of stdout' },
  },
  needs: 'runtime',
  async run({ rt, reviewSlug, opts }) {
    if (opts.format !== undefined && opts.format !== 'csv')
      throw new WinnowError('UNSUPPORTED_FORMAT', `--format ${String(opts.format)}: only csv is supported`);
    const review = await getReviewBySlug(rt.db, reviewSlug);
    // The CLI runs with the operator's full access to the database: no blinding filter here.
    const rows = await decisionLog(rt.db, review.id);
    const csv = decisionsCsv(rows);
    return writeExport(csv, opts.out, rows.length);
  },
});
