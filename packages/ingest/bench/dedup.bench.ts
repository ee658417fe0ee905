// Dedup benchmark: accuracy on the labelled EndNote sets, and time/peak RSS on generated
// collections of 10k, 100k and 1M records (each size in its own child process so peak RSS is
// that run's alone), streamed as the dedup job reads the database; the job itself on 100k records
// stored in PostgreSQL. `node --import tsx packages/ingest/bench/dedup.bench.ts --child N` runs one size.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dedupe, dedupeStream } from '../src/dedup/dedupe.ts';
import type { DedupResult } from '../src/dedup/dedupe.types.ts';
import { readLabelledEndnote, scoreAgainstLabels } from '../src/dedup/endnote-corpus.ts';
import { generateCollection } from '../src/dedup/synthetic.ts';
import {
  runJob,
  storeCollection,
  type Engine,
  type JobRun,
  type StoredCollection,
} from './dedup.bench-db.ts';
import { generatedSource, positionOf, SEED, truth } from './dedup.bench-source.ts';

const here = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(here), '../../..');
const SIZES = [10_000, 100_000, 1_000_000];
/** Records stored in the database for the job's own run. */
const DB_SIZE = 100_000;

interface ChildResult {
  records: number;
  reports: number;
  generateMs: number;
  dedupeMs: number;
  /** CPU time of dedupe() (user + system): less sensitive than wall time to other load on the machine. */
  dedupeCpuMs: number;
  maxRssMb: number;
  candidatePairs: number;
  groups: number;
  autoMerged: number;
  needsReview: number;
  pendingPairs: number;
  /** Records auto-grouped with a record of another report (generator truth). */
  falseMerged: number;
  /** Records of a multi-record report left out of its group. */
  missed: number;
  duplicates: number;
}

