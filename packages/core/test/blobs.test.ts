import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBlobInfo, putBlob, readBlob } from '../src/index.ts';
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
});
