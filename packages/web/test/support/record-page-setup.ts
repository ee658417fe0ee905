import type { Db } from '@winnow/core';

/** Every import of the review so far counts under one database search, as PRISMA needs to count its records. */
export async function searchForImports(db: Db, reviewId: string, source = 'Embase'): Promise<void> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO searches (review_id, source_name, source_kind, platform) VALUES ($1, $2, 'database', 'Ovid') RETURNING id`,
    [reviewId, source],
  );
  await db.query(`UPDATE imports SET search_id = $2 WHERE review_id = $1 AND search_id IS NULL`, [
    reviewId,
    rows[0]!.id,
  ]);
}

const COPPER = {
  title: 'Antimicrobial copper alloys decreased bacteria on stethoscope surfaces',
  authors: [{ family: 'Schmidt', given: 'M. G.', asWritten: 'Schmidt, M. G.' }],
  journal: 'American Journal of Infection Control',
  year: 2017,
  volume: '45',
  issue: '6',
  pages: { asWritten: '642-647', first: '642', last: '647' },
  doi: '10.1016/j.ajic.2017.01.030',
  keywords: [],
  mesh: [],
  source: { format: 'ris' },
};

/**
 * One report exported by two databases (same DOI, title, authors, journal, volume and pages): two
 * imports under searches of their own, which a dedup run merges as certain duplicates. Returns the
 * two record ids.
 */
export async function insertDuplicatePair(db: Db, reviewId: string): Promise<[string, string]> {
  const ids: string[] = [];
  for (const source of ['MEDLINE', 'Scopus']) {
    const { rows: s } = await db.query<{ id: string }>(
      `INSERT INTO searches (review_id, source_name, source_kind) VALUES ($1, $2, 'database') RETURNING id`,
      [reviewId, source],
    );
    const { rows: imp } = await db.query<{ id: string }>(
      `INSERT INTO imports (review_id, search_id, file_name, content_hash, format, status, record_count)
       VALUES ($1, $2, $3, $4, 'ris', 'complete', 1) RETURNING id`,
      [reviewId, s[0]!.id, `${source.toLowerCase()}.ris`, `h-${source}-${Math.random()}`],
    );
    const raw = `TY  - JOUR\nTI  - ${COPPER.title}\nDO  - ${COPPER.doi}\nER  - `;
    const { rows: rec } = await db.query<{ id: string }>(
      `INSERT INTO records (review_id, import_id, source_index, title, year, data, raw)
       VALUES ($1, $2, 1, $3, $4, $5, $6) RETURNING id`,
      [reviewId, imp[0]!.id, COPPER.title, COPPER.year, JSON.stringify({ ...COPPER, raw }), raw],
    );
    ids.push(rec[0]!.id);
  }
  return [ids[0]!, ids[1]!];
}
