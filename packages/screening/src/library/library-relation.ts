import { type Stage } from '../stages/stage.types.ts';

/**
 * The SQL of the records library's relation: every record of the review (or every record the
 * search matches) with what the viewer may know of it, in narrow columns a page, a sort and the
 * facet counts read. Pure string building; the repository runs it. Parameters: $1 review, $2
 * viewer, $3 tsquery text ('' for none).
 */

export const STAGE_ALIAS: Record<Stage, string> = { 'title-abstract': 'ta', 'full-text': 'ft' };

/**
 * The viewer's state of each record at one stage: blinding.policy.ts's rules in SQL (a screener
 * who has not voted learns nothing; a lead not screening sees everything; others see settled
 * outcomes), so a hidden state is neither shown nor filterable nor counted. It narrows the state
 * the record's library row keeps for anyone who may see the whole outcome (`<stage>_state`) with
 * the viewer's own part in the record, also kept on the row (migration 0780): assigned (open or
 * done), a standing screening vote, an adjudicator's vote or resolution. $2 is the viewer.
 */
function stateSql(stage: Stage, blind: boolean, lead: boolean, adjudicator: boolean): string {
  const a = STAGE_ALIAS[stage];
  const whole = `v.${a}_state`;
  const mine = `v.${a}_mine`;
  const blindedScreener = `(v.${a}_assigned_me AND NOT ${mine})`;
  const full = blind ? `((${lead} AND NOT ${blindedScreener}) OR v.${a}_adjudicated_me)` : 'true';
  return `CASE
    WHEN ${whole} = 'not-in-stage' THEN ${whole}
    WHEN v.${a}_open_me AND NOT ${mine} THEN 'awaiting-my-vote'
    WHEN ${full} THEN ${whole}
    WHEN ${blindedScreener} THEN 'in-progress'
    WHEN ${whole} IN ('included', 'excluded') THEN ${whole}
    WHEN ${adjudicator} AND ${whole} IN ('conflict', 'maybe') THEN ${whole}
    ELSE 'in-progress' END`;
}

/** The viewer's part in the record at one stage, each read once from the row's small arrays. */
function viewerColumns(stage: Stage): string {
  const a = STAGE_ALIAS[stage];
  return `r.${a}_state, r.${a}_reasons,
          $2::uuid = ANY(r.${a}_voters) AS ${a}_mine, $2::uuid = ANY(r.${a}_assigned) AS ${a}_assigned_me,
          $2::uuid = ANY(r.${a}_open) AS ${a}_open_me, $2::uuid = ANY(r.${a}_adjudicators) AS ${a}_adjudicated_me`;
}

/**
 * The viewer's state and exclusion reasons at one stage for the records `from` selects (a subquery
 * naming `r`, a library row), as `SELECT record_id, <stage>_state, <stage>_reasons`: how the page
 * reads the stage a request does not filter on, for its own records only.
 */
export function stageStatesOf(o: RelationOptions, stage: Stage, from: string): string {
  const a = STAGE_ALIAS[stage];
  return `SELECT v.record_id, ${stateSql(stage, o.blind[stage], o.lead, o.adjudicator)} AS ${a}_state, v.${a}_reasons
            FROM (SELECT r.record_id, ${viewerColumns(stage)} ${from} OFFSET 0) v`;
}

export interface RelationOptions {
  /** Blind mode per stage (the stage configuration). */
  blind: Record<Stage, boolean>;
  lead: boolean;
  adjudicator: boolean;
  /** A search is given ($3): only matching records, with their rank. */
  search: boolean;
  /** The prioritisation score is read (sorting by relevance or score). */
  score: boolean;
  /** The stage whose state and reasons the relation carries (the one the request filters on). */
  stage: Stage;
}

/**
 * `WITH …, lib AS (…)`: the relation; callers append their own CTEs and the final SELECT. It carries
 * the state of the request's stage only (the page reads the other stage's for its own records with
 * `stageStatesOf`). The inner query is fenced (OFFSET 0) so each viewer flag is computed once per
 * row, not once per use.
 */
export function libraryRelation(o: RelationOptions): string {
  const a = STAGE_ALIAS[o.stage];
  const columns = `${stateSql(o.stage, o.blind[o.stage], o.lead, o.adjudicator)} AS ${a}_state, v.${a}_reasons`;
  const fullTextHits = o.search
    ? `SELECT DISTINCT rp.record_id FROM reports rp
         JOIN report_retrievals rr ON rr.report_id = rp.id AND rr.kind = 'file'
         JOIN fulltext_pages fp ON fp.blob_id::text = rr.detail->>'blobId'
        WHERE rp.review_id = $1 AND fp.search_vector @@ to_tsquery('english', $3) AND rr.withdraws IS NULL
          AND NOT EXISTS (SELECT 1 FROM report_retrievals w WHERE w.withdraws = rr.id)`
    : 'SELECT NULL::uuid AS record_id WHERE false';
  // With a search, the records are those the GIN index finds and those whose full text matches.
  // Their rank is not read here: it costs a read of each match's search vector, so the repository
  // ranks only the records that pass the filters, and only when sorting by relevance.
  const candidates = o.search
    ? `SELECT record_id AS id FROM library_search WHERE review_id = $1 AND search_vector @@ to_tsquery('english', $3)`
    : null;
  // The latest shared ranking's scores, kept as rows beside it (migration 0780); the repository
  // joins them to the filtered records only.
  const scores = o.score
    ? `SELECT s.record_id, s.score FROM library_scores s
        WHERE s.model_id = (SELECT pm.id FROM prioritisation_rankings pr JOIN prioritisation_models pm ON pm.id = pr.model_id
                             WHERE pm.review_id = $1 AND pm.stage = 'title-abstract' AND pr.reviewer_id IS NULL
                             ORDER BY pm.id DESC LIMIT 1)`
    : 'SELECT NULL::uuid AS record_id, NULL::float8 AS score WHERE false';
  return `WITH
    full_text_hits AS (${fullTextHits}),
    scores AS (${scores}),${
      candidates
        ? `
    matched AS (${candidates}),
    candidates AS (
      SELECT id FROM matched UNION SELECT record_id FROM full_text_hits),`
        : ''
    }
    lib AS (
      SELECT v.record_id AS id, v.title_key, v.year, v.import_id, v.created_at, v.ta_updated, v.ft_updated,
             CASE WHEN v.duplicate_of IS NOT NULL THEN 'removed'
                  WHEN v.kept THEN 'kept' ELSE 'unique' END AS duplicate,
             v.has_full_text,
             ${o.search ? 'fh.record_id IS NOT NULL' : 'false'} AS in_full_text,
             ${columns}
        FROM (SELECT r.record_id, r.title_key, r.year, r.import_id, r.created_at, r.duplicate_of, r.kept, r.has_full_text,
                     r.ta_updated, r.ft_updated, ${viewerColumns(o.stage)}
                FROM library_records r
                ${candidates ? 'JOIN candidates m ON m.id = r.record_id' : ''}
               WHERE r.review_id = $1 AND $3::text IS NOT NULL
              OFFSET 0) v
        ${o.search ? 'LEFT JOIN full_text_hits fh ON fh.record_id = v.record_id' : ''})`;
}
