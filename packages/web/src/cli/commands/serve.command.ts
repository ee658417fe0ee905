import { command } from '../command.ts';

export const serveCommand = command({
  name: 'serve',
  summary: 'Start the web app and API, with job workers in the same process',
  options: {
    port: { type: 'string', description: 'Port (default PORT or 3000)' },
    host: { type: 'string', description: 'Address to bind (default HOST or 127.0.0.1)' },
    concurrency: { type: 'string', description: 'Jobs run at once by this process (default 2)' },
    demo: {
      type: 'boolean',
      description: 'Create the demo review and a demo account when there are no reviews',
    },
    'no-workers': { type: 'boolean', description: 'Serve HTTP only; run `winnow worker` elsewhere' },
  },
  needs: 'workers',
  longRunning: true,
  run: async (ctx) => (await import('./serve.run.ts')).runServe(ctx),
});