function runChild(mode: string, n: number): ChildResult {
  const out = execFileSync(
    process.execPath,
    ['--max-old-space-size=8192', '--import', 'tsx', here, mode, String(n)],
    { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
}

function summary(
  n: number,
  r: DedupResult,
  t: { generateMs: number; dedupeMs: number; dedupeCpuMs: number },
  reportOf: Int32Array,
): ChildResult {
  return {
    records: n,
    ...t,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    candidatePairs: r.stats.candidatePairs,
    groups: r.stats.groups,
    autoMerged: r.stats.autoMerged,
    needsReview: r.stats.needsReview,
    pendingPairs: r.stats.pendingPairs,
    ...truth(r, reportOf),
  };
}

/** The streamed run (what the dedup job does), on generated records. */
async function streamedChild(n: number): Promise<ChildResult> {
  const { source, reportOf, generating } = generatedSource(n);
  const t = Date.now();
  const cpu = process.cpuUsage();
  const r = await dedupeStream(source);
  const used = process.cpuUsage(cpu);
  const generateMs = Math.round(generating.wallMs);
  return summary(
    n,
    r,
    {
      generateMs,
      dedupeMs: Date.now() - t - generateMs,
      dedupeCpuMs: Math.round((used.user + used.system) / 1000 - generating.cpuMs),
    },
    reportOf,
  );
}

/** All records in memory, then `dedupe()` (what the job did before issue 18), for comparison. */
function inMemoryChild(n: number): ChildResult {
  let t = Date.now();
  const { inputs, reportOf: reports } = generateCollection(n, SEED);
  const generateMs = Date.now() - t;
  t = Date.now();
  const cpu = process.cpuUsage();
  const r = dedupe(inputs);
  const used = process.cpuUsage(cpu);
  const dedupeMs = Date.now() - t;
  const reportOf = new Int32Array(n);
  for (const [id, report] of reports) reportOf[positionOf(id)] = report;
  return summary(
    n,
    r,
    { generateMs, dedupeMs, dedupeCpuMs: Math.round((used.user + used.system) / 1000) },
    reportOf,
  );
}

async function corpusSection(): Promise<string> {
  const dir = path.resolve(repoRoot, '../shared/corpus/dedup');
  if (!existsSync(dir)) return `_Corpus not found at ${dir}: accuracy figures skipped._\n`;
  const rows: string[] = [];
  for (const name of ['copper', 'tafenoquine']) {
    const file = path.join(dir, `${name}.xml`);
    if (!existsSync(file)) continue;
    const records = await readLabelledEndnote(readFileSync(file, 'utf8'));
    const t = Date.now();
    const r = dedupe(records.map((x) => ({ id: x.id, record: x.record })));
    const ms = Date.now() - t;
    const s = scoreAgainstLabels(records, new Set(r.groups.flatMap((g) => g.members.map((m) => m.recordId))));
    const dup = records.filter((x) => x.labelledDuplicate).length;
    rows.push(
      `| ${name}.xml | ${records.length} | ${dup} | ${s.sensitivity.toFixed(3)} | ${s.specificity.toFixed(3)} | ${r.stats.autoMerged} | ${r.review.length} | ${ms} |`,
    );
  }
  return [
    'Accuracy on the labelled EndNote sets (caption `Duplicate` on every member of a duplicate set; DESIGN.md scoring rule, counting only automatic merges; pairs sent to review count as not merged). Reference engine (SRA, balanced): copper 0.979 / 0.987, tafenoquine 0.983 / 1.000.',
    '',
    '| Set | Records | Labelled duplicates | Sensitivity | Specificity | Pairs auto-merged | Questions to manual review | Time (ms) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

/** Load average over the last minute, as `uptime` prints it: the machine is shared. */
const load = (): string => os.loadavg()[0]!.toFixed(1);

function jobRow(label: string, r: JobRun): string {
  return `| ${label} | ${r.records.toLocaleString('en')} | ${(r.wallMs / 1000).toFixed(1)} | ${(r.cpuMs / 1000).toFixed(1)} | ${r.maxRssMb} | ${r.groups.toLocaleString('en')} | ${r.needsReview} |`;
}

export default async function (sizes = SIZES, dbSize = DB_SIZE): Promise<string> {
  const loadBefore = load();
  const corpus = await corpusSection();
  const rows: string[] = [];
  let base: ChildResult | undefined;
  for (const n of sizes) {
    process.stderr.write(`dedup bench: ${n} records, streamed\n`);
    const r = runChild('--child', n);
    base ??= r;
    const growth = (r.dedupeCpuMs / base.dedupeCpuMs / (n / base.records)).toFixed(2);
    rows.push(
      `| ${n.toLocaleString('en')} | ${r.reports.toLocaleString('en')} | ${(r.dedupeMs / 1000).toFixed(1)} | ${(r.dedupeCpuMs / 1000).toFixed(1)} | ${growth} | ${r.maxRssMb} | ${r.candidatePairs.toLocaleString('en')} | ${r.groups.toLocaleString('en')} | ${r.needsReview.toLocaleString('en')} | ${r.falseMerged} | ${r.missed} / ${r.duplicates} |`,
    );
  }
  process.stderr.write(`dedup bench: ${dbSize} records in memory\n`);
  const memory = runChild('--child-memory', dbSize);
  const streamedAgain = runChild('--child', dbSize);
  process.stderr.write(`dedup bench: ${dbSize} records in PostgreSQL\n`);
  const { stored, drop } = await storeCollection('postgres', dbSize);
  let jobs: string[];
  try {
    const whole = runJobChild(stored, 'whole');
    const streamed = runJobChild(stored, 'streamed');
    jobs = [jobRow('before: every record read whole', whole), jobRow('now: streamed keys', streamed)];
  } finally {
    await drop();
  }
  return `## Deduplication

${corpus}

Generated collections (cross-database variants of the same report: abbreviated vs full journal names,
\`Smith JA\` / \`Smith, J. A.\` / \`Smith, John A\` author forms, \`245-59\` vs \`245-259\` pages, DOI present or
absent, title case and punctuation noise, epub year shift; seed 42), deduplicated as the dedup job does
it since issue 18 (\`dedupeStream\`): match keys read in batches that are dropped once read, typed-array
blocking, kept pairs in typed arrays, then the whole records of grouped records only, read again a few
thousand groups at a time. Here the generator stands in for the database: it is run once for the keys and
resumed from marks for the grouped records; the time it takes is not counted. Peak RSS is the child
process's (generation included). "CPU time per record vs 10k" is 1.00 for perfectly linear growth.
Load average (1 min) on the 2-core machine: ${loadBefore} at the start, ${load()} at the end (other
sessions' tests share it; wall time suffers most, CPU time less).

| Records | Reports | Wall time (s) | CPU time (s) | CPU time per record vs 10k | Peak RSS (MB) | Candidate pairs | Groups | Questions to review | Records falsely merged | Duplicates missed |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

${dbSize.toLocaleString('en')} records, the old way in the same run (every generated record in memory, then \`dedupe()\`):
${(memory.dedupeMs / 1000).toFixed(1)} s wall, ${(memory.dedupeCpuMs / 1000).toFixed(1)} s CPU, peak RSS ${memory.maxRssMb} MB, ${memory.groups.toLocaleString('en')} groups,
${memory.candidatePairs.toLocaleString('en')} candidate pairs; streamed again: ${(streamedAgain.dedupeMs / 1000).toFixed(1)} s wall, ${(streamedAgain.dedupeCpuMs / 1000).toFixed(1)} s CPU, ${streamedAgain.maxRssMb} MB.

The dedup job itself (\`runDedup\`: read from the database, compare, save groups, pairs and events in one
transaction) on ${dbSize.toLocaleString('en')} generated records stored in PostgreSQL (127.0.0.1), each run in a process of its own;
"before" is the job's former read (every record whole in one query, then \`dedupeYielding\`), run on the same data:

| Job run | Records | Wall time (s) | CPU time of the process (s) | Peak RSS (MB) | Groups | Questions |
|---|---:|---:|---:|---:|---:|---:|
${jobs.join('\n')}

Reproduce: \`nice -n 5 node --import tsx scripts/bench.ts dedup.bench\`; one size alone:
\`node --max-old-space-size=8192 --import tsx packages/ingest/bench/dedup.bench.ts --child N\`
(\`--child-memory N\` for the in-memory path).`;
}

function runJobChild(c: StoredCollection, how: 'streamed' | 'whole'): JobRun {
  const out = execFileSync(
    process.execPath,
    ['--max-old-space-size=8192', '--import', 'tsx', here, '--child-job', how, JSON.stringify(c)],
    { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as JobRun;
}

const [mode, arg, extra] = process.argv.slice(2);
const print = (v: unknown): void => void process.stdout.write(`${JSON.stringify(v)}\n`);
if (mode === '--child') print(await streamedChild(Number(arg)));
else if (mode === '--child-memory') print(inMemoryChild(Number(arg)));
else if (mode === '--child-job')
  print(await runJob(JSON.parse(extra!) as StoredCollection, arg as 'streamed' | 'whole'));
else if (mode === '--job') {
  // `--job N [postgres|pglite]`: stores N records, runs the job before and now, each in a child.
  const { stored, drop } = await storeCollection((extra ?? 'postgres') as Engine, Number(arg));
  try {
    print({ whole: runJobChild(stored, 'whole'), streamed: runJobChild(stored, 'streamed') });
  } finally {
    await drop();
  }
}
