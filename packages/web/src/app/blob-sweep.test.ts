import { createLogger } from '@winnow/core';
import { createTestDatabase, type TestDatabase } from '@winnow/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBlobSweep } from './blob-sweep.ts';

describe('blob sweep in worker processes', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('pglite');
  });
  afterAll(async () => {
    await t.drop();
  });

  it('deletes an upload a crash left incomplete as soon as the process starts, and keeps a fresh one', async () => {
    await t.db.query(
      `INSERT INTO blobs (file_name, touched_at) VALUES ('crashed.pdf', now() - interval '2 hours'), ('uploading.pdf', now())`,
    );
    const sweep = startBlobSweep(t.db, createLogger('silent'));
    await sweep.stop();
    const { rows } = await t.db.query<{ file_name: string }>('SELECT file_name FROM blobs');
    expect(rows.map((r) => r.file_name)).toEqual(['uploading.pdf']);
  });
});
