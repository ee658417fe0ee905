// Bundles the server, CLI and job workers (one entry: `winnow`) and the diagram-drawing thread into
// plain JavaScript, so no process compiles TypeScript at start. The workspace packages are inlined;
// third-party packages stay external and are loaded from packages/web/node_modules as installed
// (native and wasm packages such as PGlite and resvg find their own files there).
import { rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '..');
export const WEB_DIR = path.join(ROOT, 'packages', 'web');
export const SERVER_DIST = path.join(WEB_DIR, 'dist', 'server');

const ENTRIES = {
  cli: path.join(WEB_DIR, 'src/cli/main.ts'),
  // png-renderer.ts starts this file beside its own chunk (`./png-render.worker.js`).
  'png-render.worker': path.join(WEB_DIR, 'src/app/png-render.worker.ts'),
};
// The one module that must keep its bundled location: it finds the thread entry beside itself.
const KEEPS_BUNDLE_URL = path.join(WEB_DIR, 'src/app/png-renderer.ts');
const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const SOURCE_FILE = /[\\/]packages[\\/][^\\/]+[\\/]src[\\/].+\.ts$/;

/**
 * Workspace sources are bundled; everything else stays an import that Node resolves from
 * packages/web at run time, so it must be a dependency of packages/web (pnpm links only a
 * package's own dependencies): the build fails naming any that is not.
 */
export function workspacePlugin(): Plugin {
  return {
    name: 'winnow-workspace',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'inner' || args.kind === 'entry-point') return undefined;
        const bare = !args.path.startsWith('.') && !path.isAbsolute(args.path);
        if (bare && BUILTINS.has(args.path)) return { path: args.path, external: true };
        if (bare && !args.path.startsWith('@winnow/')) {
          const fromWeb = await b.resolve(args.path, {
            kind: args.kind,
            resolveDir: WEB_DIR,
            pluginData: 'inner',
          });
          if (fromWeb.errors.length)
            return {
              errors: [
                {
                  text: `"${args.path}" is not a dependency of packages/web: add it to packages/web/package.json (the build loads it from there)`,
                },
              ],
            };
          return { path: args.path, external: true };
        }
        const resolved = await b.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: 'inner',
        });
        if (resolved.errors.length) return { errors: resolved.errors };
        // Our modules do nothing when imported but declare: an import whose names are unused is
        // dropped, so a command's light definition does not drag its implementation's libraries
        // into the start-up chunk through a package's index.
        return { path: resolved.path, sideEffects: !SOURCE_FILE.test(resolved.path) };
      });
      // Files read beside a module (SQL migrations, the default codebook, the built client, the
      // demo exports) are found from the module's source location, as under tsx.
      b.onLoad({ filter: SOURCE_FILE }, async (args) => {
        const { readFile } = await import('node:fs/promises');
        let text = await readFile(args.path, 'utf8');
        if (args.path !== KEEPS_BUNDLE_URL)
          text = text
            .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
            .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
            .replaceAll('import.meta.filename', JSON.stringify(args.path));
        return { contents: text, loader: 'ts' };
      });
    },
  };
}

/**
 * The packages `winnow` loads before it knows the command (the entry and the chunks it imports
 * statically). Only Node's own modules belong there: `--help` must not load the database and
 * queue libraries. A value imported from a workspace package's index in a command definition
 * brings that package's libraries in with it.
 */
export function startupPackages(metafile: Metafile, entry: string): string[] {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of metafile.outputs[file]?.imports ?? []) {
      if (i.kind !== 'import-statement') continue;
      if (i.external) {
        if (!BUILTINS.has(i.path)) packages.add(i.path);
      } else visit(i.path);
    }
  };
  visit(entry);
  return [...packages].sort();
}

/** Bundles into `outDir` (default packages/web/dist/server); it must lie inside packages/web. */
export async function buildServer(outDir = SERVER_DIST): Promise<{ outDir: string; files: number }> {
  const rel = path.relative(WEB_DIR, outDir);
  if (rel.startsWith('..') || path.isAbsolute(rel))
    throw new Error(`${outDir}: the server build must lie inside packages/web to find its dependencies`);
  await rm(outDir, { recursive: true, force: true });
  const result = await build({
    entryPoints: ENTRIES,
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [workspacePlugin()],
  });
  const entry = Object.keys(result.metafile.outputs).find(
    (f) => path.resolve(f) === path.join(outDir, 'cli.js'),
  );
  const heavy = entry ? startupPackages(result.metafile, entry) : ['(cli.js not written)'];
  if (heavy.length)
    throw new Error(
      `winnow would load ${heavy.join(', ')} before it knows the command: a command definition (*.command.ts) or run-cli.ts imports a value from a workspace package; import it in the command's .run.ts instead`,
    );
  return { outDir, files: Object.keys(result.metafile.outputs).length };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  const { outDir, files } = await buildServer(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  process.stderr.write(
    `server build: ${files} files in ${path.relative(ROOT, outDir)} (${Date.now() - started} ms)\n`,
  );
}
