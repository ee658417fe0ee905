// Parse of real exports side by side with @iebh/reflib, the Systematic Review Accelerator's parser
// (issue 18): the corpus's RIS exports concatenated into files of about 25, 50 and 100 MB, each
// parsed by parseByteStream (every field normalised) and by reflib's RIS stream reader, each in a
// child process of its own so its peak RSS is its own. Reproduce: `nice -n 5 pnpm bench parse-real`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

function child(script: string, file: string, flags: string[]): ChildResult {
  const out = execFileSync(process.execPath, [...flags, '--import', 'tsx', path.join(here, script), file], {
    cwd: path.resolve(here, '..'),
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out) as ChildResult;
}

export default async function (): Promise<string> {
  const exports = realRisExports();
  if (!exports)
    return '## Ingest: parse of real exports against @iebh/reflib\n\nSkipped: ../shared/corpus is absent.\n';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'winnow-parse-real-'));
  const rows: string[] = [];
  const loads: string[] = [];
  const ratios: number[] = [];
  try {
    for (const mb of [25, 50, 100]) {
      const file = path.join(dir, `real-${mb}.ris`);
      const { copies } = await writeRealRisFile(file, exports, mb * 1e6);
      loads.push(`${mb} MB: ${os.loadavg()[0]!.toFixed(1)}`);
      // Both with Node's defaults, as `winnow import` and the import worker run (a larger young
      // generation, which parse.bench.ts measures too, no longer helps on these files).
      const ours = child('parse.bench-child.ts', file, []);
      const theirs = child('reflib.bench-child.ts', file, []);
      const ratioWall = ours.records / ours.seconds / (theirs.records / theirs.seconds);
      const ratioCpu = ours.records / ours.cpuTotalSeconds / (theirs.records / theirs.cpuTotalSeconds);
      ratios.push(ratioCpu);
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
  const worst = Math.min(...ratios);
  return `## Ingest: parse of real exports against @iebh/reflib (issue 18)

The corpus's ${exports.length} real RIS exports (Ovid, EBSCO, PubMed, Scopus, Web of Science, ProQuest, Embase, Zotero, EndNote;
${exports.reduce((n, e) => n + e.bytes.length, 0).toLocaleString('en-GB')} bytes) concatenated again and again into one file of the size shown (read in place, written to a temporary
file). Each parser runs in a child process of its own, timed from its first read to its last record, in the same run:
Winnow's \`parseByteStream\` decodes, splits, parses and normalises every field (authors, DOI, pages, markup, identifiers);
reflib's RIS \`readStream\` splits records and maps tags to fields. Records are counted, not kept. Ratio = Winnow's records per
second / reflib's, by wall time / by CPU time (user + system of the parsing process; wall time depends on what else the
machine runs). Load average (1 min) at the start of each size: ${loads.join('; ')} (2 cores shared with other work).

| file | parser | records | wall s | CPU s | records/s (wall) | records per CPU-second | peak RSS | ratio (wall / CPU) |
|---|---|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

Target: at least 1.3x reflib's records per second: ${worst >= 1.3 ? 'met' : 'not met'} (lowest CPU ratio ${worst.toFixed(2)}x). Peak memory flat in file size: compare the peak RSS column across sizes.

Reproduce: \`nice -n 5 pnpm bench parse-real\`
`;
}
