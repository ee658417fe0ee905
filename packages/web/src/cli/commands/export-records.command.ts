import { command } from '../command.ts';

export const exportRecordsCommand = command({
  name: 'export records',
  summary: 'Export the review’s records as RIS or CSV (re-importing the file gives the same records)',
  options: {
    format: { type: 'string', description: 'ris (default) or csv' },
    out: { type: 'string', description: 'Write to this file instead of stdout' },
    unique: { type: 'boolean', description: 'Only records kept after deduplication' },
  },
  needs: 'runtime',
  run: async (ctx) => (await import('./export-records.run.ts')).runExportRecords(ctx),
});
