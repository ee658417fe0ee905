// `pnpm build`: the browser client (Vite) and the server, CLI and workers (esbuild), then a stamp
// that scripts/start.sh compares with the sources to decide whether to build again.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildClient } from './build-client.ts';
import { buildServer, WEB_DIR } from './build-server.ts';

/** Written last: a build without it is incomplete. */
export const BUILD_STAMP = path.join(WEB_DIR, 'dist', 'build-stamp');

const started = Date.now();
await buildClient();
const server = await buildServer();
writeFileSync(BUILD_STAMP, `${new Date().toISOString()}\n`);
process.stderr.write(
  `built the client and the server (${server.files} files) in ${((Date.now() - started) / 1000).toFixed(1)} s: run \`pnpm exec winnow --help\`\n`,
);
