import type { Db } from '@winnow/core';
import { dedupSource } from './dedup-source.repository.ts';
import { dedupeStream } from './dedupe.ts';
import {
  importsAwaitingDedup,
  markImportsDeduplicated,
  loadManualDecisions,
  loadPreviousGroups,
  saveDedupResult,
} from './dedup.repository.ts';

/** What `winnow dedupe --json` prints and the job returns. */
export interface DedupSummary {
  records: number;
  groups: number;
  duplicatesRemoved: number;
  autoMerged: number;
  /** Review questions pending: one per pair of groups. */
  needsReview: number;
  /** Candidate pairs those questions cover (each counted once, as the pair export counts them). */
  pendingPairs: number;
}

/**
 * Re-derives the review's groups from all its records, the manual decisions and the previous
 * groups (for stable ids and kept records), then stores the result in one transaction.
 */
export async function runDedup(
  db: Db,
  reviewId: string,
  runKey: string,
  onProgress?: (fraction: number, message: string) => Promise<void>,
): Promise<DedupSummary> {
  const awaiting = await importsAwaitingDedup(db, reviewId);
  const [decisions, previous] = await Promise.all([
    loadManualDecisions(db, reviewId),
    loadPreviousGroups(db, reviewId),
  ]);
  // Records are streamed: only their match fields, then whole records for those in groups (issue 18).
  const result = await dedupeStream(dedupSource(db, reviewId), decisions, previous, {
    onKeysRead: async (records) => onProgress?.(0.2, `comparing ${records} records`),
  });
  await onProgress?.(0.7, `saving ${result.groups.length} groups`);
  await db.transaction(async (tx) => {
    await saveDedupResult(tx, reviewId, result, runKey);
    await markImportsDeduplicated(tx, awaiting);
  });
  return {
    records: result.stats.records,
    groups: result.stats.groups,
    duplicatesRemoved: result.stats.duplicatesRemoved,
    autoMerged: result.stats.autoMerged,
    needsReview: result.stats.needsReview,
    pendingPairs: result.stats.pendingPairs,
  };
}

/**
 * A key for the review's dedup-relevant state (records and dedup events): the same state gives
 * the same job id, so re-sent runs are deduplicated while any change yields a new run.
 */
export async function dedupStateKey(db: Db, reviewId: string): Promise<string> {
  const { rows } = await db.query<{ records: number; lastEvent: number | null }>(
    `SELECT (SELECT count(*)::int FROM records WHERE review_id = $1) AS records,
            (SELECT max(id)::int FROM events WHERE review_id = $1 AND type IN ('dedup.merged', 'dedup.marked-distinct', 'dedup.split') AND (data->>'manual')::boolean) AS "lastEvent"`,
    [reviewId],
  );
  return `${rows[0]?.records ?? 0}-${rows[0]?.lastEvent ?? 0}`;
}
