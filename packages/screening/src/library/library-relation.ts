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
function stateSql(stage: Stage, blind: boolean, lead: boolean, adjudicator: boolean, inline = false): string {
  const a = STAGE_ALIAS[stage];
  // Read from the fenced row's flags (`v`), or straight from the library row (`r`).
  const flag = (name: string, array: string) =>
    inline ? `($2::uuid = ANY(r.${a}_${array}))` : `v.${a}_${name}`;
  // A record merged into another as its duplicate is screened through that one: at no stage itself
  // (its stage row may stay from before the merge), as the queues and PRISMA count it.
  const row = inline ? 'r' : 'v';
  const whole = `(CASE WHEN ${row}.duplicate_of IS NULL THEN ${row}.${a}_state ELSE 'not-in-stage' END)`;
  const mine = flag('mine', 'voters');
  const assignedMe = flag('assigned_me', 'assigned');
  const openMe = flag('open_me', 'open');
  const adjudicatedMe = flag('adjudicated_me', 'adjudicators');
  const blindedScreener = `(${assignedMe} AND NOT ${mine})`;
  const full = blind ? `((${lead} AND NOT ${blindedScreener}) OR ${adjudicatedMe})` : 'true';
  return `CASE
    WHEN ${whole} = 'not-in-stage' THEN ${whole}
    WHEN ${openMe} AND NOT ${mine} THEN 'awaiting-my-vote'
    WHEN ${full} THEN ${whole}
    WHEN ${blindedScreener} THEN 'in-progress'
    WHEN ${whole} IN ('included', 'excluded') THEN ${whole}
    WHEN ${adjudicator} AND ${whole} IN ('conflict', 'maybe') THEN ${whole}
    ELSE 'in-progress' END`;
}

/**
 * When the record last changed at one stage, as far as the viewer may know: only where the state
 * they see is the record's whole state, else null (the record sorts by when it was imported). A
 * sort by last activity would otherwise show a blinded screener which records another reviewer
 * has just voted on. Reads the library row (`r`).
 */
