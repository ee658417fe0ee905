// Bulk upload of full texts: 500 generated PDFs (most with DOIs, some titles only, some
// duplicates, some belonging to no report) stored and matched to the reports sought for retrieval
// on a real PostgreSQL database, as the fulltext.match job does it. Reproduce: `pnpm bench fulltext`.
import os from 'node:os';
import { createReview } from '@winnow/core';
import { createTestDatabase } from '@winnow/core/testing';
import { addBatchUpload, createBatch, closeBatch, runBatchMatch } from '../src/index.ts';
import { fullTextCorpus, seedReportsSought } from '../src/testing/index.ts';

async function* once(b: Buffer) {
  yield b;
}

export default async function (): Promise<string> {
  const t = await createTestDatabase('postgres');
  try {
    const started = Date.now();
    const { reports, files } = fullTextCorpus({ files: 500, seed: 19 });
    const generatedMs = Date.now() - started;
    const review = await createReview(t.db, { slug: 'bench-fulltext', title: 'Bench full texts' });
    const ids = await seedReportsSought(t.db, review.id, reports);
    const batchId = await createBatch(t.db, { reviewId: review.id, actorId: null });
    const up = Date.now();
    for (const f of files)
      await addBatchUpload(t.db, {
        reviewId: review.id,
        batchId,
        fileName: f.name,
        source: once(f.bytes),
        maxBytes: 50 * 2 ** 20,
      });
    const uploadMs = Date.now() - up;
    await closeBatch(t.db, review.id, batchId);
    const m = Date.now();
    const summary = await runBatchMatch(
      t.db,
      { reviewId: review.id, batchId, actorId: null },
      { progress: async () => {}, attached: async () => {} },
    );
    const matchMs = Date.now() - m;

    const truth = new Map(files.map((f) => [f.name, f]));
    const correct = summary.attached.filter((a) => {
      const f = truth.get(a.file)!;
      return f.kind !== 'duplicate' && f.report !== null && ids[f.report] === a.reportId;
    }).length;
    const belonging = files.filter((f) => f.kind !== 'duplicate' && f.kind !== 'stray').length;
    const precision = correct / summary.attached.length;
    const recall = correct / belonging;
    const dupFound = summary.duplicates.filter((d) => truth.get(d)!.kind === 'duplicate').length;
    const dupTotal = files.filter((f) => f.kind === 'duplicate').length;
    const strays = files.filter((f) => f.kind === 'stray');
    const straysAttached = summary.attached.filter((a) => truth.get(a.file)!.kind === 'stray').length;
    const kinds = ['doi-meta', 'doi-text', 'pmid', 'title', 'duplicate', 'stray'] as const;
    const byKind = kinds.map((k) => {
      const of = files.filter((f) => f.kind === k);
      const names = new Set(of.map((f) => f.name));
      return `| ${k} | ${of.length} | ${summary.attached.filter((a) => names.has(a.file)).length} | ${summary.ambiguous.filter((a) => names.has(a.file)).length} | ${summary.unmatched.filter((u) => names.has(u)).length} | ${summary.duplicates.filter((d) => names.has(d)).length} |`;
    });
    const load1 = os.loadavg()[0]!;
    const cpus = os.cpus().length;
    const busy =
      load1 > cpus
        ? `measured on a busy machine (load average ${load1.toFixed(2)} on ${cpus} CPUs shared with other work)`
        : `load average ${load1.toFixed(2)} on ${cpus} CPUs`;
    return [
      '## Full texts: bulk upload matching (issue 19)',
      '',
      `${files.length} generated two-page PDFs against ${reports.length} reports sought for retrieval (PostgreSQL, one process, no queue in between):`,
      'DOI in the document information and on page 1, DOI on page 1 only, PMID only, title and year only, byte-for-byte',
      'copies of another file, and files belonging to no report. Precision = correctly attached / attached; recall =',
      'correctly attached / files that belong to a report (duplicates and strays left out).',
      '',
      `| precision | recall | duplicates found | strays attached | store ${files.length} files | match ${files.length} files | per file (match) |`,
      '|---:|---:|---:|---:|---:|---:|---:|',
      `| ${precision.toFixed(4)} | ${recall.toFixed(4)} | ${dupFound} / ${dupTotal} | ${straysAttached} / ${strays.length} | ${(uploadMs / 1000).toFixed(1)} s | ${(matchMs / 1000).toFixed(1)} s | ${(matchMs / files.length).toFixed(1)} ms |`,
      '',
      '| file kind | files | attached | to match by hand | unmatched | duplicate |',
      '|---|---:|---:|---:|---:|---:|',
      ...byKind,
      '',
      `Generating the PDFs took ${generatedMs} ms; timings ${busy}. Matching a file reads its first two pages with pdf.js,`,
      'checks its hash and compares it with every report; the counts do not depend on the load.',
    ].join('\n');
  } finally {
    await t.drop();
  }
}
