import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteAbandonedBlobs, getBlobInfo, putBlob, readBlob } from '../src/index.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../src/testing/index.ts';

async function* chunks(parts: Buffer[]) {
  for (const p of parts) yield p;
}

describe.each(ENGINES)('blob store on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('stores and streams back a file larger than one chunk byte for byte', async () => {
    const parts = [Buffer.alloc(700_000, 1), Buffer.alloc(700_000, 2), Buffer.from('tail')];
    const whole = Buffer.concat(parts);
    const info = await putBlob(t.db, { reviewId: null, fileName: 'big.ris' }, chunks(parts), 10_000_000);
    expect(info.bytes).toBe(whole.length);
    expect(info.sha256).toBe(createHash('sha256').update(whole).digest('hex'));
    const back: Buffer[] = [];
    for await (const c of readBlob(t.db, info.id)) back.push(c);
    expect(Buffer.concat(back).equals(whole)).toBe(true);
  });

  it('compresses an upload with LZ4 where the server has it (migration 0840), and reads it back whole', async () => {
    const { rows: offered } = await t.db.query<{ lz4: boolean }>(
      `SELECT 'lz4' = ANY (enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`,
    );
    // PostgreSQL on this project's machines has LZ4; embedded PGlite is built without it.
    expect(offered[0]!.lz4).toBe(engine === 'postgres');
    const text = Buffer.from('TY  - JOUR\nTI  - Lean in hospitals\nER  - \n'.repeat(20_000));
    const info = await putBlob(t.db, { reviewId: null, fileName: 'lz4.ris' }, chunks([text]), 10_000_000);
    const { rows } = await t.db.query<{ method: string | null }>(
      'SELECT pg_column_compression(data) AS method FROM blob_chunks WHERE blob_id = $1 ORDER BY seq',
      [info.id],
    );
    expect(rows.map((r) => r.method)).toEqual(rows.map(() => (engine === 'postgres' ? 'lz4' : 'pglz')));
    const { rows: columns } = await t.db.query<{ name: string; method: string }>(
      `SELECT attrelid::regclass || '.' || attname AS name, attcompression::text AS method FROM pg_attribute
        WHERE (attrelid, attname) IN (('blob_chunks'::regclass, 'data'), ('records'::regclass, 'data'), ('records'::regclass, 'raw'))
        ORDER BY 1`,
    );
    expect(columns).toEqual(
      ['blob_chunks.data', 'records.data', 'records.raw'].map((name) => ({
        name,
        method: engine === 'postgres' ? 'l' : '',
      })),
    );
    const back: Buffer[] = [];
    for await (const c of readBlob(t.db, info.id)) back.push(c);
    expect(Buffer.concat(back).equals(text)).toBe(true);
  });

  it('refuses a file over the limit and leaves nothing stored', async () => {
    await expect(
      putBlob(
        t.db,
        { reviewId: null, fileName: 'huge.ris' },
        chunks([Buffer.alloc(600), Buffer.alloc(600)]),
        1000,
      ),
    ).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const { rows } = await t.db.query("SELECT 1 FROM blobs WHERE file_name = 'huge.ris'");
    expect(rows).toHaveLength(0);
  });

  it('refuses an empty file', async () => {
    await expect(
      putBlob(t.db, { reviewId: null, fileName: 'empty.ris' }, chunks([]), 1000),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    expect(await getBlobInfo(t.db, '00000000-0000-0000-0000-000000000000')).toBeNull();
  });
  it('sweeps an upload a crash left incomplete, never one still receiving chunks, nor a complete one', async () => {
    const hour = 60 * 60 * 1000;
    // Left behind by a dead process: incomplete, its last chunk written two hours ago.
    const { rows } = await t.db.query<{ id: string }>(
      `INSERT INTO blobs (file_name, touched_at, created_at) VALUES ('crashed.pdf', now() - interval '2 hours', now() - interval '2 hours') RETURNING id`,
    );
    const crashed = rows[0]!.id;
    await t.db.query('INSERT INTO blob_chunks (blob_id, seq, data) VALUES ($1, 0, $2)', [
      crashed,
      Buffer.alloc(10),
    ]);
    const old = await putBlob(t.db, { reviewId: null, fileName: 'old.pdf' }, chunks([Buffer.from('x')]), 10);
    await t.db.query(`UPDATE blobs SET touched_at = now() - interval '3 hours' WHERE id = $1`, [old.id]);
    // A slow upload in progress: started long ago, but it has just written a chunk.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const slow = putBlob(
      t.db,
      { reviewId: null, fileName: 'slow.pdf' },
      (async function* () {
        yield Buffer.alloc(1024 * 1024, 7);
        await held;
        yield Buffer.from('end');
      })(),
      10_000_000,
    );
    const slowId = async () =>
      (
        await t.db.query<{ id: string }>(
          `SELECT b.id FROM blobs b JOIN blob_chunks c ON c.blob_id = b.id WHERE b.file_name = 'slow.pdf'`,
        )
      ).rows[0]?.id;
    await expect.poll(slowId, { timeout: 10_000 }).toBeTruthy();
    await t.db.query(`UPDATE blobs SET created_at = now() - interval '5 hours' WHERE id = $1`, [
      await slowId(),
    ]);

    expect(await deleteAbandonedBlobs(t.db, hour)).toBe(1);
    const left = await t.db.query<{ file_name: string }>('SELECT file_name FROM blobs ORDER BY file_name');
    expect(left.rows.map((r) => r.file_name)).toContain('slow.pdf');
    expect(left.rows.map((r) => r.file_name)).toContain('old.pdf');
    expect(left.rows.map((r) => r.file_name)).not.toContain('crashed.pdf');
    expect((await t.db.query('SELECT 1 FROM blob_chunks WHERE blob_id = $1', [crashed])).rows).toHaveLength(
      0,
    );
    release();
    const done = await slow;
    expect(done.bytes).toBe(1024 * 1024 + 3);
    expect(await getBlobInfo(t.db, done.id)).not.toBeNull();
  });
});
