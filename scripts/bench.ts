// Runs every benchmark (`packages/*/bench/*.bench.ts`, each default-exporting an async function that
// returns a Markdown section) and writes docs/benchmarks.md with the machine and the command.
// `pnpm bench dedup` runs only the files whose path contains "dedup".
import { readdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

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

const out = path.join(root, 'docs', 'benchmarks.md');
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

// Keep sections from earlier runs of benchmarks not run this time. Read only now, after the long
// runs, so that two bench runs at once each keep the other's fresh sections.
const previous = existsSync(out) ? readFileSync(out, 'utf8') : '';
for (const m of previous.matchAll(/<!-- bench:(\S+) -->\n([\s\S]*?)<!-- \/bench -->/g))
  if (!sections.has(m[1]!)) sections.set(m[1]!, m[2]!);

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const header = `# Benchmarks

Written by \`pnpm bench\` (\`node --import tsx scripts/bench.ts [filter...]\`). Last run on:
${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}.
Each section says which file produced it and when.
`;
const body = [...sections.entries()]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([k, v]) => `<!-- bench:${k} -->\n${v}<!-- /bench -->`)
  .join('\n\n');
writeFileSync(out, `${header}\n${body}\n`);
process.stderr.write(`wrote ${path.relative(root, out)}\n`);
// Benchmarks may leave pools or sockets open; the results are written.
process.exit(0);
