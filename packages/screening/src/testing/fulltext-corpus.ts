import { randomUUID } from 'node:crypto';
import { zipSync } from 'fflate';
import type { Db } from '@winnow/core';
import { testPdf } from '@winnow/core/testing';
import { seededRandom } from '../routing/seeded-random.ts';

/** Reports sought for retrieval and PDFs for them, generated for tests and the bench. */
export interface CorpusReport {
  title: string;
  year: number;
  doi: string | null;
  pmid: string | null;
}
export type CorpusFileKind = 'doi-meta' | 'doi-text' | 'pmid' | 'title' | 'duplicate' | 'stray';
export interface CorpusFile {
  name: string;
  bytes: Buffer;
  kind: CorpusFileKind;
  /** Index of the report it is the full text of; null for a stray (and for duplicates, their original's). */
  report: number | null;
}

const WORDS = (
  'leadership quality improvement hospital primary care team culture safety patient public involvement data ' +
  'measurement learning system network nurse physician clinical governance audit feedback training skills ' +
  'competency coaching collaborative regional national programme evaluation realist review trial cohort ' +
  'qualitative mixed methods implementation spread sustainability mental health maternity surgery emergency ' +
  'community pharmacy general practice outcomes process variation lean six sigma plan study act cycle ' +
  'run chart statistical control board executive middle managers frontline staff engagement co-design ' +
  'experience service redesign pathway integrated commissioning funding incentives policy context mechanism ' +
  'barriers facilitators capacity capability infrastructure digital records dashboard indicators benchmarking'
).split(' ');

/** The same seed gives the same corpus. */
const rng = seededRandom;

function title(r: () => number): string {
  const n = 6 + Math.floor(r() * 7);
  const words = Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]!);
  words[0] = words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1);
  return words.join(' ');
}

function body(r: () => number, lines: number): string[] {
  return Array.from({ length: lines }, () => title(r).toLowerCase() + '.');
}

/**
 * `files` PDFs for `reports` reports: about 60% carry their DOI in the document information and
 * on page 1, 12% only on page 1, 6% only a PMID, 12% only their title and year, 5% are byte-for-byte
 * copies of another file, 5% belong to no report. Each PDF has two pages of text.
 */
export function fullTextCorpus(opts: { files: number; seed?: number }): {
  reports: CorpusReport[];
  files: CorpusFile[];
} {
  const r = rng(opts.seed ?? 19);
  const dupes = Math.round(opts.files * 0.05);
  const strays = Math.round(opts.files * 0.05);
  const own = opts.files - dupes - strays;
  const reports: CorpusReport[] = [];
  const files: CorpusFile[] = [];
  // More reports than files: some full texts are never found.
  const total = Math.round(own * 1.2);
  for (let i = 0; i < total; i++) {
    reports.push({
      title: title(r),
      year: 1995 + Math.floor(r() * 30),
      doi: r() < 0.8 ? `10.${1000 + Math.floor(r() * 9000)}/wn.${i}.${Math.floor(r() * 1e6)}` : null,
      pmid: r() < 0.6 ? String(10_000_000 + Math.floor(r() * 30_000_000)) : null,
    });
  }
  const kinds: CorpusFileKind[] = [];
  for (let i = 0; i < own; i++) {
    const x = r();
    kinds.push(x < 0.63 ? 'doi-meta' : x < 0.76 ? 'doi-text' : x < 0.82 ? 'pmid' : 'title');
  }
  for (let i = 0; i < own; i++) {
    let kind = kinds[i]!;
    const rep = reports[i]!;
    if ((kind === 'doi-meta' || kind === 'doi-text') && !rep.doi) kind = 'title';
    if (kind === 'pmid' && !rep.pmid) kind = 'title';
    const header = `Journal of Improvement Studies ${rep.year}; ${1 + Math.floor(r() * 40)}: ${1 + Math.floor(r() * 900)}`;
    const page1 = [
      header,
      ...(kind === 'doi-meta' || kind === 'doi-text' ? [`https://doi.org/${rep.doi}`] : []),
      ...(kind === 'pmid' ? [`PMID: ${rep.pmid}`] : []),
      rep.title,
      'A. Author, B. Writer',
      ...body(r, 8),
    ];
    files.push({
      name: `paper-${String(i + 1).padStart(4, '0')}.pdf`,
      bytes: testPdf({
        pages: [page1, body(r, 10)],
        ...(kind === 'doi-meta' ? { info: { title: rep.title, subject: `doi:${rep.doi}` } } : {}),
      }),
      kind,
      report: i,
    });
  }
  for (let i = 0; i < strays; i++) {
    files.push({
      name: `other-${String(i + 1).padStart(4, '0')}.pdf`,
      bytes: testPdf({ pages: [[`Annals of Elsewhere ${2000 + i}`, title(r), ...body(r, 6)]] }),
      kind: 'stray',
      report: null,
    });
  }
  for (let i = 0; i < dupes; i++) {
    const of = files[Math.floor(r() * own)]!;
    files.push({ name: `copy-of-${of.name}`, bytes: of.bytes, kind: 'duplicate', report: of.report });
  }
  return { reports, files };
}

/**
 * Test setup standing in for title/abstract screening: each report as an imported record that was
 * included, so its report is sought for retrieval. Returns the report ids in order.
 */
export async function seedReportsSought(
  db: Db,
  reviewId: string,
  reports: readonly CorpusReport[],
): Promise<string[]> {
  const importId = randomUUID();
  await db.query(
    `INSERT INTO imports (id, review_id, file_name, content_hash, format, status, record_count)
     VALUES ($1, $2, 'seed.ris', $3, 'ris', 'complete', $4)`,
    [importId, reviewId, `seed-${importId}`, reports.length],
  );
  for (let i = 0; i < reports.length; i += 200) {
    const slice = reports.slice(i, i + 200);
    await db.query(
      `WITH rec AS (
         INSERT INTO records (review_id, import_id, source_index, title, year, doi, pmid, data, raw)
         SELECT $1, $2, n, t, y, d, p, jsonb_build_object('title', t, 'year', y, 'doi', d, 'pmid', p), ''
           FROM unnest($3::int[], $4::text[], $5::int[], $6::text[], $7::text[]) AS x(n, t, y, d, p)
         RETURNING id, title, source_index)
       INSERT INTO reports (review_id, record_id, title)
       SELECT $1, id, title FROM rec`,
      [
        reviewId,
        importId,
        slice.map((_, k) => i + k + 1),
        slice.map((x) => x.title),
        slice.map((x) => x.year),
        slice.map((x) => x.doi),
        slice.map((x) => x.pmid),
      ],
    );
  }
  const { rows } = await db.query<{ id: string }>(
    `SELECT p.id FROM reports p JOIN records r ON r.id = p.record_id WHERE r.import_id = $1 ORDER BY r.source_index`,
    [importId],
  );
  return rows.map((x) => x.id);
}

/** A zip of the given files (for tests of zip uploads). */
export function zipFiles(files: Record<string, Uint8Array>): Uint8Array {
  return zipSync(files);
}