function updatedSql(o: RelationOptions, stage: Stage): string {
  const a = STAGE_ALIAS[stage];
  if (!o.blind[stage]) return `r.${a}_updated`;
  return `CASE WHEN ${stateSql(stage, true, o.lead, o.adjudicator, true)} = r.${a}_state THEN r.${a}_updated END`;
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
            FROM (SELECT r.record_id, r.duplicate_of, ${viewerColumns(stage)} ${from} OFFSET 0) v`;
}

/** A library row (`r`) the search finds: by its fields (the relation's matched) or its full text. */
const SEARCHED =
  '(r.record_id IN (SELECT id FROM matched) OR r.record_id IN (SELECT record_id FROM full_text_hits))';

/** A library row's duplicate status (the duplicate facet's values). */
export function duplicateSql(row: string): string {
  return `CASE WHEN ${row}.duplicate_of IS NOT NULL THEN 'removed' WHEN ${row}.kept THEN 'kept' ELSE 'unique' END`;
}

/** Whether the search matched the record's attached full text (reads the relation's full_text_hits). */
function inFullTextSql(o: RelationOptions, row: string): string {
  return o.search ? `${row}.record_id IN (SELECT record_id FROM full_text_hits)` : 'false';
}

export interface RelationOptions {
  /** Blind mode per stage (the stage configuration). */
  blind: Record<Stage, boolean>;
  lead: boolean;
  adjudicator: boolean;
  /** A search is given ($3): only matching records, with their rank. */
  search: boolean;
  /**
   * A search sorted by relevance with no filter: every match is ranked, so each is ranked as it is
   * found (the relation's matched carries `rank`).
   */
  rankMatches?: boolean;
  /** The stage whose state and reasons the relation carries (the one the request filters on). */
  stage: Stage;
  /**
   * The page sorts by last activity: a search's rows carry when each record last changed at each
   * stage. Only that sort reads it, and working it out for each match (what the viewer may know of
   * it) cost a one-word search in 43,765 records about 12 ms (PostgreSQL, in-sample).
   */
  activity?: boolean;
  /**
   * A tag filter is given: only a tagged record can count in the total or in any facet (the tag
   * facet counts a record under each of its tags; every other facet and the total keep the tag
   * filter), so the relation holds the review's tagged records only. How a search finds its matches
   * among them: `auto` tests each tagged record's vector while there are at most TAGGED_CHECK_MAX of
   * them, else asks the index; `each` and `index` force one way, `all` keeps every record (tests
   * compare the ways).
   */
  tagged?: TaggedPath;
  /**
   * How a search reads its matches' library rows: `auto` looks each up by its key while they are
   * few (FEW_MATCHES_PER_ROW), else reads the review's rows in order; `lookup` and `scan` force one
   * way (tests compare them).
   */
  matchRows?: MatchRowsPath;
}

export type TaggedPath = 'auto' | 'each' | 'index' | 'all';
export type MatchRowsPath = 'auto' | 'lookup' | 'scan';

/**
 * The most tagged records whose search vectors a tag-filtered search tests one by one (each looked
 * up by its key); with more, it asks the GIN index for every match. A test reads one vector (about
 * 4 µs on the bench's machine), so 10,000 of them cost about what the index costs for a word found
 * in a third of 100,000 records (in-sample).
 */
const TAGGED_CHECK_MAX = 10_000;

/** The review's tagged records, each once. */
const TAGGED_IDS = 'SELECT DISTINCT record_id FROM record_tags WHERE review_id = $1';

/** Every record the search matches, through the GIN index (library_matches, migration 0830). */
const INDEX_MATCHES = `SELECT id FROM library_matches($1, to_tsquery('english', $3)) AS m(id)`;

/**
 * The tagged records the search matches: each one's vector tested (looked up by its key), or the
 * index's matches kept to the tagged, or (`each-while-few`) the first while there are at most
 * TAGGED_CHECK_MAX tagged records, else the second (one-time filters: only one of them runs).
 */
function taggedMatches(way: 'each' | 'index' | 'each-while-few'): string {
  const each = `SELECT t.record_id AS id FROM tagged_ids t
          WHERE (SELECT s.search_vector @@ (SELECT q FROM search_query) FROM library_search s WHERE s.record_id = t.record_id)`;
  const index = `SELECT m.id FROM (${INDEX_MATCHES}) m WHERE m.id IN (SELECT record_id FROM tagged_ids)`;
  if (way === 'each') return each;
  if (way === 'index') return index;
  const few = `(SELECT count(*) FROM tagged_ids) <= ${TAGGED_CHECK_MAX}`;
  return `${each} AND ${few}
         UNION ALL
         ${index} AND NOT ${few}`;
}

/**
 * `WITH …, lib AS (…)`: the relation; callers append their own CTEs and the final SELECT. `lib` is
 * what the facet counts read, in one pass over the review's library rows: their narrow columns and
 * the viewer's state of the request's stage (the page reads the other stage's for its own records
 * with `stageStatesOf`), and without a search their tags (`tagsInRows`). The inner query is fenced
 * (OFFSET 0) so each viewer flag is computed once per row, not once per use. With a search, `lib`
 * holds the matches only, with what the page sorts on: the page is sorted from it. Without one,
 * the page reads `pageRowsSql`, which an index can order, so that a page of 50 is not a sort of
 * every record.
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
  // The matches are kept once; the library rows are read in order and each looked up in a hash of
  // them (a join, not knowing the matches are distinct, hashed every library row instead: a one-word
  // search matching 43,765 of 100,000 records took 335 ms, this way 229, PostgreSQL, in-sample).
  // Their rank costs a read of each match's search vector, so it is read here only when every
  // match is ranked anyway (a search with no filter, `rankMatches`); otherwise the page ranks only
  // the records that pass the filters. (Keeping each match's vector here for the ranking to read,
  // rather than looking it up by key, cost broad searches more than it saved: a one-word search
  // copied 43,765 of them.)
  // Through the GIN index whatever the planner guesses (library_matches, migration 0830): a scan of
  // the table would read every record's vector.
  // With a tag filter only tagged records count: while there are few of them, each one's vector is
  // tested, and only their library rows are read (a tag on 2,702 of 100,000 records and a word in
  // 43,765: the index found all 43,765, and every library row of the review was read to keep the
  // tagged among them).
  const tagged = o.tagged !== undefined && o.tagged !== 'all';
  const matched = o.rankMatches
    ? `SELECT id, rank FROM library_ranked_matches($1, to_tsquery('english', $3))`
    : tagged
      ? taggedMatches(o.tagged === 'auto' ? 'each-while-few' : o.tagged === 'each' ? 'each' : 'index')
      : INDEX_MATCHES;
  const taggedCtes = tagged
    ? `
    tagged_ids AS MATERIALIZED (${TAGGED_IDS}),${o.search ? `\n    search_query AS (SELECT to_tsquery('english', $3) AS q),` : ''}`
    : '';
  /** With a tag filter, keeps the rows whose record id (`id`, an SQL expression) is tagged. */
  const onlyTagged = (id: string) => (tagged ? ` AND ${id} IN (SELECT record_id FROM tagged_ids)` : '');
  // The latest shared ranking (its scores are rows of library_scores, migration 0780).
  const model = `SELECT pm.id FROM prioritisation_rankings pr JOIN prioritisation_models pm ON pm.id = pr.model_id
                  WHERE pm.review_id = $1 AND pm.stage = 'title-abstract' AND pr.reviewer_id IS NULL
                  ORDER BY pm.id DESC LIMIT 1`;
  return `WITH${taggedCtes}${
    tagsInRows(o)
      ? `
    tagged AS (SELECT record_id, array_agg(name ORDER BY name) AS tags FROM record_tags WHERE review_id = $1 GROUP BY 1),`
      : ''
  }
    full_text_hits AS (${fullTextHits}),
    model AS (${model}),${
      o.search
        ? `
    matched AS MATERIALIZED (${matched}),`
        : ''
    }
    lib AS (
      SELECT v.record_id AS id, v.year, v.import_id,
             ${duplicateSql('v')} AS duplicate,
             v.has_full_text, ${columns}${o.search ? `, v.title_key, v.created_at${o.activity ? ', v.ta_updated, v.ft_updated' : ''}, ${inFullTextSql(o, 'v')} AS in_full_text` : ', t.tags'}
        FROM (${rowsOf(o, onlyTagged)}
              OFFSET 0) v${tagsInRows(o) ? ' LEFT JOIN tagged t ON t.record_id = v.record_id' : ''})`;
}

/**
 * Whether `lib` gives each row its list of tags, for the facet pass to group by. Without a search
 * it does: the pass then reads `lib` once, which PostgreSQL may split among parallel workers.
 * A search's matches leave them out, and the tag facet joins the few tagged records' tags to the
 * matches instead: joining each match to its tags, the planner hashed the matches' rows, about 50
 * ms of a one-word search's 300 in 43,765 of 100,000 records (PostgreSQL, in-sample), while
 * without a search the join costs nothing to speak of and a second read of `lib` would lose the
 * workers (85 → 110 ms for the first page).
 */
export function tagsInRows(o: RelationOptions): boolean {
  return !o.search;
}

/**
 * A search finding few records looks each up by its key; past that it reads the review's library rows
 * in order and keeps the matches (a hashed set of them). Reading the rows costs the same for one
 * match as for all of them: a search for a title's words (one match in 100,000 records) took 65 ms,
 * nearly all of it that read. A lookup costs about what reading FEW_MATCHES_PER_ROW rows in order
 * does (8 µs against 0.6 µs on the bench's machine, in-sample), so the lookups are taken while the
 * matches are fewer than the table's rows (its planner estimate) divided by that. One-time filters:
 * only one of the two reads runs.
 */
const FEW_MATCHES_PER_ROW = 16;

/** The library rows `lib` reads (as `r`), with their narrow columns and the viewer's flags. */
function rowsOf(o: RelationOptions, onlyTagged: (id: string) => string): string {
  const updated = o.activity
    ? ` ${updatedSql(o, 'title-abstract')} AS ta_updated, ${updatedSql(o, 'full-text')} AS ft_updated,`
    : '';
  const columns = `r.record_id, r.year, r.import_id, r.duplicate_of, r.kept, r.has_full_text,${o.search ? ` r.title_key, r.created_at,${updated}` : ''} ${viewerColumns(o.stage)}`;
  const way = o.search ? (o.matchRows ?? 'auto') : 'scan';
  const scan = (when: string) => `SELECT ${columns}
                FROM library_records r
               WHERE r.review_id = $1 AND ${o.search ? SEARCHED : '$3::text IS NOT NULL'}${onlyTagged('r.record_id')}${when}`;
  const lookup = (when: string) => `SELECT ${columns}
                FROM (SELECT id FROM matched UNION SELECT record_id FROM full_text_hits) m
                CROSS JOIN LATERAL (SELECT * FROM library_records k WHERE k.record_id = m.id AND k.review_id = $1 LIMIT 1) r
               WHERE true${onlyTagged('m.id')}${when}`;
  if (way === 'scan') return scan('');
  if (way === 'lookup') return lookup('');
  // No statistics yet (reltuples -1): read in order, as before they are gathered.
  const few = `(SELECT count(*) FROM matched) * ${FEW_MATCHES_PER_ROW} < (SELECT c.reltuples FROM pg_class c WHERE c.oid = 'library_records'::regclass)`;
  return `${scan(` AND NOT ${few}`)}
              UNION ALL
              ${lookup(` AND ${few}`)}`;
}

/**
 * The page's rows: the same columns and viewer state as `lib`, with what the page sorts on, read
 * straight from the library row with nothing in between (no fence), so that a filter and an
 * ORDER BY … LIMIT over it can walk an index in order (title, year, score) and stop after the page.
 * Reads the relation's CTEs (matched, full_text_hits) when searching (the export does).
 */
export function pageRowsSql(o: RelationOptions): string {
  const a = STAGE_ALIAS[o.stage];
  return `SELECT r.record_id AS id, r.title_key, r.year, r.import_id, r.created_at,
                 ${updatedSql(o, 'title-abstract')} AS ta_updated, ${updatedSql(o, 'full-text')} AS ft_updated,
                 ${duplicateSql('r')} AS duplicate, r.has_full_text, ${inFullTextSql(o, 'r')} AS in_full_text,
                 ${stateSql(o.stage, o.blind[o.stage], o.lead, o.adjudicator, true)} AS ${a}_state, r.${a}_reasons
            FROM library_records r
           WHERE r.review_id = $1${o.search ? ` AND ${SEARCHED}` : ''}`;
}
