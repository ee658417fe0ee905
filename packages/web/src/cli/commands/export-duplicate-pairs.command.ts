import { command } from '../command.ts';

export const exportDuplicatePairsCommand = command({
  name: 'export duplicate-pairs',
  summary:
    'One CSV row per candidate pair kept after blocking and scoring: record_a, record_b, source_file_a, source_index_a, source_file_b, source_index_b, status (auto-merged, pending, same, different), score, reason',
  options: {
    out: { type: 'string', description: 'Write to this file instead of stdout' },
  },
  needs: 'runtime',
  run: async (ctx) => (await import('./export-duplicate-pairs.run.ts')).runExportDuplicatePairs(ctx),
});
