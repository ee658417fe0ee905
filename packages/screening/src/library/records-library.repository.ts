import type { Role, Sql } from '@winnow/core';
import { getStageConfig } from '../stages/stage-config.repository.ts';
import { STAGES, type Stage } from '../stages/stage.types.ts';
import { parseSearchQuery, toTsquery, type SearchQueryError } from './search-query.ts';

/**
 * A record's state at a stage as the viewer may know it. `in-progress`: the record is being
 * screened and blind mode hides from this viewer how far (how many votes, whether they disagree).
 */
export const RECORD_STATES = [
  'not-in-stage',
  'unscreened',
  'awaiting-my-vote',
  'awaiting-second-vote',
  'in-progress',
  'conflict',
  'maybe',
  'included',
  'excluded',
] as const;
export type RecordState = (typeof RECORD_STATES)[number];

export const DUPLICATE_STATUSES = ['unique', 'kept', 'removed'] as const;
export type DuplicateStatus = (typeof DUPLICATE_STATUSES)[number];

export const LIBRARY_SORTS = ['relevance', 'year', 'title', 'activity', 'score'] as const;
export type LibrarySort = (typeof LIBRARY_SORTS)[number];

export interface LibraryQuery {
  q?: string;
  /** The stage whose state and exclusion reason the filters read. */
  stage: Stage;
  state?: RecordState[];
  reason?: string;
  tag?: string;
  /** Import id. */
  source?: string;
  duplicate?: DuplicateStatus;
  yearFrom?: number;
  yearTo?: number;
  fullText?: boolean;
  sort: LibrarySort;
  offset: number;
  limit: number;
}

export interface LibraryViewer {
  reviewId: string;
  userId: string;
  roles: readonly Role[];
}

export interface LibraryItem {
  recordId: string;
  title: string;
  authors: string[];
  year: number | null;
  journal: string | null;
  source: { importId: string; label: string };
  duplicate: DuplicateStatus;
  hasFullText: boolean;
  /** The search matched words in the record's full text (not only its title/abstract fields). */
  matchedInFullText: boolean;
  tags: string[];
  states: Record<Stage, RecordState>;
  /** Exclusion reasons at each stage, where the viewer may see the outcome. */
  reasons: Record<Stage, string[]>;
}

export interface FacetValue {
  value: string;
  label: string;
  count: number;
}

export interface LibraryPage {
  total: number;
  items: LibraryItem[];
  facets: {
    state: FacetValue[];
    reason: FacetValue[];
    source: FacetValue[];
    duplicate: FacetValue[];
    fullText: FacetValue[];
    year: FacetValue[];
    tag: FacetValue[];
  };
}

export class LibrarySearchError extends Error {
  constructor(readonly detail: SearchQueryError) {
    super(detail.message);
  }
}

const STAGE_ALIAS: Record<Stage, string> = { 'title-abstract': 'ta', 'full-text': 'ft' };

/**
 * The SQL for the viewer's state of each record at one stage: blinding.policy.ts's rules in SQL
 * (a screener who has not voted learns nothing; a lead not screening sees everything; others see
 * settled outcomes), so a hidden state is neither shown nor filterable nor counted.
 */
function stateSql(stage: Stage, blind: boolean, lead: boolean, adjudicator: boolean): string {
  const a = STAGE_ALIAS[stage];
  const mine = `coalesce(${a}v.mine, false)`;
  const screening = `(${a}a.record_id IS NOT NULL OR ${mine})`;
  const blindedScreener = `(${screening} AND NOT ${mine})`;
  const full = blind ? `((${lead} AND NOT ${blindedScreener}) OR ${a}j.record_id IS NOT NULL)` : 'true';
  const conflict = `CASE WHEN ${a}s.outcome->>'kind' = 'maybe' THEN 'maybe' ELSE 'conflict' END`;
  return `CASE
    WHEN ${a}s.record_id IS NULL THEN 'not-in-stage'
    WHEN coalesce(${a}a.open, false) AND NOT ${mine} THEN 'awaiting-my-vote'
    WHEN ${full} THEN CASE ${a}s.status WHEN 'advanced' THEN 'included' WHEN 'excluded' THEN 'excluded'
      WHEN 'conflict' THEN ${conflict}
      ELSE CASE WHEN coalesce(${a}v.n, 0) = 0 THEN 'unscreened' ELSE 'awaiting-second-vote' END END
    WHEN ${blindedScreener} THEN 'in-progress'
    WHEN ${a}s.status = 'advanced' THEN 'included'
    WHEN ${a}s.status = 'excluded' THEN 'excluded'
    WHEN ${adjudicator} AND ${a}s.status = 'conflict' THEN ${conflict}
    ELSE 'in-progress' END`;
}

