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
  run: async (ctx) => (await import('./export-duplicates.run.ts')).runExportDuplicates(ctx),
});
