import type { Db, Role, Sql } from '@winnow/core';
import { getStageConfig } from '../stages/stage-config.repository.ts';
import { STAGES, type Stage } from '../stages/stage.types.ts';
import { libraryRelation, stageStatesOf, STAGE_ALIAS, type RelationOptions } from './library-relation.ts';
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

const DIMENSIONS = ['state', 'reason', 'source', 'duplicate', 'fullText', 'year', 'tag'] as const;
type Dimension = (typeof DIMENSIONS)[number];

/** The WHERE clause of each filter given, numbering its parameters after those already in `params`. */
function filterClauses(query: LibraryQuery, params: unknown[]): Partial<Record<Dimension, string>> {
  const a = STAGE_ALIAS[query.stage];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const by: Partial<Record<Dimension, string>> = {};
  if (query.state?.length) by.state = `${a}_state = ANY(${p(query.state)}::text[])`;
  if (query.reason) by.reason = `${a}_state = 'excluded' AND ${p(query.reason)}::text = ANY(${a}_reasons)`;
  if (query.tag)
    // A hashed set of the tag's records, not a lookup per record.
    by.tag = `id IN (SELECT t.record_id FROM record_tags t WHERE t.review_id = $1 AND t.name = ${p(query.tag)}::text)`;
  if (query.source) by.source = `import_id = ${p(query.source)}::uuid`;
  if (query.duplicate) by.duplicate = `duplicate = ${p(query.duplicate)}`;
  if (query.fullText !== undefined) by.fullText = `has_full_text = ${query.fullText ? 'true' : 'false'}`;
  const years: string[] = [];
  if (query.yearFrom !== undefined) years.push(`year >= ${p(query.yearFrom)}::int`);
  if (query.yearTo !== undefined) years.push(`year <= ${p(query.yearTo)}::int`);
  if (years.length) by.year = years.join(' AND ');
  return by;
}

/** Titles compare without case, byte by byte (the library row's title_key). */
const TITLE = 'title_key COLLATE "C"';
const ORDER: Record<LibrarySort, string> = {
  relevance: `rank DESC, score DESC NULLS LAST, ${TITLE}, id`,
  year: `year DESC NULLS LAST, ${TITLE}, id`,
  title: `${TITLE}, id`,
  activity: 'greatest(ta_updated, ft_updated, created_at) DESC, id',
  score: `score DESC NULLS LAST, ${TITLE}, id`,
};

/**
 * The records that pass `where`, with their rank: a search's relevance (ts_rank_cd over the
 * record's own fields; 0 for a match in its full text only) when sorting by relevance, else 0.
 * Ranking reads each record's search vector, so it runs on the filtered records only.
 */
function rankedSql(query: LibraryQuery, searching: boolean, where: string): string {
  const score = query.sort === 'relevance' || query.sort === 'score';
  const rank =
    searching && query.sort === 'relevance'
      ? `ts_rank_cd(ls.search_vector, to_tsquery('english', $3))`
      : '0::real';
  return `SELECT f.*, ${rank} AS rank, ${score ? 'sc.score' : 'NULL::float8 AS score'} FROM flagged f
            ${rank === '0::real' ? '' : 'JOIN library_search ls ON ls.record_id = f.id'}
            ${score ? 'LEFT JOIN scores sc ON sc.record_id = f.id' : ''}
           WHERE ${where}`;
}

/** The relation's SQL for this viewer and query, with $1-$3 (review, viewer, tsquery). */
async function prepare(db: Sql, viewer: LibraryViewer, query: LibraryQuery) {
  const parsed = query.q?.trim() ? parseSearchQuery(query.q) : { node: null };
  if ('error' in parsed) throw new LibrarySearchError(parsed.error);
  const tsquery = parsed.node ? toTsquery(parsed.node) : null;
  const configs = await Promise.all(STAGES.map((s) => getStageConfig(db, viewer.reviewId, s)));
  const options: RelationOptions = {
    blind: { 'title-abstract': configs[0]!.config.blind, 'full-text': configs[1]!.config.blind },
    lead: viewer.roles.includes('lead'),
    adjudicator: viewer.roles.includes('adjudicator'),
    search: tsquery !== null,
    score: query.sort === 'relevance' || query.sort === 'score',
    stage: query.stage,
  };
  const relation = libraryRelation(options);
  const params: unknown[] = [viewer.reviewId, viewer.userId, tsquery ?? ''];
  return { relation, options, params, configs, searching: tsquery !== null };
}

