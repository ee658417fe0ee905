// Extraction at review scale: agreement, consensus, table building and CSV/XLSX writing for
// studies dual-coded against the default codebook, each size in a child process for its peak RSS.
// Reproduce: `pnpm bench extraction`.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const here = import.meta.dirname;

interface Run {
  studies: number;
  longRows: number;
  wideColumns: number;
  agreementMs: number;
  consensusMs: number;
  tablesMs: number;
  csvMs: number;
  csvBytes: number;
  xlsxMs: number;
  xlsxBytes: number;
  maxRssKiB: number;
}

function run(n: number): Run {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'export.bench-child.ts'), String(n)],
    {
      cwd: path.resolve(here, '..'),
      encoding: 'utf8',
    },
  );
  return JSON.parse(out) as Run;
}

const ms = (x: number): string => x.toFixed(0);
const mib = (b: number): string => (b / 2 ** 20).toFixed(1);

export default async function (): Promise<string> {
  const rows = [100, 1000, 5000].map(run);
  return [
    '## Extraction: agreement, consensus and exports',
    '',
    'Studies dual-coded (two coders) against the default "Influences on improvement processes" codebook with',
    'random but deterministic answers (about 15% of options and 12% of codes applied, one quotation per code).',
    'All tables: wide (binary columns), long (both coders and consensus), one profile table per categorical field.',
    '',
    '| studies | long rows | wide columns | agreement ms | consensus ms | tables ms | CSV ms (MiB) | XLSX ms (MiB) | peak RSS MiB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.studies} | ${r.longRows} | ${r.wideColumns} | ${ms(r.agreementMs)} | ${ms(r.consensusMs)} | ${ms(r.tablesMs)} | ${ms(r.csvMs)} (${mib(r.csvBytes)}) | ${ms(r.xlsxMs)} (${mib(r.xlsxBytes)}) | ${(r.maxRssKiB / 1024).toFixed(0)} |`,
    ),
    '',
    'Reproduce: `pnpm bench extraction`',
  ].join('\n');
}
