// Runs every benchmark (`packages/*/bench/*.bench.ts`, each default-exporting an async function that
// returns a Markdown section) and writes docs/benchmarks.md with the machine and the command.
// `pnpm bench dedup` runs only the files whose path contains "dedup".
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCHMARKS_DOC, writeBenchmarkSections } from './benchmarks-doc.ts';

const root = path.resolve(import.meta.dirname, '..');
const filters = process.argv.slice(2);
const files: string[] = [];
for (const pkg of readdirSync(path.join(root, 'packages'))) {
  const dir = path.join(root, 'packages', pkg, 'bench');
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.bench.ts')) continue;
    const rel = path.join('packages', pkg, 'bench', f);
    if (filters.length === 0 || filters.some((x) => rel.includes(x))) files.push(rel);
  }
}

const out = BENCHMARKS_DOC;
const sections = new Map<string, string>();

for (const rel of files) {
  process.stderr.write(`bench ${rel}\n`);
  const mod = (await import(pathToFileURL(path.join(root, rel)).href)) as { default: () => Promise<string> };
  const started = Date.now();
  const md = await mod.default();
  const took = ((Date.now() - started) / 1000).toFixed(1);
  sections.set(rel, `${md.trim()}\n\n_${rel}, ${new Date().toISOString().slice(0, 10)}, ${took} s_\n`);
  process.stdout.write(md.trim() + '\n\n');
}

writeBenchmarkSections(sections);
process.stderr.write(`wrote ${path.relative(root, out)}\n`);
// Benchmarks may leave pools or sockets open; the results are written.
process.exit(0);
