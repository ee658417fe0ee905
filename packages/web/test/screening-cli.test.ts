import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';
import { seedRecords, stageStatus, waitUntil } from './screening-fixtures.ts';

describe('winnow export decisions --format csv', () => {
  let app: TestApp;
  let records: string[];
  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    const review = await app.review('cli-decisions');
    const lead = await app.user('Lead', review, ['lead']);
    const ann = await app.user('Ann', review, ['reviewer']);
    const bob = await app.user('Bob', review, ['reviewer']);
    records = await seedRecords(app.rt.db, review.id, 2);
    const r = await lead.api<{ jobId: string }>('POST', '/reviews/cli-decisions/stages/title-abstract/route');
    await app.rt.queue.waitFor(r.body.jobId, 20_000);
    await ann.api('POST', '/reviews/cli-decisions/stages/title-abstract/decisions', {
      recordId: records[0],
      vote: 'include',
      note: '=cmd()',
    });
    await bob.api('POST', '/reviews/cli-decisions/stages/title-abstract/decisions', {
      recordId: records[0],
      vote: 'include',
    });
    await waitUntil(
      async () => (await stageStatus(app.rt.db, records[0]!, 'title-abstract')) === 'advanced',
      20_000,
      'reconciled',
    );
  });
  afterAll(async () => {
    await app?.close();
  });

  it('writes every vote and the outcome change, with formulas escaped', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'winnow-cli-')), 'decisions.csv');
    const env = {
      DATABASE_URL: app.database.url,
      REDIS_URL: app.config.redisUrl,
      WINNOW_QUEUE_PREFIX: app.config.queuePrefix,
      WINNOW_START_REDIS: 'never',
      WINNOW_LOG: 'error',
      WINNOW_DATA_DIR: path.dirname(out),
    };
    const res = await runCli(
      ['export', 'decisions', '--review', 'cli-decisions', '--format', 'csv', '--out', out, '--json'],
      env,
    );
    expect(res.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('seq,at,kind,stage,record_id,record_title,actor,role,vote,previous,reasons,note');
    expect(lines.slice(1).filter((l) => l.includes(',vote,'))).toHaveLength(2);
    expect(lines.filter((l) => l.includes(',reconciliation,'))).toHaveLength(1);
    expect(lines.join('\n')).toContain("'=cmd()");
    const bad = await runCli(['export', 'decisions', '--review', 'cli-decisions', '--format', 'xlsx'], env);
    expect(bad.code).not.toBe(0);
  });
});
