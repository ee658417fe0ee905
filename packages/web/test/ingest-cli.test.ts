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

  it('a BibTeX export with an unbalanced brace in one abstract imports every entry, complete with warnings', async () => {
    const entry = (n: number, abstract = `Abstract ${n}.`): string =>
      `@article{key${n},\n  title = {Damaged export entry ${n}},\n  abstract = {${abstract}},\n  year = {20${10 + n}}\n}\n\n`;
    const file = path.join(dir, 'scopus-damaged.bib');
    writeFileSync(
      file,
      Array.from({ length: 6 }, (_, n) => entry(n + 1, n === 2 ? 'An {unbalanced abstract' : undefined)).join(
        '',
      ),
    );
    const r = await runWinnow(['import', file, '--review', 'cli-ingest', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({
      format: 'bibtex',
      status: 'complete',
      statusText: 'complete with warnings',
      records: 6,
      recordsSkipped: 0,
      recordsRepaired: 1,
      errors: [],
    });
    expect((r.json as { warnings: string[] }).warnings).toContainEqual(
      expect.stringMatching(/^scopus-damaged\.bib: record 3 \(line 15\): abstract: unbalanced braces/),
    );
    const { rows } = await pg.db.query<{ records_skipped: number; records_repaired: number }>(
      'SELECT records_skipped, records_repaired FROM imports WHERE file_name = $1',
      ['scopus-damaged.bib'],
    );
    expect(rows).toEqual([{ records_skipped: 0, records_repaired: 1 }]);
  });
});
