// One export run for `export.bench.ts`, in its own process so maxRSS is this run's alone.
// Usage: node --import tsx export.bench-child.ts <studies>
import { performance } from 'node:perf_hooks';
import {
  buildConsensus,
  categoryKeys,
  extractionTables,
  fieldAgreement,
  loadDefaultCodebook,
  toCsv,
  toXlsx,
  type Coding,
  type CodebookField,
  type FieldValue,
} from '../src/index.ts';

const n = Number(process.argv[2] ?? 1000);
const book = loadDefaultCodebook();

// Deterministic pseudo-random codings (mulberry32), so every run measures the same data.
let seed = 42;
const rand = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

function value(field: CodebookField): FieldValue {
  const keys = categoryKeys(field);
  switch (field.type) {
    case 'single_choice':
      return { type: 'single_choice', option: pick(keys) };
    case 'multi_choice':
      return { type: 'multi_choice', options: keys.filter(() => rand() < 0.15) };
    case 'code_tree':
      return {
        type: 'code_tree',
        applications: keys
          .filter(() => rand() < 0.12)
          .map((code) => ({
            code,
            quotes: [
              {
                text: `Passage about ${code} in the report's findings section.`,
                page: 1 + Math.floor(rand() * 30),
              },
            ],
          })),
      };
    case 'text':
      return { type: 'text', text: 'Notes on the study design and reporting quality.' };
    case 'number':
      return { type: 'number', value: Math.floor(rand() * 100) };
    case 'quotation':
      return {
        type: 'quotation',
        quotes: [{ text: 'A key passage on learning from improvement.', page: 3 }],
      };
  }
}

const codings: Coding[] = [];
for (let i = 0; i < n; i++)
  for (const coder of ['ann', 'bob'])
    codings.push({
      studyId: `S${i}`,
      coderId: coder,
      codebookId: book.id,
      codebookVersion: book.version,
      values: Object.fromEntries(book.fields.map((f) => [f.key, value(f)])),
    });
const studies = Array.from({ length: n }, (_, i) => ({
  studyId: `S${i}`,
  number: i + 1,
  citation: `Author ${i} (2020). Title ${i}.`,
  reportIds: [`R${i}`],
}));

const t0 = performance.now();
const pairs = studies.map((s, i) => ({ studyId: s.studyId, a: codings[2 * i]!, b: codings[2 * i + 1]! }));
fieldAgreement(book, pairs);
const t1 = performance.now();
const final = pairs.map((p) => {
  const d = buildConsensus(book, [p.a, p.b]);
  return {
    studyId: p.studyId,
    coderId: 'consensus',
    codebookVersion: 1,
    values: { ...Object.fromEntries(d.differences.map((x) => [x.field, p.a.values[x.field]!])), ...d.values },
  };
});
const t2 = performance.now();
const tables = extractionTables({ codebook: book, studies, final, codings });
const t3 = performance.now();
let csvBytes = 0;
for (const t of tables) csvBytes += toCsv(t).length;
const t4 = performance.now();
const xlsx = await toXlsx(tables);
const t5 = performance.now();

process.stdout.write(
  JSON.stringify({
    studies: n,
    longRows: tables.find((t) => t.name === 'long')!.rows.length,
    wideColumns: tables.find((t) => t.name === 'wide')!.columns.length,
    agreementMs: t1 - t0,
    consensusMs: t2 - t1,
    tablesMs: t3 - t2,
    csvMs: t4 - t3,
    csvBytes,
    xlsxMs: t5 - t4,
    xlsxBytes: xlsx.length,
    maxRssKiB: process.resourceUsage().maxRSS,
  }),
);
