import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaFlow, SearchSummaryRow } from '@winnow/screening';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

const RIS = ['One', 'Two'].map((t) => `TY  - JOUR\nTI  - ${t} record about staffing\nER  - \n`).join('');

/** A search's PRISMA-S details corrected after the upload: stored, logged, and read by PRISMA. */
describe('correcting a search’s details', () => {
  let app: TestApp;
  let lead: TestUser;
  let ann: TestUser;
  let searchId: string;
  const base = '/reviews/search-details';

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('search-details', 'Search details');
    lead = await app.user('Lead', review, ['lead']);
    ann = await app.user('Ann', review, ['reviewer']);
    const up = await lead.api<{ jobId: string; searchId: string }>(
      'POST',
      `${base}/imports?fileName=medline.ris&source=MEDLNE&searched=2024-01-05`,
      RIS,
    );
    expect(up.status).toBe(202);
    searchId = up.body.searchId;
    await app.rt.queue.waitFor(up.body.jobId, 20_000);
  });
  afterAll(async () => {
    await app?.close();
  });

  const searches = async () =>
    (await lead.api<{ searches: SearchSummaryRow[] }>('GET', `${base}/prisma/searches`)).body.searches;

  it('stores the lead’s corrections, clears what is sent empty, and logs before and after', async () => {
    const strategy = '1. exp Personnel Staffing and Scheduling/\n2. staffing.ti,ab.\n3. 1 or 2';
    const res = await lead.api<{ search: Record<string, unknown> }>('PATCH', `${base}/searches/${searchId}`, {
      sourceName: 'MEDLINE',
      platform: 'Ovid',
      strategy,
      recordsReported: 2,
      searchedOn: null,
    });
    expect(res.status).toBe(200);
    expect(res.body.search).toMatchObject({
      sourceName: 'MEDLINE',
      platform: 'Ovid',
      strategy,
      recordsReported: 2,
      searchedOn: null,
      sourceKind: 'database',
    });
    expect(await searches()).toEqual([
      expect.objectContaining({
        source: 'MEDLINE',
        platform: 'Ovid',
        date: '',
        strategy,
        recordsReported: 2,
        recordsImported: 2,
      }),
    ]);
    // The imports list shows them too.
    const list = await lead.api<{
      imports: { sourceName: string; search: { platform: string; strategy: string } }[];
    }>('GET', `${base}/imports`);
    expect(list.body.imports[0]).toMatchObject({
      sourceName: 'MEDLINE',
      search: { platform: 'Ovid', strategy },
    });
    const { rows } = await app.rt.db.query<{
      data: { before: Record<string, unknown>; after: Record<string, unknown> };
    }>(`SELECT data FROM events WHERE type = 'search.updated' AND entity_id = $1::text ORDER BY id`, [
      searchId,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.data.before).toEqual({
      sourceName: 'MEDLNE',
      platform: null,
      searchedOn: '2024-01-05',
      strategy: null,
      recordsReported: null,
    });
    expect(rows[0]!.data.after).toMatchObject({
      sourceName: 'MEDLINE',
      searchedOn: null,
      recordsReported: 2,
    });
    // The same values again change nothing and log nothing.
    expect((await lead.api('PATCH', `${base}/searches/${searchId}`, { platform: 'Ovid' })).status).toBe(200);
    const { rows: again } = await app.rt.db.query(
      `SELECT 1 FROM events WHERE type = 'search.updated' AND entity_id = $1::text`,
      [searchId],
    );
    expect(again).toHaveLength(1);
  });

  it('checks the imports’ count against the corrected records reported, in the corrected words', async () => {
    const imports = async () =>
      (await lead.api<{ imports: { warnings: string[]; warningCount: number }[] }>('GET', `${base}/imports`))
        .body.imports[0]!;
    // Two records parsed; the database said five.
    expect((await lead.api('PATCH', `${base}/searches/${searchId}`, { recordsReported: 5 })).status).toBe(
      200,
    );
    expect(await imports()).toMatchObject({
      warnings: ['medline.ris: MEDLINE reported 5 records; 2 were parsed from its imports'],
      warningCount: 1,
    });
    // Renamed: the check says the new name, once.
    expect(
      (await lead.api('PATCH', `${base}/searches/${searchId}`, { sourceName: 'Ovid MEDLINE' })).status,
    ).toBe(200);
    expect(await imports()).toMatchObject({
      warnings: ['medline.ris: Ovid MEDLINE reported 5 records; 2 were parsed from its imports'],
      warningCount: 1,
    });
    // Corrected to the count parsed: the warning goes.
    expect(
      (await lead.api('PATCH', `${base}/searches/${searchId}`, { sourceName: 'MEDLINE', recordsReported: 2 }))
        .status,
    ).toBe(200);
    expect(await imports()).toMatchObject({ warnings: [], warningCount: 0 });
  });

  it('moves the search’s records between PRISMA’s columns when its kind changes', async () => {
    const flow = async () => (await lead.api<PrismaFlow>('GET', `${base}/prisma`)).body;
    expect((await flow()).counts.databases).toEqual([{ name: 'MEDLINE', n: 2 }]);
    expect(
      (await lead.api('PATCH', `${base}/searches/${searchId}`, { sourceKind: 'organisation' })).status,
    ).toBe(200);
    const moved = await flow();
    expect(moved.counts.databases).toEqual([]);
    expect(moved.counts.other?.organisations).toBe(2);
    expect((await lead.api('PATCH', `${base}/searches/${searchId}`, { sourceKind: 'database' })).status).toBe(
      200,
    );
  });

  it('refuses a reviewer, another review’s search, and bad values by field, changing nothing', async () => {
    expect((await ann.api('PATCH', `${base}/searches/${searchId}`, { platform: 'x' })).status).toBe(403);
    const other = await app.review('search-details-other', 'Other review');
    const otherLead = await app.user('Other lead', other, ['lead']);
    expect(
      (await otherLead.api('PATCH', `/reviews/search-details-other/searches/${searchId}`, { platform: 'x' }))
        .status,
    ).toBe(404);
    for (const [body, field] of [
      [{ searchedOn: '5 Jan 2024' }, 'searchedOn'],
      [{ recordsReported: -1 }, 'recordsReported'],
      [{ sourceName: '  ' }, 'sourceName'],
      [{ sourceKind: 'library' }, 'sourceKind'],
      [{ surprise: 1 }, undefined],
    ] as const) {
      const res = await lead.api<{ error: { message: string; location?: { field?: string } } }>(
        'PATCH',
        `${base}/searches/${searchId}`,
        body,
      );
      expect(res.status, JSON.stringify(body)).toBe(422);
      if (field) expect(res.body.error.location?.field, JSON.stringify(body)).toBe(field);
    }
    expect((await searches())[0]).toMatchObject({ source: 'MEDLINE', platform: 'Ovid', recordsReported: 2 });
    expect((await lead.api('PATCH', `${base}/searches/not-a-uuid`, { platform: 'x' })).status).toBe(404);
  });
});
