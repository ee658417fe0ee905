import { checkRedisPolicy, closeOnSignals } from '../../app/lifecycle.ts';
import { startHttpServer } from '../../app/http-server.ts';
import { seedDemoReview } from '../../demo/demo-review.ts';
import type { CommandContext } from '../command.ts';

export async function runServe({ rt, opts }: CommandContext) {
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
}
