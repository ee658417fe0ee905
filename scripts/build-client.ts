// Builds the React app into packages/web/dist/client (served by `winnow serve`).
import path from 'node:path';
import { build } from 'vite';

await build({
  configFile: path.resolve(import.meta.dirname, '../packages/web/vite.config.ts'),
  logLevel: 'warn',
});
