import type { Db, Role, Sql } from '@winnow/core';
import { getStageConfigs } from '../stages/stage-config.repository.ts';
import { STAGES, type Stage } from '../stages/stage.types.ts';
import { reasonLabeller } from './reason-labels.ts';
import {
  libraryRelation,
  pageRowsSql,
  stageStatesOf,
  STAGE_ALIAS,
  tagsInRows,
  type RelationOptions,
  type MatchRowsPath,
  type TaggedPath,
} from './library-relation.ts';
import {
  parseSearchQuery,
  searchPrefixes,
  toTsquery,
  type SearchNode,
  type SearchQueryError,
} from './search-query.ts';

export type { MatchRowsPath, TaggedPath } from './library-relation.ts';

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

/** How the library finds what a request selects; each way gives the same answer (tests compare them). */
export interface LibraryTuning {
  /** With a tag filter: see RelationOptions.tagged (default `auto`). */
  tagged?: TaggedPath;
  /** With a search: see RelationOptions.matchRows (default `auto`). */
  matchRows?: MatchRowsPath;
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

/** Every filter given, as one condition. */
function allFilters(by: Partial<Record<Dimension, string>>): string {
  const where = Object.values(by);
  return where.length ? where.map((w) => `(${w})`).join(' AND ') : 'true';
}

/** Titles compare without case, byte by byte (the library row's title_key). */
const TITLE = 'title_key COLLATE "C"';
/**
 * A removed duplicate has its kept record's text, so a search ranks them alike: the kept one (the
 * record screened) comes first, not whichever id sorts first.
 */
const KEPT_FIRST = "duplicate = 'removed'";
const ORDER: Record<LibrarySort, string> = {
  relevance: `rank DESC, score DESC NULLS LAST, ${KEPT_FIRST}, ${TITLE}, id`,
  year: `year DESC NULLS LAST, ${TITLE}, id`,
  title: `${TITLE}, id`,
  activity: 'greatest(ta_updated, ft_updated, created_at) DESC, id',
  score: `score DESC NULLS LAST, ${TITLE}, id`,
};

/**
 * The rows that pass `where`, with their rank and score, in the query's order: a search's
 * relevance (ts_rank over the record's own fields: how often the query's words occur, a title's
 * counting ten times an abstract's, and for words joined by AND how close they stand; 0 for a match
 * in its full text only) when sorting by relevance, else 0; the latest shared ranking's score when
 * sorting by it. Ranking reads each record's search vector, so it runs on the filtered records
 * only, each looked up by its key; with no filter every match is ranked, as it was found (the
 * relation's matched, `rankMatches`). ts_rank_cd (cover density) cost 2-3 times as much per record.
 * Given `upTo` (the page's end), a search sorted by relevance takes its first `upTo` records by rank
 * (ties with the last included) and reads the scores, which only break ties, of those alone.
 */
function rankedSql(
  query: LibraryQuery,
  options: RelationOptions,
  from: string,
  where: string,
  upTo?: number,
): string {
  const score = query.sort === 'relevance' || query.sort === 'score';
  const ranked = options.search && query.sort === 'relevance';
  const rank = !ranked
    ? '0::real'
    : options.rankMatches
      ? 'coalesce(m.rank, 0)'
      : `coalesce((SELECT ts_rank(ls.search_vector, to_tsquery('english', $3)) FROM library_search ls WHERE ls.record_id = f.id), 0)`;
  // A record found by its full text alone has no rank among the matches.
  const rankJoin = ranked && options.rankMatches ? 'LEFT JOIN matched m ON m.id = f.id' : '';
  const scoreOf = options.search
    ? // LIMIT 1 on a unique key: guessing two rows, the planner read each by a bitmap scan.
      '(SELECT sc.score FROM library_scores sc WHERE sc.model_id = (SELECT id FROM model) AND sc.record_id = f.id LIMIT 1)'
    : 'sc.score';
  if (ranked && options.rankMatches && upTo !== undefined)
    // No filter, so every match passes: the page's first records by rank are taken from the ranked
    // matches (and the records found by their full text alone, ranked 0) before a library row is
    // read. Fenced (OFFSET 0): planned under the page's LIMIT, the join looked up each of them
    // (832 ties) by a scan of every match, 4.9 s for a word in 43,765 records.
    return `SELECT f.*, ${scoreOf} AS score FROM (
              SELECT f.*, t.rank FROM (
                SELECT id, rank FROM matched
                UNION ALL
                SELECT record_id, 0::real FROM full_text_hits WHERE record_id NOT IN (SELECT id FROM matched)
                ORDER BY rank DESC FETCH FIRST ${upTo} ROWS WITH TIES) t
              JOIN ${from} f ON f.id = t.id OFFSET 0) f
             ORDER BY ${ORDER[query.sort]}`;
  if (ranked && upTo !== undefined)
    return `SELECT f.*, ${scoreOf} AS score FROM (
              SELECT f.*, ${rank} AS rank FROM ${from} f ${rankJoin}
               WHERE ${where}
               ORDER BY rank DESC FETCH FIRST ${upTo} ROWS WITH TIES) f
             ORDER BY ${ORDER[query.sort]}`;
  return `SELECT f.*, ${rank} AS rank, ${score ? scoreOf : 'NULL::float8'} AS score FROM ${from} f ${rankJoin}
            ${score && !options.search ? 'LEFT JOIN library_scores sc ON sc.model_id = (SELECT id FROM model) AND sc.record_id = f.id' : ''}
           WHERE ${where}
           ORDER BY ${ORDER[query.sort]}`;
}

/** Sorted by a ranking's score, with no search: the default order of a review with a ranking. */
function byScoreOnly(query: LibraryQuery, options: RelationOptions): boolean {
  return !options.search && (query.sort === 'score' || query.sort === 'relevance');
}

/**
 * How many of the ranking's top scores a walk by score reads (ties with the last included), for a
 * page that ends at `upTo`: enough when one record in twenty of them passes the filters.
 */
function scoreWalkRows(query: LibraryQuery): number {
  return 20 * (query.offset + query.limit);
}

/**
 * The page's rows that pass `where` in the query's order (ORDER BY … LIMIT), or, for a walk by
 * score, the matches among the ranking's top scores: every record outside them scores lower (or has
 * no score), so once they hold the page, the page is theirs. The caller checks they do
 * (`walked`), or asks again without the walk.
 */
function pageSql(query: LibraryQuery, options: RelationOptions, where: string, walk: boolean): string {
  const limit = `LIMIT ${query.limit} OFFSET ${query.offset}`;
  if (walk && byScoreOnly(query, options))
    return `SELECT * FROM walked ORDER BY ${ORDER[query.sort]} ${limit}`;
  return `${rankedSql(query, options, `(${pageRowsSql(options)})`, where)} ${limit}`;
}

/** The matches among the ranking's top scores (a walk by score), as a CTE the page reads. */
function walkedCte(query: LibraryQuery, options: RelationOptions, where: string): string {
  return `walked AS (
       SELECT f.*, 0::real AS rank, s.score
         FROM (SELECT record_id, score FROM library_scores WHERE model_id = (SELECT id FROM model)
                ORDER BY score DESC FETCH FIRST ${scoreWalkRows(query)} ROWS WITH TIES) s
         JOIN (${pageRowsSql(options)}) f ON f.id = s.record_id
        WHERE ${where})`;
}

/** Sorts an index hands over in order: the page walks it rather than sorting every record. */
const WALKABLE: ReadonlySet<LibrarySort> = new Set(['title', 'year', 'score', 'relevance']);

/**
 * Whether the page should walk an index in order (title, year, score) and stop once it has the page,
 * rather than sort every record that passes the filters. The planner cannot tell: it does not know
 * how many records pass a filter on the viewer's state (computed per row), and it guessed a few
 * dozen where there were thousands. The facet pass has just counted them: walking costs about the
 * rows it passes over, (offset + limit) / the share that pass, each a few times a row of a scan,
 * so it is the cheaper way while that share keeps the walk under a third of the records.
 */
function walkIndex(query: LibraryQuery, options: RelationOptions, matched: number): boolean {
  return !options.search && WALKABLE.has(query.sort) && matched > 3 * (query.offset + query.limit);
}

/**
 * Planner settings for a walk, for the rest of the transaction: index scans and nested loops only,
 * so the page comes from the index in order. Without them the planner, guessing few matches, reads
 * every record and sorts them.
 */
const WALK_SETTINGS = [
  'enable_seqscan',
  'enable_bitmapscan',
  'enable_hashjoin',
  'enable_mergejoin',
  'enable_sort',
];

/**
 * The most words one prefix is widened to. A search for `sustainab*` looks up the review's words
 * that begin so; a beginning of a letter or two (`co*`) would name thousands, each a term of the
 * search, and the reviewer is asked for more letters instead (PubMed likewise searches only the
 * first 600 words a truncation names, and says so).
 */
const MOST_WORDS_PER_PREFIX = 1000;

/**
 * The review's words each prefix of the search begins (library_words, migration 0870), for
 * `toTsquery` to search as words. One query for every prefix; each a range of the words' key.
 */
async function prefixWords(
  db: Sql,
  reviewId: string,
  node: SearchNode,
  q: string,
): Promise<(prefix: string) => readonly string[]> {
  const prefixes = searchPrefixes(node);
  if (prefixes.length === 0) return () => [];
  const { rows } = await db.query<{ prefix: string; words: string[] }>(
    `SELECT p AS prefix,
            ARRAY(SELECT w.word FROM library_words w
                   WHERE w.review_id = $1 AND w.word >= p COLLATE "C" AND w.word < (p || chr(1114111)) COLLATE "C"
                   ORDER BY w.word LIMIT $3) AS words
       FROM unnest($2::text[]) AS p`,
    [reviewId, prefixes, MOST_WORDS_PER_PREFIX + 1],
  );
  const words = new Map(rows.map((r) => [r.prefix, r.words]));
  for (const [prefix, list] of words)
    if (list.length > MOST_WORDS_PER_PREFIX)
      throw new LibrarySearchError({
        message: `“${prefix}*” begins more than ${MOST_WORDS_PER_PREFIX.toLocaleString('en')} different words in this review: type more of the word before the *`,
        at: Math.max(0, q.toLowerCase().indexOf(`${prefix}*`)),
      });
  return (prefix) => words.get(prefix) ?? [];
}

/** The relation's SQL for this viewer and query, with $1-$3 (review, viewer, tsquery). */
async function prepare(db: Sql, viewer: LibraryViewer, query: LibraryQuery, tuning: LibraryTuning = {}) {
  const parsed = query.q?.trim() ? parseSearchQuery(query.q) : { node: null };
  if ('error' in parsed) throw new LibrarySearchError(parsed.error);
  const tsquery = parsed.node
    ? toTsquery(parsed.node, await prefixWords(db, viewer.reviewId, parsed.node, query.q ?? ''))
    : null;
  const configs = await getStageConfigs(db, viewer.reviewId);
  const options: RelationOptions = {
    blind: { 'title-abstract': configs[0]!.config.blind, 'full-text': configs[1]!.config.blind },
    lead: viewer.roles.includes('lead'),
    adjudicator: viewer.roles.includes('adjudicator'),
    search: tsquery !== null,
    rankMatches:
      tsquery !== null && query.sort === 'relevance' && Object.keys(filterClauses(query, [])).length === 0,
    stage: query.stage,
    activity: query.sort === 'activity',
    tagged: query.tag ? (tuning.tagged ?? 'auto') : undefined,
    matchRows: tuning.matchRows ?? 'auto',
  };
  const relation = libraryRelation(options);
  const params: unknown[] = [viewer.reviewId, viewer.userId, tsquery ?? ''];
  return { relation, options, params, configs };
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
 * Every facet and the total are one pass over the viewer's relation (grouping sets; a record's
 * reasons and tags grouped as lists; a search's tags joined to its matches), kept nowhere. Without
 * a search the page is read after it, by walking an index in the page's order when the pass counted
 * enough matches; with one, the matches are kept once and the page sorted from them. Only the
 * page's records are read in full.
 */
export async function searchRecords(
  db: Db,
  viewer: LibraryViewer,
  query: LibraryQuery,
  tuning: LibraryTuning = {},
): Promise<LibraryPage> {
  // For this transaction only: memory for the facet pass's hash tables and a search's sort, no
  // JIT compilation, and parallel workers priced as what they cost here. A request reads each row
  // once; compiling its expressions first (which a large review's cost estimate, or a walk's planner
  // settings, would switch on) took 650 ms, ten times what running them takes. The planner prices a
  // scan of the library rows as pages read from disk, which workers do not share, so it saw almost
  // nothing to gain from them (14,696 against 15,425 cost units at 100,000 records) and less than
  // its default price for starting them and passing rows back. The rows are in memory, and a scan
  // of them is CPU work, which workers do share. Priced at nothing, the facet pass's scan of the
  // library rows and a search's recheck of its matches run in two or three processes. PostgreSQL,
  // in-sample, the bench's mix of six requests, interleaved on one database: p50 154 → 113 ms,
  // p95 263 → 217 ms. (A search's statement calls library_matches, a function
  // PostgreSQL keeps out of parallel plans, so that statement runs in one process; the match query
  // inside the function may still use workers.) Embedded PGlite has no workers and ignores them.
  return db.transaction(async (tx) => {
    await tx.query(
      `SELECT set_config('work_mem', '${LIBRARY_WORK_MEM}', true), set_config('jit', 'off', true),
              set_config('parallel_setup_cost', '0', true), set_config('parallel_tuple_cost', '0', true)`,
    );
    return searchIn(tx, viewer, query, tuning);
  });
}

/** Memory the library's statement may use per sort or hash (PostgreSQL's default is 4MB). */
const LIBRARY_WORK_MEM = '32MB';

async function searchIn(
  db: Sql,
  viewer: LibraryViewer,
  query: LibraryQuery,
  tuning: LibraryTuning,
): Promise<LibraryPage> {
  const { relation, options, params, configs } = await prepare(db, viewer, query, tuning);
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
    return where === 'true' ? 'sum(n)' : `coalesce(sum(n) FILTER (WHERE ${where}), 0)`;
  };
  // Every facet in one pass over the relation: the rows are counted once by every column a facet
  // or filter reads together (`combos`: 1,188 groups on the bench's 100,000 records; more imports,
  // years, states and distinct reason or tag lists make more), and the facets are grouping sets
  // over those counts, each summing the groups that pass every filter but its own dimension's.
  // Grouping the rows by seven sets at once fed each row to seven hash tables (PostgreSQL,
  // in-sample: 175 ms a request without a search, 153 ms this way). Grouped on the raw columns;
  // each group's value becomes text once, after counting. A record has several exclusion reasons:
  // it is grouped by its whole list (few distinct lists), and the lists are split into values
  // after. Tags likewise without a search; a search's tags are counted by joining the tagged
  // records' tags to its matches (`tagsInRows`).
  const sets: [Dimension, string, string][] = [
    ['state', `${a}_state`, `${a}_state`],
    ['source', 'import_id', 'import_id::text'],
    ['duplicate', 'duplicate', 'duplicate'],
    ['fullText', 'has_full_text', 'has_full_text::text'],
    ['year', 'year', "coalesce(year::text, '')"],
    ['reason', 'excluded_reasons', 'NULL'],
    ...(tagsInRows(options) ? [['tag', 'tags', 'NULL'] as [Dimension, string, string]] : []),
  ];
  const which = (col: string) => `grouping(${col}) = 0`;
  const keys = [...sets.map(([, c]) => c), ...active.map((d) => `f_${d}`)].join(', ');
  const facetCtes = `flagged AS (
       SELECT lib.*${flags}, CASE WHEN ${a}_state = 'excluded' THEN ${a}_reasons END AS excluded_reasons
         FROM lib OFFSET 0),
     combos AS (
       SELECT ${keys}, count(*) AS n FROM flagged GROUP BY ${keys}),
     plain AS (
       SELECT CASE ${sets.map(([d, c]) => `WHEN ${which(c)} THEN '${d}'`).join(' ')} END AS facet,
              CASE ${sets.map(([, c, text]) => `WHEN ${which(c)} THEN ${text}`).join(' ')} END AS value,
              CASE WHEN ${which('excluded_reasons')} THEN excluded_reasons${tagsInRows(options) ? ` WHEN ${which('tags')} THEN tags` : ''} END AS list,
              CASE ${sets.map(([d, c]) => `WHEN ${which(c)} THEN ${countAllBut(d)}`).join(' ')} END::int AS count,
              ${countAllBut()}::int AS matched
         FROM combos
        GROUP BY GROUPING SETS (${sets.map(([, c]) => `(${c})`).join(', ')})),
     facets AS (
       SELECT p.facet, p.value, CASE WHEN p.facet = 'source' THEN coalesce(se.source_name, i.file_name) ELSE p.value END AS label,
              p.count, p.matched
         FROM plain p LEFT JOIN imports i ON p.facet = 'source' AND i.id::text = p.value
         LEFT JOIN searches se ON se.id = i.search_id
        WHERE p.facet NOT IN ('reason', 'tag') AND (p.count > 0 OR p.matched > 0)
       UNION ALL
       SELECT p.facet, v, v, sum(p.count)::int, 0
         FROM plain p, unnest(p.list) AS v
        WHERE p.facet IN ('reason', 'tag') GROUP BY p.facet, v${
          tagsInRows(options)
            ? ''
            : `
       UNION ALL
       SELECT 'tag', t.name, t.name, count(*)::int, 0
         FROM flagged f JOIN record_tags t ON t.record_id = f.id AND t.review_id = $1
        WHERE ${allBut('tag')} GROUP BY t.name`
        })`;
  const facetsJson = `(SELECT json_agg(f ORDER BY f.facet, f.count DESC, f.value) FROM facets f)`;
  const pageCte = (walk: boolean) => `${
    walk && byScoreOnly(query, options)
      ? `${walkedCte(query, options, allFilters(by))},
`
      : ''
  }page AS (
       SELECT t.id, t.duplicate, t.has_full_text, t.in_full_text, t.${a}_state, t.${a}_reasons,
              row_number() OVER (ORDER BY ${ORDER[query.sort]}) AS rn
         FROM (${
           options.search
             ? // A search's matches, already read once with their flags: sorted from there.
               `${rankedSql(query, options, 'flagged', allBut(), query.offset + query.limit)} LIMIT ${query.limit} OFFSET ${query.offset}`
             : pageSql(query, options, allFilters(by), walk)
         }) t)`;
  const itemsJson = `(SELECT json_agg(x ORDER BY x.rn) FROM (
               SELECT p.*, os.${o}_state, os.${o}_reasons, r.title, r.year, r.data->>'journal' AS journal,
                      jsonb_path_query_array(r.data, '$.authors[0 to 2].asWritten') AS authors,
                      jsonb_array_length(coalesce(r.data->'authors', '[]'::jsonb)) AS author_count,
                      r.import_id, coalesce(se.source_name, i.file_name) AS source_label,
                      ARRAY(SELECT t.name FROM record_tags t WHERE t.record_id = r.id ORDER BY t.name) AS tags
                 FROM page p JOIN records r ON r.id = p.id JOIN imports i ON i.id = r.import_id
                 JOIN (${stageStatesOf(options, other, 'FROM library_records r WHERE r.record_id IN (SELECT id FROM page)')}) os
                   ON os.record_id = p.id
                 LEFT JOIN searches se ON se.id = i.search_id) x)`;
  type Answer = {
    facets: (FacetValue & { facet: Dimension; matched: number })[] | null;
    items: PageRow[] | null;
  };
  let result: Answer;
  if (options.search) {
    // A search's matches are found once (the GIN index, then the full texts): facets and page in
    // one statement that shares them.
    const { rows } = await db.query<Answer>(
      `${relation}, ${facetCtes}, ${pageCte(false)} SELECT ${facetsJson} AS facets, ${itemsJson} AS items`,
      params,
    );
    result = rows[0]!;
  } else {
    // The facets first: how many records pass the filters tells how to read the page.
    const { rows: counted } = await db.query<Pick<Answer, 'facets'>>(
      `${relation}, ${facetCtes} SELECT ${facetsJson} AS facets`,
      params,
    );
    const matched = (counted[0]!.facets ?? [])
      .filter((f) => f.facet === 'duplicate')
      .reduce((n, f) => n + f.matched, 0);
    const page = async (walk: boolean) => {
      // For this transaction only (it ends with the page).
      if (walk)
        await db.query(`SELECT set_config(name, 'off', true) FROM pg_settings WHERE name = ANY($1)`, [
          WALK_SETTINGS,
        ]);
      const { rows } = await db.query<Pick<Answer, 'items'> & { walked: number | null }>(
        `${relation}, ${pageCte(walk)} SELECT ${itemsJson} AS items,
           ${walk && byScoreOnly(query, options) ? '(SELECT count(*)::int FROM walked)' : 'NULL::int'} AS walked`,
        params,
      );
      return rows[0]!;
    };
    let rows = await page(walkIndex(query, options, matched));
    // A walk by score whose top scores held too few matches for the page: the page is read again by
    // sorting every match (as the planner would choose: the walk's settings go back to the
    // session's own values).
    if (rows.walked !== null && rows.walked < query.offset + query.limit) {
      await db.query(`SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name = ANY($1)`, [
        WALK_SETTINGS,
      ]);
      rows = await page(false);
    }
    result = { facets: counted[0]!.facets, items: rows.items };
  }
  const allFacets = result.facets ?? [];
  const facetsOf = (d: Dimension): FacetValue[] =>
    allFacets
      .filter((f) => f.facet === d && f.count > 0)
      .map(({ value, label, count }) => ({ value, label, count }));
  const total = allFacets.filter((f) => f.facet === 'duplicate').reduce((n, f) => n + f.matched, 0);
  // Votes store reason codes; people read the labels each stage gives them (retired ones too).
  const label = reasonLabeller(configs.map((c) => c.config));
  const reasonsOf = (stage: Stage, state: RecordState, reasons: string[]): string[] =>
    state === 'excluded' ? reasons.map((code) => label(stage, code)) : [];
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
          'title-abstract': reasonsOf('title-abstract', r.ta_state, r.ta_reasons),
          'full-text': reasonsOf('full-text', r.ft_state, r.ft_reasons),
        },
      };
    }),
    facets: {
      state: facetsOf('state'),
      reason: facetsOf('reason').map((f) => ({ ...f, label: label(query.stage, f.value) })),
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
  const { relation, options, params } = await prepare(db, viewer, query);
  const by = filterClauses(query, params);
  const { rows } = await db.query<{ id: string }>(
    `${relation} SELECT id FROM (${rankedSql(query, options, `(${pageRowsSql(options)})`, allFilters(by))}) f ORDER BY ${ORDER[query.sort]}`,
    params,
  );
  return rows.map((r) => r.id);
}
