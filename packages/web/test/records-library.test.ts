import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '@winnow/core';
import { parse } from 'csv-parse/sync';
import type { LibraryPage } from '@winnow/screening';
import { DUPLICATE_STATUS_WORDS, RECORD_STATE_WORDS } from '@winnow/screening/words';
import { tinyPdf } from '@winnow/core/testing';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';
import { stageStatus, waitUntil } from './screening-fixtures.ts';
import {
  insertLibraryRecords as insertRecords,
  LIBRARY_RECORDS as RECORDS,
} from './support/library-records.ts';

describe.each(['postgres', 'pglite'] as const)('records library (%s)', (engine) => {
  let app: TestApp;
  let review: Review;
  let lead: TestUser;
  let ann: TestUser;
  let bob: TestUser;
  let ids: string[];
  const base = `/reviews/library-${engine}`;
  const titles = (p: LibraryPage) => p.items.map((i) => i.title).sort();

  beforeAll(async () => {
    app = await startTestApp({ engine, workers: true });
    review = await app.review(`library-${engine}`);
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    bob = await app.user('Bob', review, ['reviewer']);
    ids = await insertRecords(app.rt.db, review.id, 'medline.ris');
    const cfg = await lead.api('PUT', `${base}/stages/title-abstract/config`, {
      exclusionReasons: [{ code: 'setting', label: 'Not a healthcare setting' }],
    });
    expect(cfg.status).toBe(200);
    const routed = await lead.api<{ jobId: string }>('POST', `${base}/stages/title-abstract/route`);
    await app.rt.queue.waitFor(routed.body.jobId, 20_000);
    // Record 6: both exclude (settled, with a reason). Record 5: only Bob has voted (blind).
    for (const who of [ann, bob])
      expect(
        (
          await who.api('POST', `${base}/stages/title-abstract/decisions`, {
            recordId: ids[5],
            vote: 'exclude',
            reasons: ['setting'],
          })
        ).status,
      ).toBe(201);
    await bob.api('POST', `${base}/stages/title-abstract/decisions`, { recordId: ids[4], vote: 'include' });
    await waitUntil(
      async () => (await stageStatus(app.rt.db, ids[5]!, 'title-abstract')) === 'excluded',
      20_000,
      'record 6 excluded',
    );
  });
  afterAll(async () => {
    await app?.close();
  });

  it('searches with phrases, brackets, OR, NOT and prefixes, stemmed like the records', async () => {
    const q = encodeURIComponent('"quality improvement" AND (lean OR "six sigma") NOT pediatric*');
    const r = await lead.api<LibraryPage>('GET', `${base}/records?q=${q}`);
    expect(r.status).toBe(200);
    expect(titles(r.body)).toEqual([RECORDS[0]!.title, RECORDS[1]!.title]);
    // "improvements" finds "improvement" (stemmed); a prefix reaches into the abstract.
    const stem = await lead.api<LibraryPage>('GET', `${base}/records?q=improvements&sort=year`);
    expect(stem.body.items.map((i) => i.year)).toEqual([2020, 2018, 2015, 2009]);
    const prefix = await lead.api<LibraryPage>('GET', `${base}/records?q=huddle*`);
    expect(titles(prefix.body)).toEqual([RECORDS[2]!.title]);
  });

  it('ranks a search by relevance, pages through it without overlap, and exports it in that order', async () => {
    // PostgreSQL's own ts_rank of each record, for the order the page must follow (ties: by title).
    const { rows } = await app.rt.db.query<{ record_id: string; rank: number; title: string }>(
      `SELECT ls.record_id, ts_rank(ls.search_vector, to_tsquery('english', 'quality')) AS rank, r.title
         FROM library_search ls JOIN records r ON r.id = ls.record_id
        WHERE ls.review_id = $1 AND ls.search_vector @@ to_tsquery('english', 'quality')`,
      [review.id],
    );
    const expected = rows
      .sort((a, b) => b.rank - a.rank || (a.title.toLowerCase() < b.title.toLowerCase() ? -1 : 1))
      .map((r) => r.title);
    // Every record's journal is "BMJ Quality & Safety". A word in the title counts for more than the
    // same word in the abstract, and the journal alone counts least.
    expect(expected).toHaveLength(6);
    expect(expected.slice(0, 3).sort()).toEqual([0, 1, 2].map((i) => RECORDS[i]!.title).sort());
    expect(expected[5]).toBe(RECORDS[5]!.title);
    const whole = await lead.api<LibraryPage>('GET', `${base}/records?q=quality&sort=relevance`);
    expect(whole.body.items.map((i) => i.title)).toEqual(expected);
    const paged: string[] = [];
    for (const offset of [0, 2, 4]) {
      const page = await lead.api<LibraryPage>(
        'GET',
        `${base}/records?q=quality&sort=relevance&limit=2&offset=${offset}`,
      );
      paged.push(...page.body.items.map((i) => i.title));
    }
    expect(paged).toEqual(expected);
    const csv = await lead.api<string>('GET', `${base}/records?q=quality&sort=relevance&format=csv`);
    const order = expected.map((t) => csv.body.indexOf(t));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
  });

  it('says in words where a search is malformed', async () => {
    const r = await lead.api<{ error: { message: string } }>(
      'GET',
      `${base}/records?q=${encodeURIComponent('(lean OR sigma')}`,
    );
    expect(r.status).toBe(422);
    expect(r.body.error.message).toBe(
      'The search could not be read: a bracket is opened here and never closed (at character 1)',
    );
  });

  it('refuses a reversed or malformed year range, naming the year in words', async () => {
    const reversed = await lead.api<{ error: { message: string; location?: { field?: string } } }>(
      'GET',
      `${base}/records?yearFrom=2020&yearTo=2010`,
    );
    expect(reversed.status).toBe(422);
    expect(reversed.body.error).toMatchObject({
      message: 'The “to” year (2010) comes before the “from” year (2020).',
      location: { field: 'yearTo' },
    });
    const letters = await lead.api<{ error: { message: string; location?: { field?: string } } }>(
      'GET',
      `${base}/records?yearFrom=abcd`,
    );
    expect(letters.status).toBe(422);
    expect(letters.body.error).toMatchObject({
      message: 'The “from” year must be a whole number between 0 and 9999.',
      location: { field: 'yearFrom' },
    });
    // One year alone, or the same year twice, is a range.
    for (const range of ['yearFrom=2015&yearTo=2015', 'yearTo=2010'])
      expect((await lead.api('GET', `${base}/records?${range}`)).status).toBe(200);
  });

  it('filters by state, reason, source and years, with the count of each value beside it', async () => {
    const all = await lead.api<LibraryPage>('GET', `${base}/records?limit=2&sort=title`);
    expect(all.body.total).toBe(6);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.items[0]!.title).toBe(RECORDS[4]!.title);
    const count = (facet: keyof LibraryPage['facets'], value: string) =>
      all.body.facets[facet].find((f) => f.value === value)?.count;
    expect(count('state', 'excluded')).toBe(1);
    expect(count('state', 'awaiting-second-vote')).toBe(1);
    expect(count('state', 'unscreened')).toBe(4);
    expect(all.body.facets.reason).toEqual([
      { value: 'setting', label: 'Not a healthcare setting', count: 1 },
    ]);
    expect(all.body.facets.source).toEqual([expect.objectContaining({ label: 'medline.ris', count: 6 })]);

    const excluded = await lead.api<LibraryPage>('GET', `${base}/records?reason=setting`);
    expect(excluded.body, JSON.stringify(excluded.body)).toHaveProperty('items');
    expect(excluded.body.items.map((i) => [i.title, i.reasons['title-abstract']])).toEqual([
      [RECORDS[5]!.title, ['Not a healthcare setting']],
    ]);
    const years = await lead.api<LibraryPage>(
      'GET',
      `${base}/records?yearFrom=2015&yearTo=2020&state=unscreened`,
    );
    expect(titles(years.body)).toEqual([RECORDS[0]!.title, RECORDS[2]!.title, RECORDS[1]!.title]);
    // A facet counts with every other filter applied but its own.
    expect(years.body.facets.state.find((f) => f.value === 'excluded')).toBeUndefined();
    expect(years.body.facets.state.find((f) => f.value === 'unscreened')?.count).toBe(3);
  });

  it('blinding: a reviewer who has not voted learns neither votes nor outcomes of records they screen', async () => {
    const r = await ann.api<LibraryPage>('GET', `${base}/records?limit=50`);
    const stateOf = (i: number) => r.body.items.find((x) => x.recordId === ids[i])!.states['title-abstract'];
    expect(stateOf(4)).toBe('awaiting-my-vote'); // Bob voted: Ann must not learn it
    expect(stateOf(5)).toBe('excluded'); // Ann voted, and it is settled
    expect(r.body.facets.state.find((f) => f.value === 'awaiting-second-vote')).toBeUndefined();
    const filtered = await ann.api<LibraryPage>('GET', `${base}/records?state=awaiting-second-vote`);
    expect(filtered.body, JSON.stringify(filtered.body)).toHaveProperty('total');
    expect(filtered.body.total).toBe(0);
    // Bob voted on record 5 and sees his own progress.
    const b = await bob.api<LibraryPage>('GET', `${base}/records?state=awaiting-my-vote`);
    expect(b.body.items.map((i) => i.recordId)).not.toContain(ids[4]);
  });

  it('tags records review-wide, each change an event, and filters and counts by tag', async () => {
    const tags = await ann.api<{ tags: { name: string; records: number }[] }>('GET', `${base}/tags`);
    expect(tags.body.tags.map((t) => t.name)).toEqual(['ask the lead', 'background', 'check later']);
    const added = await ann.api<{ name: string }>('POST', `${base}/tags`, { name: '  Lean   methods ' });
    expect(added.body.name).toBe('Lean methods');
    // The same tag in other case is that tag, not a second one.
    const again = await bob.api<{ name: string }>('POST', `${base}/tags`, { name: 'LEAN methods' });
    expect(again.body.name).toBe('Lean methods');
    expect(
      (
        await bob.api<{ changed: number }>('POST', `${base}/records/tags`, {
          recordIds: [ids[2]],
          tag: 'Background',
          on: true,
        })
      ).body.changed,
    ).toBe(1);
    expect((await ann.api<{ tags: string[] }>('GET', `${base}/records/${ids[2]}/tags`)).body.tags).toEqual([
      'background',
    ]);
    await ann.api('POST', `${base}/records/tags`, { recordIds: [ids[2]], tag: 'BACKGROUND', on: false });
    expect((await ann.api<{ tags: string[] }>('GET', `${base}/records/${ids[2]}/tags`)).body.tags).toEqual(
      [],
    );
    expect(
      (await ann.api<{ tags: { name: string }[] }>('GET', `${base}/tags`)).body.tags.map((t) => t.name),
    ).toEqual(['ask the lead', 'background', 'check later', 'Lean methods']);
    const on = await ann.api<{ changed: number }>('POST', `${base}/records/tags`, {
      recordIds: [ids[0], ids[1]],
      tag: 'check later',
      on: true,
    });
    expect(on.body.changed).toBe(2);
    // Again: nothing changes and nothing more is logged.
    expect(
      (
        await ann.api<{ changed: number }>('POST', `${base}/records/tags`, {
          recordIds: [ids[0]],
          tag: 'check later',
          on: true,
        })
      ).body.changed,
    ).toBe(0);
    await bob.api('POST', `${base}/records/tags`, { recordIds: [ids[1]], tag: 'check later', on: false });
    const page = await lead.api<LibraryPage>(
      'GET',
      `${base}/records?tag=${encodeURIComponent('check later')}`,
    );
    expect(page.body.items.map((i) => [i.recordId, i.tags])).toEqual([[ids[0], ['check later']]]);
    expect(page.body.facets.tag).toEqual([{ value: 'check later', label: 'check later', count: 1 }]);
    const { rows } = await app.rt.db.query<{ type: string }>(
      `SELECT type FROM events WHERE review_id = $1 AND type LIKE 'record.%tagged' ORDER BY id`,
      [review.id],
    );
    expect(rows.map((r) => r.type)).toEqual([
      'record.tagged',
      'record.untagged',
      'record.tagged',
      'record.tagged',
      'record.untagged',
    ]);
    // A viewer reads tags but does not set them; another review's record is refused whole.
    const viewer = await app.user('Vera', review, ['viewer']);
    expect(
      (await viewer.api('POST', `${base}/records/tags`, { recordIds: [ids[2]], tag: 'x', on: true })).status,
    ).toBe(403);
    const other = await app.review(`library-other-${engine}`);
    const [foreign] = await insertRecords(app.rt.db, other.id, 'other.ris');
    const refused = await ann.api('POST', `${base}/records/tags`, {
      recordIds: [ids[2], foreign],
      tag: 'x',
      on: true,
    });
    expect(refused.status).toBe(404);
    expect((await lead.api<LibraryPage>('GET', `${base}/records?tag=x`)).body.total).toBe(0);
    const bad = await ann.api<{ error: { message: string } }>('POST', `${base}/tags`, { name: '   ' });
    expect(bad.body.error.message).toBe('A tag has 1 to 60 characters');
    // One record's tags, as the record page's tag editor reads them; a viewer may read them.
    const one = await viewer.api<{ tags: string[] }>('GET', `${base}/records/${ids[0]}/tags`);
    expect(one.body.tags).toEqual(['check later']);
    expect((await viewer.api<{ tags: string[] }>('GET', `${base}/records/${ids[1]}/tags`)).body.tags).toEqual(
      [],
    );
    expect((await ann.api('GET', `${base}/records/${foreign}/tags`)).status).toBe(404);
  });

  it('finds a record by words in its attached full text, and says so', async () => {
    const { rows } = await app.rt.db.query<{ id: string }>(
      `INSERT INTO reports (review_id, record_id, title) VALUES ($1, $2, 'r') RETURNING id`,
      [review.id, ids[3]],
    );
    const up = await lead.api<{ blobId: string }>(
      'POST',
      `${base}/reports/${rows[0]!.id}/file?fileName=staffing.pdf`,
      tinyPdf('Ward managers used run charts every week.'),
    );
    expect(up.status).toBe(201);
    const found = await waitUntil(
      async () => {
        const r = await ann.api<LibraryPage>('GET', `${base}/records?q=${encodeURIComponent('"run chart"')}`);
        return r.body.total > 0 ? r.body : null;
      },
      20_000,
      'the full text to be read and searchable',
    );
    expect(found.items.map((i) => [i.recordId, i.hasFullText, i.matchedInFullText])).toEqual([
      [ids[3], true, true],
    ]);
    const withFile = await ann.api<LibraryPage>('GET', `${base}/records?fullText=true`);
    expect(withFile.body.items.map((i) => i.recordId)).toEqual([ids[3]]);
  });

  it('exports the selection as RIS and CSV', async () => {
    const ris = await lead.api<string>('GET', `${base}/records?q=sigma&format=ris&sort=title`);
    expect(ris.status).toBe(200);
    expect(ris.body.match(/^TY {2}- /gm)).toHaveLength(2);
    expect(ris.body).toContain('Six Sigma and quality improvement in surgery');
    const csv = await lead.api<string>('GET', `${base}/records?q=sigma&format=csv`);
    expect(csv.body.trim().split('\n')).toHaveLength(3);
  });

  it('exports the ticked records only, blinded as the page is, and none of another review', async () => {
    const other = await app.review(`library-ticked-${engine}`);
    const foreign = await insertRecords(app.rt.db, other.id, 'medline.ris');
    const path = `${base}/records/selection`;
    const ris = await lead.api<string>('POST', path, { recordIds: [ids[0], ids[5]], format: 'ris' });
    expect(ris.status).toBe(200);
    expect(ris.body.match(/^TY {2}- /gm)).toHaveLength(2);
    // Another review's record among them: not found here, and nothing is sent.
    const mixed = await lead.api<string>('POST', path, { recordIds: [ids[0], foreign[0]], format: 'ris' });
    expect(mixed.status).toBe(404);
    expect(JSON.stringify(mixed.body)).not.toContain('TY  -');
    // Ann's CSV of record 5, which only Bob has voted on: his vote is not in it.
    const csv = await ann.api<string>('POST', path, { recordIds: [ids[4]], format: 'csv' });
    const [header, row, ...more] = parse(csv.body) as string[][];
    expect(more).toEqual([]);
    expect(row![header!.indexOf('Title/abstract screening')]).toBe('Awaiting my vote');
    // Nothing ticked, or not an id: said in words, with the field.
    const none = await lead.api<{ error: { message: string } }>('POST', path, {
      recordIds: [],
      format: 'csv',
    });
    expect(none.status).toBe(422);
    expect(none.body.error.message).toMatch(/^The selected records/);
  });

  it('a CSV export says where each record stands, as the page shows it to each member', async () => {
    for (const who of [lead, ann]) {
      const page = await who.api<LibraryPage>('GET', `${base}/records?sort=title&limit=100`);
      const csv = await who.api<string>('GET', `${base}/records?sort=title&format=csv`);
      expect(csv.status).toBe(200);
      const [header, ...rows] = parse(csv.body) as string[][];
      const col = (name: string) => header!.indexOf(name);
      expect(col('Title')).toBe(0);
      expect(rows.map((r) => r[0])).toEqual(page.body.items.map((i) => i.title));
      rows.forEach((r, k) => {
        const item = page.body.items[k]!;
        expect(r[col('Title/abstract screening')]).toBe(RECORD_STATE_WORDS[item.states['title-abstract']]);
        expect(r[col('Full-text screening')]).toBe(RECORD_STATE_WORDS[item.states['full-text']]);
        expect(r[col('Title/abstract exclusion reasons')]).toBe(item.reasons['title-abstract'].join('; '));
        expect(r[col('Duplicates')]).toBe(DUPLICATE_STATUS_WORDS[item.duplicate]);
        expect(r[col('Source')]).toBe(item.source.label);
        expect(r[col('Tags')]).toBe(item.tags.join('; '));
      });
      const row = (id: string) => rows[page.body.items.findIndex((i) => i.recordId === id)]!;
      // Record 6, excluded by both for its setting: its reason, by its label, for everyone.
      expect(row(ids[5]!)[col('Title/abstract screening')]).toBe('Excluded');
      expect(row(ids[5]!)[col('Title/abstract exclusion reasons')]).toBe('Not a healthcare setting');
      // Record 5, which only Bob has voted on: Ann, screening it blind, learns nothing of his vote.
      expect(row(ids[4]!)[col('Title/abstract screening')]).toBe(
        who === lead ? 'Awaiting a second vote' : 'Awaiting my vote',
      );
    }
  });

  it('blinding: sorting by last activity does not tell a screener which records another reviewer voted on', async () => {
    const order = async (who: TestUser, query: string) => {
      const r = await who.api<LibraryPage>('GET', `${base}/records?sort=activity&${query}`);
      expect(r.status).toBe(200);
      return r.body.items.map((i) => i.recordId);
    };
    const queries = ['limit=50', 'q=quality'];
    const before = await Promise.all(queries.map((q) => order(ann, q)));
    const csvBefore = (await ann.api<string>('GET', `${base}/records?sort=activity&format=csv`)).body;
    // Bob votes on record 1, which Ann screens and has not voted on.
    const vote = await bob.api('POST', `${base}/stages/title-abstract/decisions`, {
      recordId: ids[0],
      vote: 'include',
    });
    expect(vote.status).toBe(201);
    // The lead, who does not screen, sees the vote as the latest activity...
    await waitUntil(
      async () => (await order(lead, 'limit=50'))[0] === ids[0],
      20_000,
      'the vote in the library',
    );
    // ...Ann's order, searched or not, and her export's, are as they were.
    expect(await Promise.all(queries.map((q) => order(ann, q)))).toEqual(before);
    expect((await ann.api<string>('GET', `${base}/records?sort=activity&format=csv`)).body).toBe(csvBefore);
  });

  it('a record merged into another as its duplicate is at no stage, in its row, the filters and the counts', async () => {
    const unscreened = async (who: TestUser, q = '') => {
      const r = await who.api<LibraryPage>('GET', `${base}/records?limit=50${q}`);
      expect(r.status).toBe(200);
      return {
        state: r.body.items.find((i) => i.recordId === ids[3])?.states['title-abstract'],
        count: r.body.facets.state.find((f) => f.value === 'unscreened')?.count ?? 0,
        notInStage: r.body.facets.state.find((f) => f.value === 'not-in-stage')?.count ?? 0,
      };
    };
    const before = await unscreened(lead);
    expect(before.state).toBe('unscreened');
    // Merged after screening began, as a lead's "same report" answer merges it: its stage row stays.
    await app.rt.db.query(`UPDATE records SET duplicate_of = $2 WHERE id = $1`, [ids[3], ids[2]]);
    try {
      for (const q of ['', `&q=${encodeURIComponent('quality OR staffing OR design OR culture')}`]) {
        const after = await unscreened(lead, q);
        expect(after.state).toBe('not-in-stage');
      }
      const after = await unscreened(lead);
      expect(after.count).toBe(before.count - 1);
      expect(after.notInStage).toBe(before.notInStage + 1);
      const filtered = await lead.api<LibraryPage>('GET', `${base}/records?state=unscreened`);
      expect(filtered.body.items.map((i) => i.recordId)).not.toContain(ids[3]);
      expect(filtered.body.total).toBe(after.count);
    } finally {
      await app.rt.db.query(`UPDATE records SET duplicate_of = NULL WHERE id = $1`, [ids[3]]);
    }
  });
});