function stageJoins(stage: Stage): string {
  const a = STAGE_ALIAS[stage];
  return `
    LEFT JOIN stage_records ${a}s ON ${a}s.record_id = r.id AND ${a}s.stage = '${stage}'
    LEFT JOIN votes ${a}v ON ${a}v.record_id = r.id AND ${a}v.stage = '${stage}'
    LEFT JOIN assigned ${a}a ON ${a}a.record_id = r.id AND ${a}a.stage = '${stage}'
    LEFT JOIN adjudicated ${a}j ON ${a}j.record_id = r.id AND ${a}j.stage = '${stage}'`;
}

/** Every record of the review with what the viewer may know of it, as one SQL relation. */
async function libraryRelation(db: Sql, viewer: LibraryViewer, tsquery: string | null): Promise<string> {
  const lead = viewer.roles.includes('lead');
  const adjudicator = viewer.roles.includes('adjudicator');
  const blind: Record<Stage, boolean> = { 'title-abstract': false, 'full-text': false };
  for (const s of STAGES) blind[s] = (await getStageConfig(db, viewer.reviewId, s)).config.blind;
  const columns = STAGES.map((s) => {
    const a = STAGE_ALIAS[s];
    return `${stateSql(s, blind[s], lead, adjudicator)} AS ${a}_state, ${a}s.outcome AS ${a}_outcome, ${a}s.updated_at AS ${a}_updated`;
  }).join(',\n');
  return `WITH latest AS (
      SELECT DISTINCT ON (d.record_id, d.stage, d.reviewer_id) d.record_id, d.stage, d.reviewer_id, d.vote
        FROM decisions d WHERE d.review_id = $1 AND d.role = 'reviewer'
       ORDER BY d.record_id, d.stage, d.reviewer_id, d.id DESC),
    votes AS (
      SELECT record_id, stage, count(*) FILTER (WHERE vote <> 'retract') AS n,
             bool_or(reviewer_id = $2 AND vote <> 'retract') AS mine
        FROM latest GROUP BY record_id, stage),
    assigned AS (
      SELECT record_id, stage, bool_or(state = 'open') AS open FROM assignments
       WHERE review_id = $1 AND reviewer_id = $2 AND state <> 'revoked' GROUP BY record_id, stage),
    adjudicated AS (
      SELECT record_id, stage FROM decisions WHERE review_id = $1 AND reviewer_id = $2 AND role = 'adjudicator'
      UNION SELECT record_id, stage FROM resolutions WHERE review_id = $1 AND adjudicator_id = $2),
    files AS (
      SELECT DISTINCT rp.record_id FROM reports rp JOIN report_retrievals rr ON rr.report_id = rp.id
       WHERE rp.review_id = $1 AND rr.kind = 'file'
         AND NOT EXISTS (SELECT 1 FROM report_retrievals w WHERE w.withdraws = rr.id)),
    full_text_hits AS (
      ${
        tsquery === null
          ? 'SELECT NULL::uuid AS record_id WHERE false'
          : `SELECT DISTINCT rp.record_id FROM reports rp
               JOIN report_retrievals rr ON rr.report_id = rp.id AND rr.kind = 'file'
               JOIN fulltext_pages fp ON fp.blob_id::text = rr.detail->>'blobId'
              WHERE rp.review_id = $1 AND fp.search_vector @@ to_tsquery('english', $3)
                AND NOT EXISTS (SELECT 1 FROM report_retrievals w WHERE w.withdraws = rr.id)`
      }),
    ranking AS (
      SELECT pr.scores FROM prioritisation_rankings pr JOIN prioritisation_models pm ON pm.id = pr.model_id
       WHERE pm.review_id = $1 AND pm.stage = 'title-abstract' AND pr.reviewer_id IS NULL
       ORDER BY pm.id DESC LIMIT 1),
    lib AS (
      SELECT r.id, r.title, r.year, r.data->>'journal' AS journal,
             jsonb_path_query_array(r.data, '$.authors[0 to 2].asWritten') AS authors,
             jsonb_array_length(coalesce(r.data->'authors', '[]'::jsonb)) AS author_count,
             r.import_id, coalesce(se.source_name, i.file_name) AS source_label, r.created_at,
             CASE WHEN r.duplicate_of IS NOT NULL THEN 'removed'
                  WHEN EXISTS (SELECT 1 FROM dedup_members m WHERE m.record_id = r.id AND m.kept) THEN 'kept'
                  ELSE 'unique' END AS duplicate,
             f.record_id IS NOT NULL AS has_full_text,
             ARRAY(SELECT t.name FROM record_tags t WHERE t.record_id = r.id ORDER BY t.name) AS tags,
             ${tsquery === null ? '0::real' : `ts_rank_cd(r.search_vector, to_tsquery('english', $3))`} AS rank,
             ${tsquery === null ? 'true' : `(r.search_vector @@ to_tsquery('english', $3) OR fh.record_id IS NOT NULL)`} AS matches,
             fh.record_id IS NOT NULL AS in_full_text,
             (SELECT (rk.scores->>r.id::text)::float8 FROM ranking rk) AS score,
             ${columns}
        FROM records r JOIN imports i ON i.id = r.import_id LEFT JOIN searches se ON se.id = i.search_id
        LEFT JOIN files f ON f.record_id = r.id
        LEFT JOIN full_text_hits fh ON fh.record_id = r.id
        ${STAGES.map(stageJoins).join('\n')}
       WHERE r.review_id = $1 AND $3::text IS NOT NULL)`;
}

