// PRISMA derivation and rendering on a large synthetic review: how long the live diagram takes to
// recompute (the web page polls it) and how long the exports take.
import {
  derivePrismaFlow,
  renderPrismaPng,
  renderPrismaSvg,
  toPrismaTemplateCsv,
  type PrismaInput,
  type PrismaRecord,
  type PrismaReport,
  type PrismaSearch,
} from '../src/prisma/index.ts';

function syntheticReview(nRecords: number): PrismaInput {
  const sources = [
    'MEDLINE',
    'Embase',
    'CINAHL',
    'PsycINFO',
    'Scopus',
    'Web of Science',
    'HMIC',
    'Cochrane Library',
  ];
  const searches: PrismaSearch[] = sources.map((s, i) => ({ id: `s${i}`, source: s, kind: 'database' }));
  searches.push({ id: 'reg', source: 'ClinicalTrials.gov', kind: 'register' as const });
  const records: PrismaRecord[] = [];
  const reports: PrismaReport[] = [];
  const reasons = [
    'Wrong population',
    'Wrong intervention',
    'Wrong outcome',
    'Not a review',
    'Wrong setting',
    'Duplicate report',
  ];
  for (let i = 0; i < nRecords; i++) {
    const id = `r${i}`;
    const searchId = i % 50 === 0 ? 'reg' : `s${i % sources.length}`;
    if (i % 4 === 1) {
      records.push({ id, searchId, duplicateOf: `r${i - 1}` });
      continue;
    }
    const screening = i % 17 === 0 ? 'included' : i % 5 === 0 ? 'excluded_automation' : 'excluded_human';
    records.push({ id, searchId, screening });
    if (screening !== 'included') continue;
    const k = reports.length;
    reports.push({
      id: `p${k}`,
      recordId: id,
      retrieved: k % 11 !== 0,
      assessment: k % 11 === 0 ? null : k % 3 === 0 ? 'included' : 'excluded',
      exclusionReason: reasons[k % reasons.length],
      studyId: `st${Math.floor(k / 2)}`,
    });
  }
  return { searches, records, reports };
}

function time<T>(fn: () => T, runs = 5): { ms: number; value: T } {
  let value = fn();
  const start = performance.now();
  for (let i = 0; i < runs; i++) value = fn();
  return { ms: (performance.now() - start) / runs, value };
}

export default async function (): Promise<string> {
  const rows: string[] = [];
  for (const n of [10_000, 100_000]) {
    const input = syntheticReview(n);
    const derive = time(() => derivePrismaFlow(input));
    const svg = time(() => renderPrismaSvg(derive.value.counts));
    const csv = time(() => toPrismaTemplateCsv(derive.value.counts));
    const png = time(() => renderPrismaPng(svg.value, 2000), 3);
    rows.push(
      `| ${n.toLocaleString('en-GB')} | ${input.reports.length.toLocaleString('en-GB')} | ${derive.ms.toFixed(1)} | ${svg.ms.toFixed(2)} | ${csv.ms.toFixed(2)} | ${png.ms.toFixed(0)} | ${(png.value.length / 1024).toFixed(0)} |`,
    );
  }
  return `## PRISMA flow: derivation and rendering

Synthetic review: 8 databases and a register, a quarter of records duplicates, 1 in 17 included at
title/abstract, six full-text exclusion reasons, two reports per study. Mean of 5 runs (PNG: 3).

| records | reports | derive (ms) | SVG (ms) | template CSV (ms) | PNG 2000 px (ms) | PNG size (KiB) |
|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

Reproduce: \`pnpm bench prisma\``;
}
