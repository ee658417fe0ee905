import { command } from '../command.ts';

export const workerCommand = command({
  name: 'worker',
  summary: 'Run job workers only (add machines: many workers against one PostgreSQL and one Redis)',
  options: { concurrency: { type: 'string', description: 'Jobs run at once (default 2)' } },
  needs: 'workers',
  longRunning: true,
  mayStartRedis: false,
  run: async (ctx) => (await import('./worker.run.ts')).runWorker(ctx),
});
