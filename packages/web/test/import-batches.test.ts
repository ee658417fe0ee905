import { createReview, listEvents } from '@winnow/core';
import { createTestDatabase, ENGINES, type TestDatabase } from '@winnow/core/testing';
import { getImport, insertRecords, parseText, requestImport, runImport } from '@winnow/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failingDb } from './support/failing-db.ts';

const N = 1250;
const BATCH = 500;
const ris = (tag: string): string =>
  Array.from(
    { length: N },
    (_, i) =>
      `TY  - JOUR\nTI  - ${tag} record ${i + 1} on ward safety\nAU  - Author${i}, A.\nPY  - ${2000 + (i % 20)}\nDO  - 10.5555/${tag}.${i + 1}\nER  - \n`,
  ).join('\n');

/** Imports written in batches of 500 records (1,250 records: batches of 500, 500 and 250). */
describe.each(ENGINES)('an import written in batches on %s', (engine) => {
  let t: TestDatabase;
  let reviewId: string;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    reviewId = (await createReview(t.db, { slug: 'batches', title: 'Batches' })).id;
  });
  afterAll(async () => {
    await t?.drop();
  });

  const upload = (tag: string) =>
    requestImport(t.db, {
      reviewId,
      fileName: `${tag}.ris`,
      source: (async function* () {
        yield Buffer.from(ris(tag));
      })(),
      maxBytes: 1e8,
    });
  const stored = async (importId: string) =>
    (
      await t.db.query<{ n: number; distinct: number; min: number; max: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT source_index)::int AS distinct,
                min(source_index)::int AS min, max(source_index)::int AS max
           FROM records WHERE import_id = $1`,
        [importId],
      )
    ).rows[0]!;

  it('stores every record once across batch edges, each as the parser normalised it', async () => {
    const imp = await upload('edges');
    const done = await runImport(t.db, imp.id, { progress: async () => {}, batchSize: BATCH });
    expect(done).toMatchObject({ status: 'complete', records: N });
    expect(await stored(imp.id)).toEqual({ n: N, distinct: N, min: 1, max: N });
    // The records on either side of each edge hold their own text, field by field.
    const parsed = (await parseText(ris('edges'))).records;
    const edges = [1, BATCH, BATCH + 1, 2 * BATCH, 2 * BATCH + 1, N];
    const { rows } = await t.db.query<{
      sourceIndex: number;
      title: string;
      doi: string;
      data: unknown;
      raw: string;
    }>(
      `SELECT source_index AS "sourceIndex", title, doi, data, raw FROM records
        WHERE import_id = $1 AND source_index = ANY($2::int[]) ORDER BY source_index`,
      [imp.id, edges],
    );
    expect(rows.map((r) => r.sourceIndex)).toEqual(edges);
    for (const row of rows) {
      const p = parsed[row.sourceIndex - 1]!;
      expect(row.title).toBe(`edges record ${row.sourceIndex} on ward safety`);
      expect(row.doi).toBe(`10.5555/edges.${row.sourceIndex}`);
      expect(row.raw).toBe(p.record.raw);
      expect(row.data).toEqual({ ...JSON.parse(JSON.stringify(p.record)), raw: '' });
    }
    // One import, one completion in the log, whatever the number of batches.
    expect(await listEvents(t.db, { reviewId, types: ['import.completed'], entityId: imp.id })).toHaveLength(
      1,
    );
  });

  it('a failure in the second batch leaves nothing stored; the retry stores the whole file once', async () => {
    const imp = await upload('second');
    const failing = failingDb(t.db, 2, { error: new Error('connection lost in batch 2') });
    await expect(runImport(failing, imp.id, { progress: async () => {}, batchSize: BATCH })).rejects.toThrow(
      'connection lost in batch 2',
    );
    // The first batch was committed before the second failed: it is gone too.
    expect((await stored(imp.id)).n).toBe(0);
    expect((await getImport(t.db, imp.id))!.status).toBe('pending');
    expect(await listEvents(t.db, { reviewId, types: ['import.completed'], entityId: imp.id })).toHaveLength(
      0,
    );

    const done = await runImport(t.db, imp.id, { progress: async () => {}, batchSize: BATCH });
    expect(done).toMatchObject({ status: 'complete', records: N });
    expect(await stored(imp.id)).toEqual({ n: N, distinct: N, min: 1, max: N });
  });

  it('batches written two at a time: one failing leaves nothing stored, whichever committed first', async () => {
    const imp = await upload('pair');
    // Batch 2 fails while batches 1 and 3 are written beside it.
    const failing = failingDb(t.db, 2, { error: new Error('connection lost in batch 2') });
    await expect(
      runImport(failing, imp.id, { progress: async () => {}, batchSize: BATCH, writers: 2 }),
    ).rejects.toThrow('connection lost in batch 2');
    expect((await stored(imp.id)).n).toBe(0);
    expect((await getImport(t.db, imp.id))!.status).toBe('pending');
    const done = await runImport(t.db, imp.id, { progress: async () => {}, batchSize: 300, writers: 2 });
    expect(done).toMatchObject({ status: 'complete', records: N });
    expect(await stored(imp.id)).toEqual({ n: N, distinct: N, min: 1, max: N });
  });

  it('a worker frozen in the second batch leaves its first batch to a retry, which writes each record once', async () => {
    const imp = await upload('frozen');
    // Never settles: the worker is gone (its lock would lapse and the job run again).
    const frozen = failingDb(t.db, 2, 'hang');
    void runImport(frozen, imp.id, { progress: async () => {}, batchSize: BATCH, writers: 1 });
    await frozen.reached;
    expect((await stored(imp.id)).n).toBe(BATCH);
    // The retry runs with other batch edges: keyed on position, nothing is written twice.
    const done = await runImport(t.db, imp.id, { progress: async () => {}, batchSize: 300 });
    expect(done).toMatchObject({ status: 'complete', records: N });
    expect(await stored(imp.id)).toEqual({ n: N, distinct: N, min: 1, max: N });
  });

  it('stores a lone surrogate, which no parser should let through, as U+FFFD rather than failing the batch', async () => {
    const imp = await upload('lone');
    const [first] = (await parseText(ris('lone'))).records;
    const lone = String.fromCharCode(0xdc00);
    const record = { ...first!.record, title: `Ward ${lone} safety`, raw: `TI  - Ward ${lone} safety` };
    await t.db.transaction((tx) =>
      insertRecords(tx, { id: imp.id, reviewId }, [{ ...first!, index: 1, record }]),
    );
    const { rows } = await t.db.query<{ title: string; data: { title: string }; raw: string }>(
      `SELECT title, data, raw FROM records WHERE import_id = $1`,
      [imp.id],
    );
    expect(rows).toEqual([
      {
        title: 'Ward \ufffd safety',
        data: expect.objectContaining({ title: 'Ward \ufffd safety' }),
        raw: 'TI  - Ward \ufffd safety',
      },
    ]);
  });
});
