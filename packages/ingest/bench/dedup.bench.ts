// Dedup benchmark: accuracy on the labelled EndNote sets, and time/peak RSS on generated
// collections of 10k, 100k and 1M records (each size in its own child process so peak RSS is
// that run's alone). `node --import tsx packages/ingest/bench/dedup.bench.ts --child N` runs one size.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dedupe } from '../src/dedup/dedupe.ts';
import { readLabelledEndnote, scoreAgainstLabels } from '../src/dedup/endnote-corpus.ts';
import { generateCollection } from '../src/dedup/synthetic.ts';

const here = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(here), '../../..');
const SIZES = [10_000, 100_000, 1_000_000];

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
  /** Records auto-grouped with a record of another report (generator truth). */
  falseMerged: number;
  /** Records of a multi-record report left out of its group. */
  missed: number;
  duplicates: number;
}

function runChild(n: number): ChildResult {
  const out = execFileSync(
    process.execPath,
    ['--max-old-space-size=8192', '--import', 'tsx', here, '--child', String(n)],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
}

function child(n: number): void {
  let t = Date.now();
  const { inputs, reportOf } = generateCollection(n, 42);
  const generateMs = Date.now() - t;
  t = Date.now();
  const cpu = process.cpuUsage();
  const r = dedupe(inputs);
  const used = process.cpuUsage(cpu);
  const dedupeMs = Date.now() - t;
  const dedupeCpuMs = Math.round((used.user + used.system) / 1000);
  const groupOf = new Map<string, string>();
  for (const g of r.groups) for (const m of g.members) groupOf.set(m.recordId, g.id);
  // Truth: records of the same report. A group mixing reports counts its minority records as false merges.
  let falseMerged = 0;
  for (const g of r.groups) {
    const counts = new Map<number, number>();
    for (const m of g.members)
      counts.set(reportOf.get(m.recordId)!, (counts.get(reportOf.get(m.recordId)!) ?? 0) + 1);
    falseMerged += g.members.length - Math.max(...counts.values());
  }
  const perReport = new Map<number, string[]>();
  for (const [id, rep] of reportOf) perReport.set(rep, [...(perReport.get(rep) ?? []), id]);
  let missed = 0;
  let duplicates = 0;
  for (const ids of perReport.values()) {
    if (ids.length < 2) continue;
    duplicates += ids.length;
    const gs = new Map<string, number>();
    for (const id of ids) {
      const g = groupOf.get(id) ?? `single:${id}`;
      gs.set(g, (gs.get(g) ?? 0) + 1);
    }
    missed += ids.length - Math.max(...gs.values());
  }
  const result: ChildResult = {
    records: n,
    reports: perReport.size,
    generateMs,
    dedupeMs,
    dedupeCpuMs,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    candidatePairs: r.stats.candidatePairs,
    groups: r.stats.groups,
    autoMerged: r.stats.autoMerged,
    needsReview: r.stats.needsReview,
    falseMerged,
    missed,
    duplicates,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
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

export default async function (): Promise<string> {
  const corpus = await corpusSection();
  const rows: string[] = [];
  let base: ChildResult | undefined;
  for (const n of SIZES) {
    process.stderr.write(`dedup bench: ${n} records\n`);
    const r = runChild(n);
    base ??= r;
    const growth = (r.dedupeCpuMs / base.dedupeCpuMs / (n / base.records)).toFixed(2);
    rows.push(
      `| ${n.toLocaleString('en')} | ${r.reports.toLocaleString('en')} | ${(r.dedupeMs / 1000).toFixed(1)} | ${(r.dedupeCpuMs / 1000).toFixed(1)} | ${growth} | ${r.maxRssMb} | ${r.candidatePairs.toLocaleString('en')} | ${r.groups.toLocaleString('en')} | ${r.needsReview.toLocaleString('en')} | ${r.falseMerged} | ${r.missed} / ${r.duplicates} |`,
    );
  }
  return `## Deduplication

${corpus}

Generated collections (cross-database variants of the same report: abbreviated vs full journal names,
\`Smith JA\` / \`Smith, J. A.\` / \`Smith, John A\` author forms, \`245-59\` vs \`245-259\` pages, DOI present or
absent, title case and punctuation noise, epub year shift; seed 42). Time is \`dedupe()\` alone (keys,
blocking, comparison, grouping, canonical records); peak RSS is the child process's, generation included.
"CPU time per record vs 10k" is 1.00 for perfectly linear growth. Wall time depends on what else
the machine runs (other test suites shared these 2 cores during the recorded run); CPU time less so.

| Records | Reports | Wall time (s) | CPU time (s) | CPU time per record vs 10k | Peak RSS (MB) | Candidate pairs | Groups | Questions to review | Records falsely merged | Duplicates missed |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

Reproduce: \`pnpm bench dedup\`.`;
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) child(Number(process.argv[childAt + 1]));
