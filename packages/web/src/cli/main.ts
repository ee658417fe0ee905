import { runCli } from './run-cli.ts';

const result = await runCli(process.argv.slice(2));
if (!result.keepAlive) {
  // Pools and sockets are closed; exit now rather than wait for stray timers.
  process.exit(result.code);
}