interface PageRow {
  id: string;
  title: string;
  year: number | null;
  journal: string | null;
  authors: string[] | null;
  author_count: number;
  import_id: string;
  source_label: string;
  duplicate: DuplicateStatus;
  has_full_text: boolean;
  in_full_text: boolean;
  tags: string[] | null;
  ta_state: RecordState;
  ft_state: RecordState;
  ta_reasons: string[];
  ft_reasons: string[];
}

/**
 * Searches, filters, sorts and pages the review's records, with the count of each filter value
 * (each facet counts with every filter but its own, so it shows the values one could switch to).
 * One statement: the viewer's relation is computed once over narrow columns; the five plain facets
 * and the total are one pass (grouping sets), reasons and tags are counted from their own rows,
 * and only the page's records are read in full.
 */
export async function searchRecords(
  db: Db,
  viewer: LibraryViewer,
  query: LibraryQuery,
): Promise<LibraryPage> {
  // The statement keeps every record's narrow row once (some 20 MB at 100,000 records): room in
  // memory for it, for this statement only, spares writing and re-reading it as a temporary file.
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL work_mem = '${LIBRARY_WORK_MEM}'`);
    return searchIn(tx, viewer, query);
  });
}

/** Memory the library's statement may use per sort or hash (PostgreSQL's default is 4MB). */
const LIBRARY_WORK_MEM = '32MB';

async function searchIn(db: Sql, viewer: LibraryViewer, query: LibraryQuery): Promise<LibraryPage> {
  const { relation, options, params, configs, searching } = await prepare(db, viewer, query);
  const a = STAGE_ALIAS[query.stage];
  const other = STAGES.find((s) => s !== query.stage)!;
  const o = STAGE_ALIAS[other];
  const by = filterClauses(query, params);
  // A flag per filter given; a dimension with no filter passes every row and is left out.
  const active = DIMENSIONS.filter((d) => by[d] !== undefined);
  const flags = active.map((d) => `, (${by[d]}) AS f_${d}`).join('');
  const allBut = (d?: Dimension) =>
    active
      .filter((x) => x !== d)
      .map((x) => `f_${x}`)
      .join(' AND ') || 'true';
  const countAllBut = (d?: Dimension) => {
    const where = allBut(d);
    return where === 'true' ? 'count(*)' : `count(*) FILTER (WHERE ${where})`;
  };
  // Each grouping set counts the rows that pass every filter but its own dimension's.
  // Grouped on the raw columns; each group's value becomes text once, after counting.
  const sets: [Dimension, string, string][] = [
    ['state', `${a}_state`, `${a}_state`],
    ['source', 'import_id', 'import_id::text'],
    ['duplicate', 'duplicate', 'duplicate'],
    ['fullText', 'has_full_text', 'has_full_text::text'],
    ['year', 'year', "coalesce(year::text, '')"],
  ];
  const which = (col: string) => `grouping(${col}) = 0`;
  const { rows: answer } = await db.query<{
    facets: (FacetValue & { facet: Dimension; matched: number })[] | null;
    items: PageRow[] | null;
  }>(
    `${relation},
     flagged AS MATERIALIZED (SELECT lib.*${flags} FROM lib),
     plain AS (
       SELECT CASE ${sets.map(([d, c]) => `WHEN ${which(c)} THEN '${d}'`).join(' ')} END AS facet,
              CASE ${sets.map(([, c, text]) => `WHEN ${which(c)} THEN ${text}`).join(' ')} END AS value,
              CASE ${sets.map(([d, c]) => `WHEN ${which(c)} THEN ${countAllBut(d)}`).join(' ')} END::int AS count,
              ${countAllBut()}::int AS matched
         FROM flagged
        GROUP BY GROUPING SETS (${sets.map(([, c]) => `(${c})`).join(', ')})),
     facets AS (
       SELECT p.facet, p.value, CASE WHEN p.facet = 'source' THEN coalesce(se.source_name, i.file_name) ELSE p.value END AS label,
              p.count, p.matched
         FROM plain p LEFT JOIN imports i ON p.facet = 'source' AND i.id::text = p.value
         LEFT JOIN searches se ON se.id = i.search_id
        WHERE p.count > 0 OR p.matched > 0
       UNION ALL
       SELECT 'reason', reason, reason, count(*)::int, 0
         FROM flagged, unnest(${a}_reasons) AS reason
        WHERE ${a}_state = 'excluded' AND ${allBut('reason')} GROUP BY 2
       UNION ALL
       SELECT 'tag', t.name, t.name, count(*)::int, 0 FROM flagged JOIN record_tags t ON t.record_id = flagged.id
        WHERE ${allBut('tag')} GROUP BY 2),
     page AS (
       SELECT t.id, t.duplicate, t.has_full_text, t.in_full_text, t.${a}_state, t.${a}_reasons,
              row_number() OVER (ORDER BY ${ORDER[query.sort]}) AS rn
         FROM (${rankedSql(query, searching, allBut())}
                ORDER BY ${ORDER[query.sort]} LIMIT ${query.limit} OFFSET ${query.offset}) t)
     SELECT (SELECT json_agg(f ORDER BY f.facet, f.count DESC, f.value) FROM facets f) AS facets,
            (SELECT json_agg(x ORDER BY x.rn) FROM (
               SELECT p.*, os.${o}_state, os.${o}_reasons, r.title, r.year, r.data->>'journal' AS journal,
                      jsonb_path_query_array(r.data, '$.authors[0 to 2].asWritten') AS authors,
                      jsonb_array_length(coalesce(r.data->'authors', '[]'::jsonb)) AS author_count,
                      r.import_id, coalesce(se.source_name, i.file_name) AS source_label,
                      ARRAY(SELECT t.name FROM record_tags t WHERE t.record_id = r.id ORDER BY t.name) AS tags
                 FROM page p JOIN records r ON r.id = p.id JOIN imports i ON i.id = r.import_id
                 JOIN (${stageStatesOf(options, other, 'FROM library_records r WHERE r.record_id IN (SELECT id FROM page)')}) os
                   ON os.record_id = p.id
                 LEFT JOIN searches se ON se.id = i.search_id) x) AS items`,
    params,
  );
  const result = answer[0]!;
  const allFacets = result.facets ?? [];
  const facetsOf = (d: Dimension): FacetValue[] =>
    allFacets
      .filter((f) => f.facet === d && f.count > 0)
      .map(({ value, label, count }) => ({ value, label, count }));
  const total = allFacets.filter((f) => f.facet === 'duplicate').reduce((n, f) => n + f.matched, 0);
  // Votes store reason codes; people read the labels the stage gives them (retired ones too).
  const labels = new Map<string, string>();
  STAGES.forEach((s, i) => {
    for (const r of configs[i]!.config.exclusionReasons)
      if (!labels.has(r.code) || s === query.stage) labels.set(r.code, r.label);
  });
  const label = (code: string): string => labels.get(code) ?? code;
  const reasonsOf = (state: RecordState, reasons: string[]): string[] =>
    state === 'excluded' ? reasons.map(label) : [];
  return {
    total,
    items: (result.items ?? []).map((r) => {
      const authors = r.authors ?? [];
      return {
        recordId: r.id,
        title: r.title,
        authors: Number(r.author_count) > authors.length ? [...authors, 'et al.'] : authors,
        year: r.year === null ? null : Number(r.year),
        journal: r.journal ?? null,
        source: { importId: r.import_id, label: r.source_label },
        duplicate: r.duplicate,
        hasFullText: r.has_full_text,
        matchedInFullText: r.in_full_text,
        tags: r.tags ?? [],
        states: { 'title-abstract': r.ta_state, 'full-text': r.ft_state },
        reasons: {
          'title-abstract': reasonsOf(r.ta_state, r.ta_reasons),
          'full-text': reasonsOf(r.ft_state, r.ft_reasons),
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
  const { relation, params, searching } = await prepare(db, viewer, query);
  const where = Object.values(filterClauses(query, params));
  const { rows } = await db.query<{ id: string }>(
    `${relation}, flagged AS (SELECT * FROM lib)
     SELECT id FROM (${rankedSql(query, searching, where.length ? where.join(' AND ') : 'true')}) f
      ORDER BY ${ORDER[query.sort]}`,
    params,
  );
  return rows.map((r) => r.id);
}
