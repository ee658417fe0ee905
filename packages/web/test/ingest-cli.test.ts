import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@winnow/core/testing';
import { parseText } from '@winnow/ingest';
import { REPO_ROOT, runWinnow } from './support/cli.ts';

const demo = (f: string): string => path.join(REPO_ROOT, 'fixtures/demo', f);

describe('winnow import / export records (CLI as a user runs it)', () => {
  let pg: TestDatabase;
  let env: Record<string, string>;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'winnow-ingest-cli-'));
  beforeAll(async () => {
    pg = await createTestDatabase('postgres');
    env = { DATABASE_URL: pg.url!, WINNOW_QUEUE_PREFIX: `ingest-cli-${Date.now()}` };
    expect(
      (await runWinnow(['review', 'create', 'cli-ingest', '--title', 'CLI ingest', '--json'], env)).code,
    ).toBe(0);
  });
  afterAll(async () => {
    await pg.drop();
  });

  it('imports a file as one search and prints {importId, format, records, warnings, errors}', async () => {
    const strategy = path.join(dir, 'strategy.txt');
    writeFileSync(strategy, '1. exp Quality Improvement/\n2. limit 1 to english\n');
    const r = await runWinnow(
      [
        'import',
        demo('pubmed.nbib'),
        '--source',
        'PubMed',
        '--searched',
        '2024-01-15',
        '--strategy',
        strategy,
        '--reported',
        '14',
        '--review',
        'cli-ingest',
        '--json',
      ],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({
      importId: expect.any(String),
      format: 'medline',
      records: 14,
      warnings: [],
      errors: [],
    });
    const { rows } = await pg.db.query<{ strategy: string; source_name: string }>(
      'SELECT strategy, source_name FROM searches',
    );
    expect(rows).toEqual([
      { strategy: expect.stringContaining('exp Quality Improvement'), source_name: 'PubMed' },
    ]);
  });

  it('refuses the same content again with DUPLICATE_IMPORT (--force is covered by the API test)', async () => {
    const again = await runWinnow(['import', demo('pubmed.nbib'), '--review', 'cli-ingest', '--json'], env);
    expect(again.code).not.toBe(0);
    expect(again.json).toMatchObject({ error: { code: 'DUPLICATE_IMPORT' } });
    // The message is shared with the browser (no id, no flag); the CLI adds its own hint.
    expect(again.json).not.toMatchObject({
      error: { message: expect.stringMatching(/--force|[0-9a-f]{8}-/) },
    });
    expect(again.stderr).toContain('Use --force to import it again.');
  });

  it('exports a CSV file that re-imports to the same records (RIS: see the API test)', async () => {
    for (const format of ['csv'] as const) {
      const out = path.join(dir, `records.${format}`);
      const r = await runWinnow(
        ['export', 'records', '--format', format, '--out', out, '--review', 'cli-ingest', '--json'],
        env,
      );
      expect(r.json).toMatchObject({ records: 14, format });
      const back = await parseText(readFileSync(out), { format });
      expect(back.records).toHaveLength(14);
      expect(back.records[0]!.record).toMatchObject({
        pmid: expect.any(String),
        source: { database: 'PubMed' },
      });
    }
  });
});
