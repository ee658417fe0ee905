// Parse throughput per format (generated 100k-record files and the real corpus) and peak RSS while
// streaming a generated 1,000,000-record RIS file. Each generated file is parsed in a child process
// so its maxRSS is its own. Reproduce: `pnpm bench parse`.
import { execFileSync } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parseByteStream } from '../src/index.ts';
import { GENERATORS } from './parse.bench-data.ts';

const here = import.meta.dirname;
const corpus = path.resolve(here, '../../../../shared/corpus');

async function generate(file: string, format: keyof typeof GENERATORS, n: number): Promise<void> {
  const g = GENERATORS[format];
  const out = createWriteStream(file);
  out.write(g.header);
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += g.record(i);
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

interface ChildResult {
  records: number;
  seconds: number;
  cpuSeconds: number;
  bytes: number;
  maxRssKiB: number;
}

// A larger young generation: parsing allocates many short-lived strings, and with V8's default
// semi-space about a third of the time goes to scavenges. Workers should get the same flag.
const NODE_FLAGS = ['--max-semi-space-size=64'];

function parseInChild(file: string, flags = NODE_FLAGS): ChildResult {
  const out = execFileSync(
    process.execPath,
    [...flags, '--import', 'tsx', path.join(here, 'parse.bench-child.ts'), file],
    {
      cwd: path.resolve(here, '..'),
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out) as ChildResult;
}

function row(label: string, r: ChildResult): string {
  return `| ${label} | ${fmt(r.records)} | ${(r.bytes / 2 ** 20).toFixed(0)} MiB | ${r.seconds.toFixed(2)} | ${fmt(r.records / r.seconds)} | ${fmt(r.records / r.cpuSeconds)} | ${mb(r.bytes, r.seconds)} | ${mb(r.bytes, r.cpuSeconds)} | ${fmt(r.maxRssKiB / 1024)} MiB |`;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-GB');
const mb = (bytes: number, s: number): string => (bytes / 2 ** 20 / s).toFixed(1);

export default async function (): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'winnow-parse-bench-'));
  const rows: string[] = [];
  try {
    for (const format of Object.keys(GENERATORS) as Array<keyof typeof GENERATORS>) {
      const file = path.join(dir, `${format}.txt`);
      await generate(file, format, 100_000);
      rows.push(row(`generated ${format}`, parseInChild(file)));
      if (format === 'ris') rows.push(row('generated ris, default V8 flags', parseInChild(file, [])));
      rmSync(file);
    }

    if (existsSync(path.join(corpus, 'MANIFEST.tsv'))) {
      const manifest = readFileSync(path.join(corpus, 'MANIFEST.tsv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t'));
      const byFormat = new Map<
        string,
        { records: number; bytes: number; seconds: number; cpuSeconds: number; files: number }
      >();
      for (const [rel, format] of manifest) {
        const file = path.join(corpus, rel!);
        const started = performance.now();
        const cpuStart = process.cpuUsage();
        let records = 0;
        for await (const b of parseByteStream('auto', createReadStream(file), { fileName: rel }))
          records += b.records.length;
        const s = byFormat.get(format!) ?? { records: 0, bytes: 0, seconds: 0, cpuSeconds: 0, files: 0 };
        s.records += records;
        s.bytes += statSync(file).size;
        s.seconds += (performance.now() - started) / 1000;
        s.cpuSeconds += process.cpuUsage(cpuStart).user / 1e6;
        s.files++;
        byFormat.set(format!, s);
      }
      for (const [format, s] of [...byFormat].sort()) {
        rows.push(
          `| corpus ${format} (${s.files} files) | ${fmt(s.records)} | ${(s.bytes / 2 ** 20).toFixed(1)} MiB | ${s.seconds.toFixed(2)} | ${fmt(s.records / s.seconds)} | ${fmt(s.records / s.cpuSeconds)} | ${mb(s.bytes, s.seconds)} | ${mb(s.bytes, s.cpuSeconds)} | (in process) |`,
        );
      }
    } else {
      rows.push('| corpus | skipped: ../shared/corpus absent | | | | | | | |');
    }

    const big = path.join(dir, 'million.ris');
    await generate(big, 'ris', 1_000_000);
    rows.push(row('generated ris, 1,000,000 records', parseInChild(big)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  return `## Ingest: parse throughput and memory

Streaming parse (decode, split, parse, normalise every field) on one core. Wall-clock time depends on
what else the machine runs; records per CPU-second (user time of the parsing process) is the
single-core figure (MB per CPU-second likewise). Generated files run with \`--max-semi-space-size=64\` unless said otherwise. Generated records are full journal-article records (~900 bytes: 3 authors,
60-word abstract, DOI, pages, keywords). Peak RSS is the child process's \`maxRSS\`
(target: a 1,000,000-record RIS within 1 GiB; 50,000 records/s for RIS and MEDLINE text). Corpus
files are small and parsed in this process, so their figures include JIT warm-up per format.

| input | records | size | wall s | records/s (wall) | records per CPU-second | MB/s (wall) | MB per CPU-second | peak RSS |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

Reproduce: \`pnpm bench parse\`
`;
}