const DIMENSIONS = ['state', 'reason', 'source', 'duplicate', 'fullText', 'year', 'tag'] as const;
type Dimension = (typeof DIMENSIONS)[number];

/** WHERE clauses per filter, so each facet can count with every filter but its own. */
function filterClauses(
  query: LibraryQuery,
  params: unknown[],
  except?: Dimension,
): { always: string[]; by: Partial<Record<Dimension, string>> } {
  const a = STAGE_ALIAS[query.stage];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const by: Partial<Record<Dimension, string>> = {};
  if (query.state?.length && except !== 'state') by.state = `${a}_state = ANY(${p(query.state)}::text[])`;
  if (query.reason && except !== 'reason')
    by.reason = `${a}_state = 'excluded' AND ${a}_outcome->'reasons' ? ${p(query.reason)}`;
  if (query.tag && except !== 'tag') by.tag = `${p(query.tag)}::text = ANY(tags)`;
  if (query.source && except !== 'source') by.source = `import_id = ${p(query.source)}::uuid`;
  if (query.duplicate && except !== 'duplicate') by.duplicate = `duplicate = ${p(query.duplicate)}`;
  if (query.fullText !== undefined && except !== 'fullText')
    by.fullText = `has_full_text = ${query.fullText ? 'true' : 'false'}`;
  const years: string[] = [];
  if (except === 'year') return { always: ['matches'], by };
  if (query.yearFrom !== undefined) years.push(`year >= ${p(query.yearFrom)}::int`);
  if (query.yearTo !== undefined) years.push(`year <= ${p(query.yearTo)}::int`);
  if (years.length) by.year = years.join(' AND ');
  return { always: ['matches'], by };
}

const ORDER: Record<LibrarySort, string> = {
  relevance: 'rank DESC, score DESC NULLS LAST, title, id',
  year: 'year DESC NULLS LAST, title, id',
  title: 'lower(title), id',
  activity: 'greatest(ta_updated, ft_updated, created_at) DESC, id',
  score: 'score DESC NULLS LAST, title, id',
};

/**
 * The parsed search, and per query the WHERE text with its parameters: each facet leaves its own
 * filter out, so it counts the values one could switch to. $1-$3 are the relation's (review,
 * viewer, tsquery); filters number theirs after them, and each query sends exactly what it uses.
 */
function prepare(query: LibraryQuery, viewer: LibraryViewer) {
  const parsed = query.q?.trim() ? parseSearchQuery(query.q) : { node: null };
  if ('error' in parsed) throw new LibrarySearchError(parsed.error);
  const tsquery = parsed.node ? toTsquery(parsed.node) : null;
  const build = (except?: Dimension): { where: string; params: unknown[] } => {
    const params: unknown[] = [viewer.reviewId, viewer.userId, tsquery ?? ''];
    const { always, by } = filterClauses(query, params, except);
    return { where: [...always, ...Object.values(by)].join(' AND '), params };
  };
  return { tsquery, build };
}

