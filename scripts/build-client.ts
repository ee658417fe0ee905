// Builds the React app into packages/web/dist/client (served by `winnow serve`).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';

export async function buildClient(): Promise<void> {
  await build({
    configFile: path.resolve(import.meta.dirname, '../packages/web/vite.config.ts'),
    logLevel: 'warn',
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildClient();
