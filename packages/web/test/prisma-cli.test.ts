import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@winnow/core/testing';
import { REPO_ROOT, runWinnow } from './support/cli.ts';

describe('winnow prisma', () => {
  let pg: TestDatabase;
  let env: Record<string, string>;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'winnow-prisma-cli-'));

  beforeAll(async () => {
    pg = await createTestDatabase('postgres');
    env = { DATABASE_URL: pg.url!, WINNOW_QUEUE_PREFIX: `prisma-cli-${Date.now()}` };
    expect((await runWinnow(['review', 'create', 'cli-prisma', '--title', 'CLI PRISMA'], env)).code).toBe(0);
    const { rows: r } = await pg.db.query<{ id: string }>(`SELECT id FROM reviews WHERE slug = 'cli-prisma'`);
    const reviewId = r[0]!.id;
    const { rows: s } = await pg.db.query<{ id: string }>(
      `INSERT INTO searches (review_id, source_name, source_kind, platform, strategy, records_reported)
       VALUES ($1, 'Embase', 'database', 'Ovid', '=exp leadership/', 2) RETURNING id`,
      [reviewId],
    );
    const { rows: i } = await pg.db.query<{ id: string }>(
      `INSERT INTO imports (review_id, search_id, file_name, content_hash, status) VALUES ($1, $2, 'embase.ris', 'h-cli', 'complete') RETURNING id`,
      [reviewId, s[0]!.id],
    );
    await pg.db.query(
      `INSERT INTO records (review_id, import_id, source_index, title, data, raw)
       SELECT $1, $2, n, 'Record ' || n, '{}'::jsonb, '' FROM generate_series(1, 2) AS n`,
      [reviewId, i[0]!.id],
    );
  }, 120_000);
  afterAll(async () => {
    await pg.drop();
  });

  // One spawn costs seconds (tsx compiles the app): the runs go in parallel.
  it('writes CSV, SVG, PNG and the PRISMA-S table, and checks a template made elsewhere', async () => {
    const svg = path.join(dir, 'flow.svg');
    const png = path.join(dir, 'flow.png');
    const review = ['prisma', '--review', 'cli-prisma'];
    const [csv, svgRun, pngRun, searches, ok, bad] = await Promise.all([
      runWinnow([...review, '--format', 'csv'], env),
      runWinnow([...review, '--format', 'svg', '--out', svg, '--json'], env),
      runWinnow([...review, '--format', 'png', '--width', '640', '--out', png], env),
      runWinnow([...review, '--searches', '--format', 'csv'], env),
      runWinnow(
        ['prisma', '--check', path.join(REPO_ROOT, 'fixtures/prisma/updated-review-template.csv'), '--json'],
        env,
      ),
      runWinnow(['prisma', '--check', path.join(REPO_ROOT, 'fixtures/prisma/bad-count-template.csv')], env),
    ]);
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\n')[0]).toBe('data,node,box,description,boxtext,tooltips,url,n');
    expect(csv.stdout).toContain(
      'database_specific_results,NA,box2,Records identified from: specific databases,Specific Databases,NA,database_results.html,"Embase, 2"',
    );
    // Nothing screened: in progress, not a broken invariant (until issue 14 a warning named both records).
    expect(csv.stderr).not.toContain('warning');
    expect(csv.stderr).toContain('in progress: 2 records awaiting title/abstract screening');
    expect(csv.stdout).toMatch(/\nrecords_screened,[^\n]*,0\n/);
    expect(csv.stdout).toMatch(/\nrecords_awaiting,[^\n]*,2\n/);

    expect(svgRun.json).toMatchObject({ wrote: svg });
    expect(readFileSync(svg, 'utf8')).toContain('Embase (n\u00a0=\u00a02)');
    expect(pngRun.code).toBe(0);
    expect(readFileSync(png).readUInt32BE(16)).toBe(640);
    expect(searches.stdout).toContain("Embase,database,Ovid,,'=exp leadership/,,2,2");

    expect(ok.code).toBe(0);
    expect(ok.json).toMatchObject({ valid: true, counts: { totalStudies: 13 }, warnings: [] });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('row 14, column n: duplicates: "two" is not a whole number');
  }, 120_000);
});
