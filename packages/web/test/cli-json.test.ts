import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@winnow/core/testing';
import { runWinnow } from './support/cli.ts';

describe('CLI --json outputs', () => {
  let pg: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    pg = await createTestDatabase('postgres');
    env = { DATABASE_URL: pg.url!, WINNOW_QUEUE_PREFIX: `cli-${Date.now()}` };
  });
  afterAll(async () => {
    await pg.drop();
  });

  it('prints only JSON on stdout for review create / list and status', async () => {
    const created = await runWinnow(
      ['review', 'create', 'cli-review', '--title', 'CLI review', '--json'],
      env,
    );
    expect(created.code).toBe(0);
    expect(created.json).toMatchObject({ review: { slug: 'cli-review', title: 'CLI review' } });
    const list = await runWinnow(['review', 'list', '--json'], env);
    expect(list.json).toMatchObject({ reviews: [{ slug: 'cli-review' }] });
    const status = await runWinnow(['status', '--review', 'cli-review', '--json'], env);
    expect(status.code).toBe(0);
    expect(status.json).toMatchObject({ review: 'cli-review', identification: { records: 0 } });
  });

  it('creates a user, a membership and a token that the API accepts', async () => {
    const user = await runWinnow(
      [
        'user',
        'add',
        '--email',
        'Rev@Example.org',
        '--name',
        'Rev',
        '--password',
        'long enough pw',
        '--json',
      ],
      env,
    );
    expect(user.json).toMatchObject({ user: { email: 'rev@example.org' } });
    const member = await runWinnow(
      [
        'member',
        'add',
        '--review',
        'cli-review',
        '--email',
        'rev@example.org',
        '--role',
        'reviewer',
        '--json',
      ],
      env,
    );
    expect(member.json).toEqual({ review: 'cli-review', email: 'rev@example.org', role: 'reviewer' });
    const token = await runWinnow(['token', 'create', '--email', 'rev@example.org', '--json'], env);
    expect((token.json as { token: string }).token).toMatch(/^wn_/);
  });

  it('fails with a non-zero exit, a message on stderr and a JSON error on stdout', async () => {
    const r = await runWinnow(['status', '--review', 'missing', '--json'], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/No review "missing"/);
    expect(r.json).toEqual({ error: { code: 'NOT_FOUND', message: 'No review "missing"' } });
    const bad = await runWinnow(
      ['member', 'add', '--review', 'cli-review', '--email', 'x@y.z', '--role', 'boss', '--json'],
      env,
    );
    expect(bad.code).toBe(2);
    expect(bad.json).toMatchObject({ error: { code: 'VALIDATION' } });
    const unknown = await runWinnow(['frobnicate'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command/);
  });

  it('has --help for every command', async () => {
    const r = await runWinnow(['review', 'create', '--help'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: pnpm -s winnow review create <slug>/);
  });

  it(
    'uses the embedded PGlite database under WINNOW_DATA_DIR when DATABASE_URL is unset',
    { timeout: 180_000 },
    async () => {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'winnow-cli-'));
      const local = { WINNOW_DATA_DIR: dataDir, WINNOW_QUEUE_PREFIX: env.WINNOW_QUEUE_PREFIX };
      expect((await runWinnow(['review', 'create', 'embedded', '--json'], local)).code).toBe(0);
      const list = await runWinnow(['review', 'list', '--json'], local);
      expect(list.json).toMatchObject({ reviews: [{ slug: 'embedded' }] });
    },
  );
});
