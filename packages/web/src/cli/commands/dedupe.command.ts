import type { DedupSummary } from '@winnow/ingest';
import { command } from '../command.ts';

export const dedupeCommand = command({
  name: 'dedupe',
  summary: 'Deduplicate the review’s records (also runs after every import); manual decisions are kept',
  needs: 'workers',
  run: async (ctx) => (await import('./dedupe.run.ts')).runDedupe(ctx),
  human: (r: DedupSummary) =>
    `${r.records} records, ${r.groups} duplicate groups, ${r.duplicatesRemoved} duplicates removed (${r.autoMerged} pairs merged automatically), ${r.needsReview} questions to review (covering ${r.pendingPairs} candidate pairs)`,
});
