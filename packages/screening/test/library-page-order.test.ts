import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, tinyPdf, type TestDatabase } from '@winnow/core/testing';
import {
  castDecision,
  enterTitleAbstract,
  extractFullText,
  routeStage,
  saveStageConfig,
  searchRecords,
  selectedRecordIds,
  storeAttachment,
  type DuplicateStatus,
  type LibraryPage,
  type LibraryQuery,
  type LibraryTuning,
  type LibrarySort,
  type RecordState,
} from '../src/index.ts';
import { seedReview } from './screening-fixtures.ts';

const RECORDS = 240;

/**
 * The library reads a page by walking an index in order (title, year, a ranking's scores) when
 * enough records pass the filters, and by sorting every match otherwise; a walk by score that finds
 * too few matches among the top scores reads the page again the other way. Whichever way a page is
 * read, it must be the same slice of the whole selection in the same order: here every page is
 * checked against the export's ids (all matches, sorted, no walk), for filters that pass most
 * records, a few, or none, and for pages at the start, the middle and past the end.
 */
describe.each(ENGINES)('library pages read by index walk or by sort are the same on %s', (engine) => {
  let t: TestDatabase;
  let viewers: { reviewId: string; userId: string; roles: ('lead' | 'reviewer')[] }[];
  let secondImport: string;
  let fullTextMatches: string[];
  /** Two records with no score and nothing else special: made a duplicate pair of the same text. */
  let pair: [string, string];
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    const { review, users, recordIds } = await seedReview(t.db, {
      slug: `page-order-${engine}`,
      records: RECORDS,
      users: { lead: ['lead'], ann: ['reviewer'], bob: ['reviewer'] },
    });
    const reviewId = review.id;
    await saveStageConfig(t.db, {
      reviewId,
      stage: 'title-abstract',
      config: {
        blind: true,
        exclusionReasons: [
          { code: 'setting', label: 'Not a healthcare setting' },
          { code: 'design', label: 'Not a primary study' },
        ],
      },
      actorId: users.lead!,
    });
    await enterTitleAbstract(t.db, reviewId);
    await routeStage(t.db, { reviewId, stage: 'title-abstract' });
    // Ann votes on two records in three: includes, and excludes for one reason or the other.
    for (const [i, recordId] of recordIds.entries()) {
      if (i % 3 === 2) continue;
      await castDecision(t.db, {
        reviewId,
        stage: 'title-abstract',
        userId: users.ann!,
        roles: ['reviewer'],
        decision:
          i % 5 === 0
            ? // Every third exclusion gives both reasons: a facet splits such lists into values.
              {
                recordId,
                vote: 'exclude',
                reasons: i % 3 === 0 ? ['setting', 'design'] : [i % 2 ? 'setting' : 'design'],
              }
            : { recordId, vote: 'include' },
      });
    }
    // A ranking that scores three records in four (the rest have no score), with ties.
    const { rows } = await t.db.query<{ id: string }>(
      `INSERT INTO prioritisation_models (review_id, stage, basis_seq, classifier, records, labelled, relevant)
       VALUES ($1, 'title-abstract', 1, 'svm', $2, 0, 0) RETURNING id`,
      [reviewId, RECORDS],
    );
    const scores = Object.fromEntries(
      recordIds.filter((_, i) => i % 4 !== 3).map((id, i) => [id, Math.round(Math.sin(i) * 20) / 20]),
    );
    await t.db.query(`INSERT INTO prioritisation_rankings (model_id, scores) VALUES ($1, $2)`, [
      rows[0]!.id,
      JSON.stringify(scores),
    ]);
    // The records without a score, tagged: a filter whose matches a walk by score never meets, so
    // the page is read again by sorting.
    await t.db.query(
      `INSERT INTO record_tags (review_id, record_id, name) SELECT $1, id, 'no score' FROM unnest($2::uuid[]) AS id`,
      [reviewId, recordIds.filter((_, i) => i % 4 === 3)],
    );
    // More than one value in every facet a filter can select: a second import, a second tag (so
    // some records carry two), records without a year, and a duplicate group (one kept, one removed).
    const { rows: second } = await t.db.query<{ id: string }>(
      `INSERT INTO imports (review_id, file_name, content_hash, status) VALUES ($1, 'second.ris', 'h2', 'complete') RETURNING id`,
      [reviewId],
    );
    secondImport = second[0]!.id;
    await t.db.query(`UPDATE records SET import_id = $1 WHERE id = ANY($2::uuid[])`, [
      secondImport,
      recordIds.filter((_, i) => i % 7 === 1),
    ]);
    await t.db.query(`UPDATE records SET year = NULL WHERE id = ANY($1::uuid[])`, [
      recordIds.filter((_, i) => i % 11 === 4),
    ]);
    await t.db.query(
      `INSERT INTO record_tags (review_id, record_id, name) SELECT $1, id, 'ask the lead' FROM unnest($2::uuid[]) AS id`,
      [reviewId, recordIds.filter((_, i) => i % 5 === 3)],
    );
    await t.db.query(
      `INSERT INTO dedup_members (review_id, record_id, group_id, kept, tier, score, reason)
       VALUES ($1, $2, 'g1', true, 'certain', 1, 'test'), ($1, $3, 'g1', false, 'certain', 1, 'test')`,
      [reviewId, recordIds[10], recordIds[20]],
    );
    await t.db.query(`UPDATE records SET duplicate_of = $1 WHERE id = $2`, [recordIds[10], recordIds[20]]);
    // A word in one title in six, and records a search for it finds by their attached full text
    // alone: those have no rank and come after every record whose own fields match.
    await t.db.query(`UPDATE records SET title = title || ' with daily huddles' WHERE id = ANY($1::uuid[])`, [
      recordIds.filter((_, i) => i % 6 === 0),
    ]);
    const { rows: fullTextOnly } = await t.db.query<{ id: string }>(
      `SELECT record_id AS id FROM library_search
        WHERE review_id = $1 AND NOT search_vector @@ to_tsquery('english', 'huddle') ORDER BY record_id LIMIT 6`,
      [reviewId],
    );
    // Attached and read as an upload is: stored, its retrieval logged, its text read per page.
    for (const { id } of fullTextOnly) {
      const report = await t.db.query<{ id: string }>(
        `INSERT INTO reports (review_id, record_id, title) VALUES ($1, $2, 'paper') RETURNING id`,
        [reviewId, id],
      );
      const { blobId } = await storeAttachment(t.db, {
        reviewId,
        reportId: report.rows[0]!.id,
        fileName: 'paper.pdf',
        source: (async function* () {
          yield tinyPdf('Daily huddles on the ward.');
        })(),
        maxBytes: 1_000_000,
        actorId: users.lead!,
      });
      await extractFullText(t.db, { reviewId, blobId, fileName: 'paper.pdf' });
    }
    fullTextMatches = fullTextOnly.map((r) => r.id);
    pair = [recordIds[3]!, recordIds[7]!];
    viewers = [
      { reviewId, userId: users.lead!, roles: ['lead'] },
      { reviewId, userId: users.ann!, roles: ['reviewer'] },
    ];
  });
  afterAll(async () => {
    await t.drop();
  });

  const SORTS: LibrarySort[] = ['relevance', 'score', 'title', 'year', 'activity'];
  const FILTERS: Partial<LibraryQuery>[] = [
    {},
    { state: ['included'] },
    { reason: 'setting' },
    { state: ['not-in-stage'] },
    { yearFrom: 2012, yearTo: 2014 },
    { tag: 'no score' },
    { q: 'trial' },
    { q: 'huddle' },
    { q: 'nothing-like-this' },
  ];
  // Small pages walk only part of the 180 scores (20 for each record up to the page's end).
  const PAGES: [number, number][] = [
    [0, 2],
    [3, 2],
    [35, 10],
    [230, 20],
  ];

  it('for every sort, filter, page and viewer', async () => {
    let checked = 0;
    for (const viewer of viewers)
      for (const sort of SORTS)
        for (const filter of FILTERS) {
          const base: LibraryQuery = { stage: 'title-abstract', sort, offset: 0, limit: 50, ...filter };
          const all = await selectedRecordIds(t.db, viewer, base);
          for (const [offset, limit] of PAGES) {
            const page = await searchRecords(t.db, viewer, { ...base, offset, limit });
            expect(page.total, JSON.stringify({ viewer: viewer.roles, sort, filter })).toBe(all.length);
            expect(
              page.items.map((x) => x.recordId),
              JSON.stringify({ viewer: viewer.roles, sort, filter, offset, limit }),
            ).toEqual(all.slice(offset, offset + limit));
            checked++;
          }
        }
    expect(checked).toBe(viewers.length * SORTS.length * FILTERS.length * PAGES.length);
  }, 120_000);

  it('ranks the records found by their full text alone after those found in their own fields', async () => {
    const q: LibraryQuery = { stage: 'title-abstract', sort: 'relevance', q: 'huddle', offset: 0, limit: 50 };
    const all = await selectedRecordIds(t.db, viewers[0]!, q);
    expect(all.length).toBeGreaterThan(fullTextMatches.length);
    expect(all.slice(-fullTextMatches.length).sort()).toEqual([...fullTextMatches].sort());
    // A page that straddles the last ranked match and the first found by full text alone.
    const page = await searchRecords(t.db, viewers[0]!, { ...q, offset: all.length - 8, limit: 5 });
    expect(page.items.map((i) => i.recordId)).toEqual(all.slice(-8, -3));
    expect(page.items.map((i) => i.matchedInFullText)).toEqual(
      all.slice(-8, -3).map((id) => fullTextMatches.includes(id)),
    );
  });

  it('ranks a kept record before its removed duplicate when their text ties', async () => {
    // The removed one's id sorts first, so the last tie-break (the id) alone would put it first.
    const [removed, kept] = [...pair].sort() as [string, string];
    await t.db.query(
      `UPDATE records SET title = 'Tiebreak staffing on the wards', data = (SELECT data FROM records WHERE id = $1)
        WHERE id = ANY($2::uuid[])`,
      [kept, pair],
    );
    await t.db.query(
      `INSERT INTO dedup_members (review_id, record_id, group_id, kept, tier, score, reason)
       VALUES ($1, $2, 'g2', true, 'certain', 1, 'test'), ($1, $3, 'g2', false, 'certain', 1, 'test')`,
      [viewers[0]!.reviewId, kept, removed],
    );
    await t.db.query(`UPDATE records SET duplicate_of = $1 WHERE id = $2`, [kept, removed]);
    for (const viewer of viewers) {
      const q: LibraryQuery = {
        stage: 'title-abstract',
        sort: 'relevance',
        q: 'tiebreak',
        offset: 0,
        limit: 50,
      };
      const page = await searchRecords(t.db, viewer, q);
      expect(page.items.map((i) => [i.recordId, i.duplicate])).toEqual([
        [kept, 'kept'],
        [removed, 'removed'],
      ]);
      expect(await selectedRecordIds(t.db, viewer, q)).toEqual([kept, removed]);
      // With a filter (each match ranked by its own vector) too.
      const filtered = await searchRecords(t.db, viewer, { ...q, yearFrom: 1900 });
      expect(filtered.items.map((i) => i.recordId)).toEqual(page.items.map((i) => i.recordId));
    }
  });

  /**
   * The filter that selects one facet value, for a facet's dimension (records without a year,
   * the year facet's value '', have no filter of their own: not checked).
   */
  const selecting: Record<keyof LibraryPage['facets'], (value: string) => Partial<LibraryQuery>> = {
    state: (v) => ({ state: [v as RecordState] }),
    reason: (v) => ({ reason: v }),
    source: (v) => ({ source: v }),
    duplicate: (v) => ({ duplicate: v as DuplicateStatus }),
    fullText: (v) => ({ fullText: v === 'true' }),
    year: (v) => ({ yearFrom: Number(v), yearTo: Number(v) }),
    tag: (v) => ({ tag: v }),
  };
  /** The query's fields that filter on each facet's dimension. */
  const filterOf: Record<keyof LibraryPage['facets'], (keyof LibraryQuery)[]> = {
    state: ['state'],
    reason: ['reason'],
    source: ['source'],
    duplicate: ['duplicate'],
    fullText: ['fullText'],
    year: ['yearFrom', 'yearTo'],
    tag: ['tag'],
  };
  /** The query without its own filter on a facet's dimension (what that facet counts under). */
  const without = (q: LibraryQuery, facet: keyof LibraryPage['facets']): LibraryQuery => {
    const rest = { ...q };
    for (const k of filterOf[facet]) delete rest[k];
    return rest;
  };

  it('counts each facet value as the records its filter would select, with every other filter applied', async () => {
    const COMBOS: Partial<LibraryQuery>[] = [
      {},
      { state: ['included', 'excluded'], yearFrom: 2012 },
      { reason: 'setting', tag: 'no score' },
      { q: 'trial', state: ['unscreened', 'awaiting-my-vote', 'in-progress'], duplicate: 'unique' },
      { yearTo: 2014, fullText: false, tag: 'no score', state: ['included'] },
      { source: secondImport, tag: 'ask the lead' },
      { duplicate: 'unique', reason: 'design', yearFrom: 2011 },
      // A search with a tag filter finds its matches among the tagged records only.
      { q: 'trial', tag: 'no score', yearFrom: 2012 },
      { q: 'huddle', tag: 'ask the lead' },
    ];
    let values = 0;
    for (const viewer of viewers)
      for (const combo of COMBOS) {
        const q: LibraryQuery = { stage: 'title-abstract', sort: 'title', offset: 0, limit: 5, ...combo };
        const page = await searchRecords(t.db, viewer, q);
        expect(page.total).toBe((await selectedRecordIds(t.db, viewer, q)).length);
        // Every value the review has (unfiltered), so that a value the facet hides is checked too.
        const everything = await searchRecords(t.db, viewer, {
          stage: q.stage,
          sort: q.sort,
          offset: 0,
          limit: 1,
          ...(q.q === undefined ? {} : { q: q.q }),
        });
        for (const facet of Object.keys(selecting) as (keyof LibraryPage['facets'])[])
          for (const { value } of everything.facets[facet]) {
            if (facet === 'year' && value === '') continue;
            const shown = page.facets[facet].find((f) => f.value === value)?.count ?? 0;
            const ids = await selectedRecordIds(t.db, viewer, {
              ...without(q, facet),
              ...selecting[facet](value),
            });
            expect(shown, JSON.stringify({ viewer: viewer.roles, combo, facet, value })).toBe(ids.length);
            if (shown > 0) values++;
          }
      }
    // Every combination shows values to check (the counts above are not vacuous).
    expect(values).toBeGreaterThan(COMBOS.length * viewers.length * 3);
  }, 120_000);

  /**
   * For each viewer, query (sorted by relevance and by title) and tuning in `others`: the page equals
   * the one `baseline` tuning gives. `also` checks the baseline page further. Returns the matches
   * counted, so a caller can tell the comparisons were not all of empty pages.
   */
  async function sameEveryWay(
    queries: Partial<LibraryQuery>[],
    baseline: LibraryTuning,
    others: LibraryTuning[],
    also?: (viewer: (typeof viewers)[number], q: LibraryQuery, page: LibraryPage) => Promise<void>,
  ): Promise<number> {
    let found = 0;
    for (const viewer of viewers)
      for (const query of queries)
        for (const sort of ['relevance', 'title'] as const) {
          const q: LibraryQuery = { stage: 'title-abstract', sort, offset: 0, limit: 50, ...query };
          const expected = await searchRecords(t.db, viewer, q, baseline);
          for (const tuning of others)
            expect(await searchRecords(t.db, viewer, q, tuning), JSON.stringify({ query, tuning })).toEqual(
              expected,
            );
          await also?.(viewer, q, expected);
          found += expected.total;
        }
    return found;
  }

  it('answers a tag filter the same whether it tests each tagged record, asks the index or reads every record', async () => {
    const TAGGED: Partial<LibraryQuery>[] = [
      { tag: 'no score' },
      { tag: 'ask the lead', q: 'trial' },
      { tag: 'no score', q: 'huddle' },
      { tag: 'ask the lead', q: 'trial OR huddle', state: ['included'] },
      { tag: 'no score', q: 'nothing-like-this' },
    ];
    const found = await sameEveryWay(
      TAGGED,
      { tagged: 'all' },
      [{ tagged: 'auto' }, { tagged: 'each' }, { tagged: 'index' }],
      async (viewer, q, every) => {
        // And the total, counted apart: what the query selects without its tag, among the tag's records.
        const { tag, ...untagged } = q;
        const ids = await selectedRecordIds(t.db, viewer, untagged);
        const { rows } = await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM record_tags WHERE name = $1 AND record_id = ANY($2::uuid[])`,
          [tag, ids],
        );
        expect(every.total, JSON.stringify(q)).toBe(rows[0]!.n);
      },
    );
    expect(found).toBeGreaterThan(0);
  }, 120_000);

  it('answers a search the same whether it looks its matches up by key or reads every library row', async () => {
    // Statistics, so that `auto` looks up the few matches of a rare word and reads the rows for more.
    await t.db.query('ANALYZE library_records');
    const SEARCHES: Partial<LibraryQuery>[] = [
      { q: 'trial' },
      { q: 'huddle' },
      { q: 'huddle', state: ['included'], yearFrom: 2012 },
      { q: 'huddle', tag: 'no score' },
      { q: '"daily huddles" OR nothing-like-this', duplicate: 'unique' },
      { q: 'nothing-like-this' },
    ];
    const found = await sameEveryWay(SEARCHES, { matchRows: 'scan' }, [
      { matchRows: 'auto' },
      { matchRows: 'lookup' },
    ]);
    expect(found).toBeGreaterThan(0);
  }, 120_000);
});
