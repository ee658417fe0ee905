#!/usr/bin/env node
// `winnow` from the production build: plain JavaScript, nothing compiled at start.
// `pnpm build` makes it; `pnpm winnow` runs the TypeScript sources through tsx instead.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const entry = new URL('../dist/server/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'winnow: this checkout is not built yet. Run `pnpm build` first (or `pnpm winnow` to run from the sources).\n',
  );
  process.exit(1);
}
await import(entry.href);