/** Searches, filters, sorts and pages the review's records, with the count of each filter value. */
export async function searchRecords(
  db: Sql,
  viewer: LibraryViewer,
  query: LibraryQuery,
): Promise<LibraryPage> {
  const { tsquery } = prepare(query, viewer);
  const relation = await libraryRelation(db, viewer, tsquery);
  const a = STAGE_ALIAS[query.stage];
  const params: unknown[] = [viewer.reviewId, viewer.userId, tsquery ?? ''];
  const { by } = filterClauses(query, params);
  // One statement: the viewer's relation is computed once (materialised) and the page, the total
  // and every facet read it. Each filter is a flag, so a facet counts with all flags but its own.
  const flags = DIMENSIONS.map((d) => `(${by[d] ?? 'true'}) AS f_${d}`).join(', ');
  const allBut = (d?: Dimension) =>
    DIMENSIONS.filter((x) => x !== d)
      .map((x) => `f_${x}`)
      .join(' AND ');
  const group = (d: Dimension, value: string, label = value) =>
    `SELECT '${d}' AS facet, ${value} AS value, min(${label}) AS label, count(*)::int AS count
       FROM flagged WHERE ${allBut(d)} GROUP BY 2`;
  const { rows: answer } = await db.query<{
    total: number;
    items: Record<string, unknown>[];
    facets: (FacetValue & { facet: Dimension })[];
  }>(
    `${relation},
     flagged AS MATERIALIZED (SELECT lib.*, ${flags} FROM lib WHERE matches),
     facets AS (
       ${group('state', `${a}_state`)}
       UNION ALL
       SELECT 'reason', reason, reason, count(*)::int
         FROM flagged, jsonb_array_elements_text(coalesce(${a}_outcome->'reasons', '[]'::jsonb)) AS reason
        WHERE ${a}_state = 'excluded' AND ${allBut('reason')} GROUP BY 2
       UNION ALL
       SELECT 'tag', tag, tag, count(*)::int FROM flagged, unnest(tags) AS tag WHERE ${allBut('tag')} GROUP BY 2
       UNION ALL ${group('source', 'import_id::text', 'source_label')}
       UNION ALL ${group('duplicate', 'duplicate')}
       UNION ALL ${group('fullText', 'has_full_text::text')}
       UNION ALL ${group('year', "coalesce(year::text, '')")})
     SELECT (SELECT count(*)::int FROM flagged WHERE ${allBut()}) AS total,
            (SELECT coalesce(json_agg(p ORDER BY p.rn), '[]'::json) FROM (
               SELECT flagged.*, row_number() OVER (ORDER BY ${ORDER[query.sort]}) AS rn FROM flagged
                WHERE ${allBut()} ORDER BY ${ORDER[query.sort]} LIMIT ${query.limit} OFFSET ${query.offset}) p) AS items,
            (SELECT coalesce(json_agg(f ORDER BY f.facet, f.count DESC, f.value), '[]'::json) FROM facets f) AS facets`,
    params,
  );
  const result = answer[0]!;
  const facetsOf = (d: Dimension): FacetValue[] =>
    result.facets.filter((f) => f.facet === d).map(({ value, label, count }) => ({ value, label, count }));
  const rows = result.items;
  // Votes store reason codes; people read the labels the stage gives them (retired ones too).
  const labels = new Map<string, string>();
  for (const s of STAGES)
    for (const r of (await getStageConfig(db, viewer.reviewId, s)).config.exclusionReasons)
      if (!labels.has(r.code) || s === query.stage) labels.set(r.code, r.label);
  const label = (code: string): string => labels.get(code) ?? code;
  const stateOf = (s: unknown): RecordState => s as RecordState;
  const reasonsOf = (state: RecordState, outcome: unknown): string[] =>
    state === 'excluded' ? ((outcome as { reasons?: string[] } | null)?.reasons ?? []).map(label) : [];
  return {
    total: result.total,
    items: rows.map((r) => {
      const authors = (r.authors as string[] | null) ?? [];
      const ta = stateOf(r.ta_state);
      const ft = stateOf(r.ft_state);
      return {
        recordId: String(r.id),
        title: String(r.title),
        authors: Number(r.author_count) > authors.length ? [...authors, 'et al.'] : authors,
        year: r.year === null ? null : Number(r.year),
        journal: (r.journal as string | null) ?? null,
        source: { importId: String(r.import_id), label: String(r.source_label) },
        duplicate: r.duplicate as DuplicateStatus,
        hasFullText: Boolean(r.has_full_text),
        matchedInFullText: Boolean(r.in_full_text),
        tags: (r.tags as string[] | null) ?? [],
        states: { 'title-abstract': ta, 'full-text': ft },
        reasons: {
          'title-abstract': reasonsOf(ta, r.ta_outcome),
          'full-text': reasonsOf(ft, r.ft_outcome),
        },
      };
    }),
    facets: {
      state: facetsOf('state'),
      reason: facetsOf('reason').map((f) => ({ ...f, label: label(f.value) })),
      source: facetsOf('source'),
      duplicate: facetsOf('duplicate'),
      fullText: facetsOf('fullText'),
      year: facetsOf('year'),
      tag: facetsOf('tag'),
    },
  };
}

/** The ids of every record the query selects, in its order: for exporting a selection. */
export async function selectedRecordIds(
  db: Sql,
  viewer: LibraryViewer,
  query: LibraryQuery,
): Promise<string[]> {
  const { tsquery, build } = prepare(query, viewer);
  const relation = await libraryRelation(db, viewer, tsquery);
  const { where, params } = build();
  const { rows } = await db.query<{ id: string }>(
    `${relation} SELECT id FROM lib WHERE ${where} ORDER BY ${ORDER[query.sort]}`,
    params,
  );
  return rows.map((r) => r.id);
}
