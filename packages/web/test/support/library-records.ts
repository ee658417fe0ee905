import type { Db } from '@winnow/core';

/** Records written for this test: titles and abstracts chosen so each search below has one answer. */
export const LIBRARY_RECORDS = [
  { title: 'Lean thinking for quality improvement in hospital wards', abstract: 'Lean methods.', year: 2015 },
  { title: 'Six Sigma and quality improvement in surgery', abstract: 'A six sigma project.', year: 2018 },
  { title: 'Quality improvement in pediatric intensive care', abstract: 'Lean huddles.', year: 2020 },
  { title: 'Paediatrics nurse staffing', abstract: 'Quality of care and six sigma.', year: 2011 },
  { title: 'Leadership walk-rounds', abstract: 'Safety culture and quality improvement.', year: 2009 },
  { title: 'Patient involvement in service design', abstract: 'Co-design with patients.', year: 2021 },
];

export async function insertLibraryRecords(db: Db, reviewId: string, fileName: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO imports (review_id, file_name, content_hash, status) VALUES ($1, $2, $3, 'complete') RETURNING id`,
    [reviewId, fileName, `h-${Math.random()}`],
  );
  const ids: string[] = [];
  for (const [i, r] of LIBRARY_RECORDS.entries()) {
    const data = {
      title: r.title,
      abstract: r.abstract,
      year: r.year,
      authors: [{ family: 'Okafor', asWritten: 'Okafor, N.' }],
      journal: 'BMJ Quality & Safety',
      keywords: [],
      mesh: [],
      source: { format: 'ris' },
      raw: '',
    };
    const { rows: rec } = await db.query<{ id: string }>(
      `INSERT INTO records (review_id, import_id, source_index, title, year, data, raw)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        reviewId,
        rows[0]!.id,
        i + 1,
        r.title,
        r.year,
        JSON.stringify(data),
        `TY  - JOUR\nTI  - ${r.title}\nER  - `,
      ],
    );
    ids.push(rec[0]!.id);
  }
  return ids;
}
