import type { Sql } from '@winnow/core';
import { extractionStatus } from '@winnow/extraction';
import { dedupStatus } from './dedup.status.ts';
import { screeningStatus } from './screening.status.ts';

/**
 * A piece of the review's status (counts per stage). Each feature contributes its own counts,
 * derived from the database; nothing is typed in. Add one entry per feature.
 */
export type StatusContributor = (db: Sql, reviewId: string) => Promise<Record<string, unknown>>;

const coreCounts: StatusContributor = async (db, reviewId) => {
  const { rows } = await db.query<{ imports: number; records: number; duplicates: number }>(
    // Records count once their import has completed: an import cut off mid-file (a killed worker)
    // holds part of its records until the retried job finishes it, and those are not yet identified.
    `SELECT (SELECT count(*)::int FROM imports WHERE review_id = $1 AND status = 'complete') AS imports,
            count(*)::int AS records,
            (count(*) FILTER (WHERE r.duplicate_of IS NOT NULL))::int AS duplicates
       FROM records r JOIN imports i ON i.id = r.import_id AND i.status = 'complete'
      WHERE r.review_id = $1`,
    [reviewId],
  );
  const r = rows[0] ?? { imports: 0, records: 0, duplicates: 0 };
  return {
    identification: {
      imports: r.imports,
      records: r.records,
      duplicatesRemoved: r.duplicates,
      unique: r.records - r.duplicates,
    },
  };
};

export const STATUS_CONTRIBUTORS: readonly StatusContributor[] = [
  coreCounts,
  dedupStatus,
  screeningStatus,
  extractionStatus,
];

export async function reviewStatus(db: Sql, reviewId: string): Promise<Record<string, unknown>> {
  const parts = await Promise.all(STATUS_CONTRIBUTORS.map((c) => c(db, reviewId)));
  return Object.assign({}, ...parts);
}
