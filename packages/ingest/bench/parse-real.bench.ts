// Parse of real exports side by side with @iebh/reflib, the Systematic Review Accelerator's parser
// (issue 18): the corpus's RIS exports concatenated into files of about 25, 50 and 100 MB, each
// parsed by parseByteStream (every field normalised) and by reflib's RIS stream reader, each in a
// child process of its own so its peak RSS is its own. Both children are compiled by esbuild first
// (Winnow's with the production build's own plugin), so no TypeScript is compiled while either runs,
// and run alternately ROUNDS times; the medians are reported. Reproduce: `nice -n 5 pnpm bench parse-real`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { workspacePlugin } from '../../../scripts/build-server.ts';
import { realRisExports, writeRealRisFile } from './real-ris.bench-data.ts';

interface ChildResult {
  records: number;
  seconds: number;
  cpuTotalSeconds: number;
  bytes: number;
  maxRssKiB: number;
}

const here = import.meta.dirname;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-GB');
const ROUNDS = 5;

/** Every package imported at run time, resolved from beside the output (reflib's child). */
const thirdPartyExternal: Plugin = {
  name: 'third-party-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => ({ path: args.path, external: true }));
  },
};

/** The child script as one JavaScript file in `outDir`, bundled with `plugin`. */
async function compiled(script: string, outDir: string, plugin: Plugin): Promise<string> {
  const outfile = path.join(outDir, script.replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [path.join(here, script)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    plugins: [plugin],
  });
  return outfile;
}

function child(script: string, file: string): ChildResult {
  const out = execFileSync(process.execPath, [script, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as ChildResult;
}

/** Each measure's median over the runs (wall and CPU apart), peak RSS the largest. */
function median(runs: ChildResult[]): ChildResult {
  const mid = <T>(xs: T[], by: (x: T) => number) => xs.map(by).sort((a, b) => a - b)[xs.length >> 1]!;
  return {
    records: runs[0]!.records,
    bytes: runs[0]!.bytes,
    seconds: mid(runs, (r) => r.seconds),
    cpuTotalSeconds: mid(runs, (r) => r.cpuTotalSeconds),
    maxRssKiB: Math.max(...runs.map((r) => r.maxRssKiB)),
  };
}

export default async function (): Promise<string> {
  const exports = realRisExports();
  if (!exports)
    return '## Ingest: parse of real exports against @iebh/reflib\n\nSkipped: ../shared/corpus is absent.\n';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'winnow-parse-real-'));
  const rows: string[] = [];
  const loads: string[] = [];
  /** The ratios on the largest file (about 100 MB: the issue's measure). */
  let largest = { wall: 0, cpu: 0 };
  try {
    // Winnow's child as the production build bundles it (workspace sources inlined, every other
    // package loaded from packages/web); reflib's beside packages/ingest, which depends on it.
    // Both under dist/ (not committed).
    const oursJs = await compiled(
      'parse.bench-child.ts',
      path.resolve(here, '../../web/dist/bench'),
      workspacePlugin(),
    );
    const theirsJs = await compiled(
      'reflib.bench-child.ts',
      path.resolve(here, '../dist/bench'),
      thirdPartyExternal,
    );
    for (const mb of [25, 50, 100]) {
      const file = path.join(dir, `real-${mb}.ris`);
      const { copies } = await writeRealRisFile(file, exports, mb * 1e6);
      loads.push(`${mb} MB: ${os.loadavg()[0]!.toFixed(1)}`);
      const runs: { ours: ChildResult[]; theirs: ChildResult[] } = { ours: [], theirs: [] };
      for (let round = 0; round < ROUNDS; round++) {
        runs.ours.push(child(oursJs, file));
        runs.theirs.push(child(theirsJs, file));
      }
      const ours = median(runs.ours);
      const theirs = median(runs.theirs);
      const ratioWall = ours.records / ours.seconds / (theirs.records / theirs.seconds);
      const ratioCpu = ours.records / ours.cpuTotalSeconds / (theirs.records / theirs.cpuTotalSeconds);
      largest = { wall: ratioWall, cpu: ratioCpu };
      for (const [name, r] of [
        ['Winnow parseByteStream', ours],
        ['@iebh/reflib readStream', theirs],
      ] as const) {
        rows.push(
          `| ${(r.bytes / 1e6).toFixed(0)} MB (${copies} copies) | ${name} | ${fmt(r.records)} | ${r.seconds.toFixed(2)} | ${r.cpuTotalSeconds.toFixed(2)} | ${fmt(r.records / r.seconds)} | ${fmt(r.records / r.cpuTotalSeconds)} | ${fmt(r.maxRssKiB / 1024)} MiB | ${r === ours ? `${ratioWall.toFixed(2)}x / ${ratioCpu.toFixed(2)}x` : ''} |`,
        );
      }
      rmSync(file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return `## Ingest: parse of real exports against @iebh/reflib (issue 18)

The corpus's ${exports.length} real RIS exports (Ovid, EBSCO, PubMed, Scopus, Web of Science, ProQuest, Embase, Zotero, EndNote;
${exports.reduce((n, e) => n + e.bytes.length, 0).toLocaleString('en-GB')} bytes) concatenated again and again into one file of the size shown (read in place, written to a temporary
file). Each parser runs in a child process of its own, timed from its first read to its last record, in the same run,
${ROUNDS} times each, alternately; each figure is the median of its runs (peak RSS: the largest). Both children are compiled
by esbuild first (as \`pnpm build\` compiles Winnow; no TypeScript compiled while either runs):
Winnow's \`parseByteStream\` decodes, splits, parses and normalises every field (authors, DOI, pages, markup, identifiers);
reflib's RIS \`readStream\` splits records and maps tags to fields. Records are counted, not kept. Ratio = Winnow's records per
second / reflib's, by wall time / by CPU time (user + system of the parsing process; wall time depends on what else the
machine runs). Load average (1 min) at the start of each size: ${loads.join('; ')} (2 cores shared with other work).

| file | parser | records | wall s | CPU s | records/s (wall) | records per CPU-second | peak RSS | ratio (wall / CPU) |
|---|---|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

Target: at least 1.3x reflib's records per second on the ~100 MB file (the issue's measure): ${largest.wall >= 1.3 ? 'met' : 'not met'} by records per second of wall time (${largest.wall.toFixed(2)}x); by CPU time ${largest.cpu.toFixed(2)}x (${largest.cpu >= 1.3 ? 'met' : 'not met'}; it counts Winnow's compiler and GC threads, which run beside the parse on the second core). Until 2026-12-06 this table's verdict read the lowest CPU ratio of the three files; the smaller files weigh start-up more (JIT warm-up, loading the HTML sanitiser at the first record with markup). Peak memory flat in file size: compare the peak RSS column across sizes.

Reproduce: \`nice -n 5 pnpm bench parse-real\`
`;
}
