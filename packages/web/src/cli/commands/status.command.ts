import { command } from '../command.ts';

export const statusCommand = command({
  name: 'status',
  summary: 'Counts per stage for a review, derived from its record',
  needs: 'runtime',
  run: async (ctx) => (await import('./status.run.ts')).runStatus(ctx),
});
