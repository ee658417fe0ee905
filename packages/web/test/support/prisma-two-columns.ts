import type { Review } from '@winnow/core';
import type { TestApp } from './test-app.ts';

/**
 * A review part way through title/abstract screening with both columns of the diagram, as stored:
 *
 *   MEDLINE (database)          d1 included (its report awaits retrieval), d2 excluded, d3 in conflict,
 *                               d4, d5, d6 not voted on
 *   The King's Fund (website)   g1, g2, g3 added by hand, not voted on
 *
 * So 4 records from databases and registers and 3 from other methods await title/abstract
 * screening; every record has entered the stage, as the queue enters them.
 */
export const TWO_COLUMNS = { dbrAwaiting: 4, otherAwaiting: 3, screened: 2 } as const;

const TOPICS: Record<string, [title: string, family: string, given: string, year: number]> = {
  d1: ['Leadership for quality improvement in acute hospitals', 'Smith', 'Anna', 2020],
  d2: ['Patient and public involvement in improvement collaboratives', 'Jones', 'Ben', 2019],
  d3: ['Statistical process control charts in primary care audits', 'Khan', 'Cara', 2021],
  d4: ['Lean methods in pathology laboratories', 'Lee', 'Dan', 2018],
  d5: ['Teamwork climate and safety culture surveys in intensive care', 'Patel', 'Eve', 2022],
  d6: ['Digital dashboards for ward performance monitoring', 'Garcia', 'Gil', 2017],
  g1: ['Building improvement capability in NHS trusts', 'Ham', 'Chris', 2021],
  g2: ['Quality improvement at the front line: a guide for boards', 'Alderwick', 'Hugh', 2017],
  g3: ['Making the case for quality improvement', 'Jabbal', 'Joni', 2017],
};

export async function seedTwoColumns(
  app: TestApp,
  review: Review,
): Promise<{ id: Map<string, string>; importId: { dbr: string; other: string } }> {
  const db = app.rt.db;
  const id = new Map<string, string>();
  const importId = { dbr: '', other: '' };
  for (const [col, source, kind, labels] of [
    ['dbr', 'MEDLINE', 'database', ['d1', 'd2', 'd3', 'd4', 'd5', 'd6']],
    ['other', 'The King’s Fund', 'website', ['g1', 'g2', 'g3']],
  ] as const) {
    const { rows: s } = await db.query<{ id: string }>(
      `INSERT INTO searches (review_id, source_name, source_kind, records_reported)
       VALUES ($1, $2, $3, $4) RETURNING id`,
      [review.id, source, kind, labels.length],
    );
    const { rows: i } = await db.query<{ id: string }>(
      `INSERT INTO imports (review_id, search_id, file_name, content_hash, status)
       VALUES ($1, $2, $3, $4, 'complete') RETURNING id`,
      [review.id, s[0]!.id, `${col}.ris`, `h-two-columns-${col}`],
    );
    importId[col] = i[0]!.id;
    for (const [n, label] of labels.entries()) {
      const [title, family, given, year] = TOPICS[label]!;
      const data = { title, year, authors: [{ family, given }] };
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO records (review_id, import_id, source_index, title, year, data, raw)
         VALUES ($1, $2, $3, $4, $5, $6, '') RETURNING id`,
        [review.id, i[0]!.id, n + 1, title, year, JSON.stringify(data)],
      );
      id.set(label, rows[0]!.id);
    }
  }
  const status: Record<string, string> = { d1: 'advanced', d2: 'excluded', d3: 'conflict' };
  for (const [label, recordId] of id)
    await db.query(
      `INSERT INTO stage_records (review_id, record_id, stage, status) VALUES ($1, $2, 'title-abstract', $3)`,
      [review.id, recordId, status[label] ?? 'awaiting-votes'],
    );
  await db.query(`INSERT INTO reports (review_id, record_id, title) VALUES ($1, $2, '')`, [
    review.id,
    id.get('d1'),
  ]);
  return { id, importId };
}
