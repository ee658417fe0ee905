// docs/benchmarks.md is a set of sections, each between `<!-- bench:KEY -->` and `<!-- /bench -->`,
// written by `pnpm bench` (one per bench file) and `pnpm test:stress` (the stress results). Each
// writer replaces only its own sections and keeps the others.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const BENCHMARKS_DOC = path.resolve(import.meta.dirname, '..', 'docs', 'benchmarks.md');

/** The machine, as the header of the file states it. */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/**
 * Writes `fresh` (key -> Markdown) into the file. The file is read only now, so two writers
 * running at once each keep the other's fresh sections.
 */
export function writeBenchmarkSections(fresh: ReadonlyMap<string, string>): void {
  const sections = new Map(fresh);
  const previous = existsSync(BENCHMARKS_DOC) ? readFileSync(BENCHMARKS_DOC, 'utf8') : '';
  for (const m of previous.matchAll(/<!-- bench:(\S+) -->\n([\s\S]*?)<!-- \/bench -->/g))
    if (!sections.has(m[1]!)) sections.set(m[1]!, m[2]!);
  const header = `# Benchmarks

Written by \`pnpm bench\` (\`node --import tsx scripts/bench.ts [filter...]\`) and, for the stress
results, \`pnpm test:stress\`. Last run on: ${machineLine()}.
Each section says which file produced it and when.
`;
  const body = [...sections.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `<!-- bench:${k} -->\n${v.endsWith('\n') ? v : `${v}\n`}<!-- /bench -->`)
    .join('\n\n');
  writeFileSync(BENCHMARKS_DOC, `${header}\n${body}\n`);
}
