import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Review } from '@winnow/core';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

interface Flow {
  counts: {
    other: {
      websites: number;
      organisations: number;
      citations: number;
      duplicates: number;
      sources: { name: string; n: number }[];
    };
  };
}

async function waitFor<T>(fn: () => Promise<T | false | undefined>, what: string, ms = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const KINGS_FUND = {
  title: 'Making the case for quality improvement: lessons for NHS boards and leaders',
  organisation: "The King's Fund",
  year: 2017,
  url: 'https://www.kingsfund.org.uk/publications/making-case-quality-improvement',
  accessed: '2024-05-02',
  reportType: 'report',
  foundVia: 'organisation',
};

/** Adding a grey-literature record by hand: its own import and search, dedup, PRISMA other methods. */
describe('add a record by hand', () => {
  let app: TestApp;
  let review: Review;
  let lead: TestUser;
  let reviewer: TestUser;
  const base = '/reviews/manual-record';

  const add = async (body: object) => {
    const res = await lead.api<{ importId: string; searchId: string; jobId: string }>(
      'POST',
      `${base}/records`,
      body,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    await app.rt.queue.waitFor(res.body.jobId, 20_000);
    return res.body;
  };

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    review = await app.review('manual-record');
    lead = await app.user('Lead', review, ['lead']);
    reviewer = await app.user('Rita', review, ['reviewer']);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('logs the record as an import of its own under an organisation search, counted in other methods', async () => {
    const added = await add(KINGS_FUND);
    const { rows: searches } = await app.rt.db.query<{
      source_name: string;
      source_kind: string;
      searched_on: string;
    }>(`SELECT source_name, source_kind, searched_on::text FROM searches WHERE id = $1`, [added.searchId]);
    expect(searches[0]).toMatchObject({
      source_name: "Organisation: The King's Fund",
      source_kind: 'organisation',
      searched_on: '2024-05-02',
    });
    const { rows: events } = await app.rt.db.query<{ type: string }>(
      `SELECT type FROM events WHERE review_id = $1 AND (entity_id = $2 OR data->>'importId' = $2) ORDER BY id`,
      [review.id, added.importId],
    );
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['import.requested', 'import.completed']),
    );
    const { rows: recs } = await app.rt.db.query<{
      id: string;
      title: string;
      data: { url?: string; year?: number };
    }>(`SELECT r.id, r.title, r.data FROM records r JOIN imports i ON i.id = r.import_id WHERE i.id = $1`, [
      added.importId,
    ]);
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({ title: KINGS_FUND.title, data: { url: KINGS_FUND.url, year: 2017 } });
    // Listed as added by hand, not as an uploaded file.
    const imp = await lead.api<{ fileName: string }>('GET', `${base}/imports/${added.importId}`);
    // The title as written, its colon kept (it is a name in a list, never a file saved to disk).
    expect(imp.body.fileName).toBe(`Added by hand - ${KINGS_FUND.title.slice(0, 80)}`);
    expect(imp.body.fileName).toContain('Making the case for quality improvement: lessons');
    expect(imp.body.fileName).not.toMatch(/\.ris$/);
    // The imports list says so (its page shows "Added by hand" where a file's format would be), and
    // only of it: an uploaded RIS file is a file.
    const upload = await lead.api(
      'POST',
      `${base}/imports?fileName=upload.ris`,
      'TY  - JOUR\nTI  - An uploaded record\nER  - \n',
    );
    expect(upload.status).toBe(202);
    const list = await lead.api<{ imports: { importId: string; byHand: boolean }[] }>(
      'GET',
      `${base}/imports`,
    );
    expect(list.body.imports.find((i) => i.importId === added.importId)?.byHand).toBe(true);
    expect(list.body.imports.filter((i) => i.importId !== added.importId).map((i) => i.byHand)).toContain(
      false,
    );
    expect(list.body.imports.filter((i) => i.byHand)).toHaveLength(1);
    const flow = await waitFor(async () => {
      const f = (await lead.api<Flow>('GET', `${base}/prisma`)).body;
      return f.counts.other.organisations === 1 && f;
    }, 'the PRISMA other-methods count');
    expect(flow.counts.other.sources).toEqual(
      expect.arrayContaining([{ name: "Organisation: The King's Fund", n: 1 }]),
    );
    // The record page shows the raw text the record was stored with.
    const page = await reviewer.api<{ sources: { raw: string }[] }>('GET', `${base}/records/${recs[0]!.id}`);
    expect(page.status).toBe(200);
    expect(page.body.sources[0]!.raw).toContain('Accessed 2024-05-02');
  });

  it('keeps the organisation that issued a report when its authors are named too', async () => {
    const added = await add({
      ...KINGS_FUND,
      title: 'Embedding a culture of quality improvement',
      authors: ['Jabbal, Joni'],
      url: 'https://www.kingsfund.org.uk/publications/embedding-culture-quality-improvement',
      foundVia: 'website',
      foundIn: 'kingsfund.org.uk',
    });
    const { rows } = await app.rt.db.query<{ id: string }>(`SELECT id FROM records WHERE import_id = $1`, [
      added.importId,
    ]);
    const page = await reviewer.api<{ data: { authors: { asWritten: string }[]; publisher?: string } }>(
      'GET',
      `${base}/records/${rows[0]!.id}`,
    );
    expect(page.status).toBe(200);
    expect(page.body.data.authors.map((a) => a.asWritten)).toEqual(['Jabbal, Joni']);
    expect(page.body.data.publisher).toBe("The King's Fund");
  });

  it('deduplicates the same report found again by citation searching: the pair awaits the lead', async () => {
    const again = await add({
      ...KINGS_FUND,
      foundVia: 'citation',
      foundIn: 'Alderwick 2019 reference list',
      accessed: undefined,
    });
    // No DOI: the dedup run puts the pair on the duplicates page for a person to confirm, as it does
    // for any two exported records that match on title, authors and year alone.
    const pair = await waitFor(async () => {
      const { rows } = await app.rt.db.query<{ a: string; b: string }>(
        `SELECT ra.import_id AS a, rb.import_id AS b FROM dedup_review_pairs p
         JOIN records ra ON ra.id = p.record_a JOIN records rb ON rb.id = p.record_b WHERE p.review_id = $1`,
        [review.id],
      );
      return rows[0];
    }, 'the citation record paired with the organisation one');
    expect([pair.a, pair.b]).toContain(again.importId);
    const flow = (await lead.api<Flow>('GET', `${base}/prisma`)).body;
    expect(flow.counts.other).toMatchObject({ organisations: 1, citations: 1 });
  });

  it('names the field in words when input is wrong, and stores nothing', async () => {
    const before = await app.rt.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM imports WHERE review_id = $1`,
      [review.id],
    );
    const cases: [object, string, RegExp][] = [
      [{ ...KINGS_FUND, title: '  ' }, 'title', /^Title: the title is missing$/],
      [
        { ...KINGS_FUND, organisation: undefined },
        'authors',
        /^Authors: name the authors or the organisation$/,
      ],
      [{ ...KINGS_FUND, year: 'soon' }, 'year', /^Year: .*number/],
      [{ ...KINGS_FUND, url: 'kingsfund.org.uk' }, 'url', /^Web address: .*http/],
      [{ ...KINGS_FUND, accessed: '2 May 2024' }, 'accessed', /^Date accessed: .*date/],
      [
        { ...KINGS_FUND, foundVia: 'database' },
        'foundVia',
        /^Where it was found: .*website, organisation or citation/,
      ],
    ];
    // The field's path in the location (forms highlight it), its name as the form labels it in the message.
    for (const [body, field, message] of cases) {
      const res = await lead.api<{ error: { message: string; location?: { field?: string } } }>(
        'POST',
        `${base}/records`,
        body,
      );
      expect(res.status).toBe(422);
      expect(res.body.error.location?.field).toBe(field);
      expect(res.body.error.message).toMatch(message);
    }
    const after = await app.rt.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM imports WHERE review_id = $1`,
      [review.id],
    );
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('lets only a lead add a record', async () => {
    const res = await reviewer.api('POST', `${base}/records`, KINGS_FUND);
    expect(res.status).toBe(403);
  });
});
