import { checkRedisPolicy, closeOnSignals } from '../../app/lifecycle.ts';
import { startHttpServer } from '../../app/http-server.ts';
import { seedDemoReview } from '../../demo/demo-review.ts';
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
  async run({ rt, opts }) {
    await checkRedisPolicy(rt.config.redisUrl);
    const port = typeof opts.port === 'string' ? Number(opts.port) : rt.config.port;
    const host = typeof opts.host === 'string' ? opts.host : rt.config.host;
    const server = await startHttpServer(rt, port, host);
    closeOnSignals(rt, () => server.close());
    if (opts.demo) {
      const demo = await seedDemoReview(rt);
      if (demo) rt.log.info(`demo review "${demo.slug}" ready; sign in as ${demo.email} / ${demo.password}`);
    }
    const engine = rt.db.engine === 'pglite' ? `PGlite in ${rt.config.dataDir}` : 'PostgreSQL';
    process.stderr.write(
      `Winnow is running at ${server.url} (database: ${engine}, Redis: ${rt.config.redisUrl})\n`,
    );
    return { url: server.url };
  },
});
