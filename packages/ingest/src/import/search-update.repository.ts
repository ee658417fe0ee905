import { appendEvent, WinnowError, type Db, type Sql } from '@winnow/core';
import { countCheckWarning, isCountCheckWarning, type SourceKind } from './import.types.ts';

/**
 * A search's PRISMA-S details as the lead may correct them after the upload: where it was run, on
 * which platform and day, its strategy and limits, how many records the database reported. Each
 * given field replaces the stored one (null clears it); a field left out stays as it is.
 */
export interface SearchChanges {
  sourceName?: string;
  sourceKind?: SourceKind;
  platform?: string | null;
  /** YYYY-MM-DD */
  searchedOn?: string | null;
  strategy?: string | null;
  limits?: string | null;
  recordsReported?: number | null;
}

/** The stored search, as the imports list and PRISMA-S read it. */
export interface SearchDetails {
  id: string;
  sourceName: string;
  sourceKind: SourceKind;
  platform: string | null;
  searchedOn: string | null;
  strategy: string | null;
  limits: string | null;
  recordsReported: number | null;
}

const COLUMNS: Record<keyof SearchChanges, string> = {
  sourceName: 'source_name',
  sourceKind: 'source_kind',
  platform: 'platform',
  searchedOn: 'searched_on',
  strategy: 'strategy',
  limits: 'limits',
  recordsReported: 'records_reported',
};

const SELECT = `id, source_name AS "sourceName", source_kind AS "sourceKind", platform,
  searched_on::text AS "searchedOn", strategy, limits, records_reported AS "recordsReported"`;

/**
 * Corrects a search's details and logs what changed (`search.updated`, with the values before and
 * after) in one transaction. PRISMA reads the search as it stands: a changed kind moves its records
 * between the databases and other-methods columns, a changed count of records reported changes the
 * check against the records imported.
 */
export async function updateSearch(
  db: Db,
  input: { reviewId: string; searchId: string; changes: SearchChanges; actorId: string | null },
): Promise<SearchDetails> {
  if (input.changes.searchedOn && !/^\d{4}-\d{2}-\d{2}$/.test(input.changes.searchedOn))
    throw new WinnowError('VALIDATION', `Searched on ${input.changes.searchedOn}: expected a date`, {
      location: { field: 'searchedOn' },
    });
  return db.transaction(async (tx) => {
    const { rows: before } = await tx.query<SearchDetails>(
      `SELECT ${SELECT} FROM searches WHERE id = $1 AND review_id = $2 FOR UPDATE`,
      [input.searchId, input.reviewId],
    );
    const old = before[0];
    if (!old) throw new WinnowError('NOT_FOUND', 'This search is not in this review');
    const given = (Object.keys(COLUMNS) as (keyof SearchChanges)[]).filter(
      (k) => input.changes[k] !== undefined && input.changes[k] !== old[k],
    );
    if (given.length === 0) return old;
    const params: unknown[] = [input.searchId];
    const sets = given.map((k) => {
      params.push(input.changes[k]);
      return `${COLUMNS[k]} = $${params.length}${k === 'searchedOn' ? '::date' : ''}`;
    });
    const { rows } = await tx.query<SearchDetails>(
      `UPDATE searches SET ${sets.join(', ')} WHERE id = $1 RETURNING ${SELECT}`,
      params,
    );
    const now = rows[0]!;
    if (given.includes('sourceName') || given.includes('recordsReported')) await recheckCounts(tx, now);
    await appendEvent(tx, {
      reviewId: input.reviewId,
      type: 'search.updated',
      actorId: input.actorId,
      entityType: 'search',
      entityId: input.searchId,
      data: {
        before: Object.fromEntries(given.map((k) => [k, old[k]])),
        after: Object.fromEntries(given.map((k) => [k, now[k]])),
      },
    });
    return now;
  });
}

/**
 * The count check an import wrote (the records the search reported against those parsed) as the
 * search now stands: the old warning goes from each of its imports, and where the counts still
 * differ the check is written again on its latest import, in the corrected words.
 */
async function recheckCounts(tx: Sql, search: SearchDetails): Promise<void> {
  const { rows: imports } = await tx.query<{
    id: string;
    fileName: string;
    warnings: string[];
    records: number;
  }>(
    `SELECT id, file_name AS "fileName", warnings, record_count AS records FROM imports
      WHERE search_id = $1 AND status = 'complete' ORDER BY created_at, id FOR UPDATE`,
    [search.id],
  );
  const parsed = imports.reduce((n, i) => n + i.records, 0);
  const last = imports.at(-1);
  for (const i of imports) {
    const kept = i.warnings.filter((w) => !isCountCheckWarning(i.fileName, w));
    const check =
      i === last && search.recordsReported !== null && search.recordsReported !== parsed
        ? [countCheckWarning(i.fileName, search.sourceName, search.recordsReported, parsed)]
        : [];
    const warnings = [...check, ...kept];
    const change = warnings.length - i.warnings.length;
    if (change === 0 && warnings.every((w, k) => w === i.warnings[k])) continue;
    await tx.query(
      `UPDATE imports SET warnings = $2::jsonb, warning_count = warning_count + $3 WHERE id = $1`,
      [i.id, JSON.stringify(warnings), change],
    );
  }
}
