import { STAGES, type Stage } from '../stages/stage.types.ts';

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
 * outcomes), so a hidden state is neither shown nor filterable nor counted. It reads the stage row
 * (its outcome and its count of standing votes, both kept in the vote's own transaction) and the
 * viewer's own rows: assignments, standing vote, adjudicator vote or resolution.
 */
function stateSql(stage: Stage, blind: boolean, lead: boolean, adjudicator: boolean): string {
  const a = STAGE_ALIAS[stage];
  const mine = `(${a}v.record_id IS NOT NULL)`;
  const screening = `(${a}a.record_id IS NOT NULL OR ${mine})`;
  const blindedScreener = `(${screening} AND NOT ${mine})`;
  const full = blind ? `((${lead} AND NOT ${blindedScreener}) OR ${a}j.record_id IS NOT NULL)` : 'true';
  const conflict = `CASE WHEN ${a}s.outcome->>'kind' = 'maybe' THEN 'maybe' ELSE 'conflict' END`;
  return `CASE
    WHEN ${a}s.record_id IS NULL THEN 'not-in-stage'
    WHEN coalesce(${a}a.open, false) AND NOT ${mine} THEN 'awaiting-my-vote'
    WHEN ${full} THEN CASE ${a}s.status WHEN 'advanced' THEN 'included' WHEN 'excluded' THEN 'excluded'
      WHEN 'conflict' THEN ${conflict}
      ELSE CASE WHEN ${a}s.vote_count = 0 THEN 'unscreened' ELSE 'awaiting-second-vote' END END
    WHEN ${blindedScreener} THEN 'in-progress'
    WHEN ${a}s.status = 'advanced' THEN 'included'
    WHEN ${a}s.status = 'excluded' THEN 'excluded'
    WHEN ${adjudicator} AND ${a}s.status = 'conflict' THEN ${conflict}
    ELSE 'in-progress' END`;
}

function stageJoins(stage: Stage): string {
  const a = STAGE_ALIAS[stage];
  return `
    LEFT JOIN stage_records ${a}s ON ${a}s.record_id = r.record_id AND ${a}s.stage = '${stage}'
    LEFT JOIN my_votes ${a}v ON ${a}v.record_id = r.record_id AND ${a}v.stage = '${stage}'
    LEFT JOIN assigned ${a}a ON ${a}a.record_id = r.record_id AND ${a}a.stage = '${stage}'
    LEFT JOIN adjudicated ${a}j ON ${a}j.record_id = r.record_id AND ${a}j.stage = '${stage}'`;
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
}

/** `WITH …, lib AS (…)`: the relation; callers append their own CTEs and the final SELECT. */
export function libraryRelation(o: RelationOptions): string {
  const columns = STAGES.map((s) => {
    const a = STAGE_ALIAS[s];
    return `${stateSql(s, o.blind[s], o.lead, o.adjudicator)} AS ${a}_state, ${a}s.outcome AS ${a}_outcome, ${a}s.updated_at AS ${a}_updated`;
  }).join(',\n');
  const fullTextHits = o.search
    ? `SELECT DISTINCT rp.record_id FROM reports rp
         JOIN report_retrievals rr ON rr.report_id = rp.id AND rr.kind = 'file'
         JOIN fulltext_pages fp ON fp.blob_id::text = rr.detail->>'blobId'
        WHERE rp.review_id = $1 AND fp.search_vector @@ to_tsquery('english', $3)
          AND NOT EXISTS (SELECT 1 FROM report_retrievals w WHERE w.withdraws = rr.id)`
    : 'SELECT NULL::uuid AS record_id WHERE false';
  // With a search, the records are those the GIN index finds (with their rank) and those whose
  // full text matches (rank 0: their own fields do not).
  const candidates = o.search
    ? `SELECT id, ts_rank_cd(search_vector, to_tsquery('english', $3)) AS rank FROM records
        WHERE review_id = $1 AND search_vector @@ to_tsquery('english', $3)`
    : null;
  // The ranking's scores as rows, read once (not a lookup into its JSON per record).
  const scores = o.score
    ? `SELECT s.key::uuid AS record_id, s.value::float8 AS score
         FROM (SELECT pr.scores FROM prioritisation_rankings pr JOIN prioritisation_models pm ON pm.id = pr.model_id
                WHERE pm.review_id = $1 AND pm.stage = 'title-abstract' AND pr.reviewer_id IS NULL
                ORDER BY pm.id DESC LIMIT 1) rk, jsonb_each_text(rk.scores) s`
    : 'SELECT NULL::uuid AS record_id, NULL::float8 AS score WHERE false';
  // The viewer's own rows are each read at both stages; NOT MATERIALIZED lets each join reach its
  // table's index or hash it. Materialized, a search's few (misestimated) matches were joined by a
  // nested loop that rescanned the whole CTE per record: a blind reviewer with 50,000 votes waited
  // 110 s on PGlite for the issue's example at 100,000 records.
  return `WITH my_votes AS NOT MATERIALIZED (
      SELECT record_id, stage FROM current_votes
       WHERE review_id = $1 AND reviewer_id = $2 AND role = 'reviewer' AND vote <> 'retract'),
    assigned AS NOT MATERIALIZED (
      SELECT record_id, stage, bool_or(state = 'open') AS open FROM assignments
       WHERE review_id = $1 AND stage IN ('title-abstract', 'full-text') AND reviewer_id = $2 AND state <> 'revoked'
       GROUP BY record_id, stage),
    adjudicated AS NOT MATERIALIZED (
      SELECT record_id, stage FROM current_votes WHERE review_id = $1 AND reviewer_id = $2 AND role = 'adjudicator'
      UNION SELECT record_id, stage FROM resolutions WHERE review_id = $1 AND adjudicator_id = $2),
    kept AS (SELECT record_id FROM dedup_members WHERE review_id = $1 AND kept),
    files AS (
      SELECT DISTINCT rp.record_id FROM reports rp JOIN report_retrievals rr ON rr.report_id = rp.id
       WHERE rp.review_id = $1 AND rr.kind = 'file'
         AND NOT EXISTS (SELECT 1 FROM report_retrievals w WHERE w.withdraws = rr.id)),
    full_text_hits AS (${fullTextHits}),
    scores AS (${scores}),${
      candidates
        ? `
    matched AS (${candidates}),
    candidates AS (
      SELECT id, rank FROM matched
      UNION ALL SELECT record_id, 0::real FROM full_text_hits WHERE record_id NOT IN (SELECT id FROM matched)),`
        : ''
    }
    lib AS (
      SELECT r.record_id AS id, r.title, r.year, r.import_id, r.created_at,
             CASE WHEN r.duplicate_of IS NOT NULL THEN 'removed'
                  WHEN k.record_id IS NOT NULL THEN 'kept' ELSE 'unique' END AS duplicate,
             f.record_id IS NOT NULL AS has_full_text,
             ${o.search ? 'm.rank' : '0::real'} AS rank,
             fh.record_id IS NOT NULL AS in_full_text,
             sc.score,
             ${columns}
        FROM library_records r
        ${candidates ? 'JOIN candidates m ON m.id = r.record_id' : ''}
        LEFT JOIN kept k ON k.record_id = r.record_id
        LEFT JOIN files f ON f.record_id = r.record_id
        LEFT JOIN full_text_hits fh ON fh.record_id = r.record_id
        LEFT JOIN scores sc ON sc.record_id = r.record_id
        ${STAGES.map(stageJoins).join('\n')}
       WHERE r.review_id = $1 AND $3::text IS NOT NULL)`;
}
