import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '@winnow/ingest';
import { startServe, type ServeProcess } from './support/serve-process.ts';
import { startTestApp, type TestApp, type TestUser } from './support/test-app.ts';

const MiB = 1024 * 1024;
const FIELD_MIB = 200;
const AFTER = 1000;

/** A RIS export whose second record has a 200 MiB `TI` line, then AFTER ordinary records. */
async function* hugeExport(): AsyncGenerator<Buffer> {
  yield Buffer.from('TY  - JOUR\nTI  - The first record\nPY  - 2020\nER  - \n\nTY  - JOUR\nTI  - ');
  const filler = Buffer.alloc(MiB, 'a');
  for (let i = 0; i < FIELD_MIB; i++) yield filler;
  yield Buffer.from('\nAU  - Huge, Harriet\nPY  - 2021\nER  - \n\n');
  const rest: string[] = [];
  for (let i = 1; i <= AFTER; i++)
    rest.push(
      `TY  - JOUR\nTI  - Ordinary record ${i} on ward staffing\nAU  - Author${i}, A.\nPY  - 2022\nER  - \n`,
    );
  yield Buffer.from(rest.join('\n'));
}

/**
 * The upload that killed the server (a 200 MiB title; the import, then the dedup after it, took the
 * heap to ~4 GB on every restart) goes through a real `winnow serve` child with a 1.5 GB heap: the
 * server stays up and answers throughout, the title is truncated with a warning, and every other
 * record imports and is deduplicated.
 */
describe('a 200 MiB field uploaded through the real server', () => {
  let app: TestApp;
  let lead: TestUser;
  let serve: ServeProcess;

  beforeAll(async () => {
    app = await startTestApp({ workers: false });
    const review = await app.review('huge');
    lead = await app.user('Lead', review, ['lead']);
    serve = await startServe({
      NODE_OPTIONS: '--max-old-space-size=1536',
      DATABASE_URL: app.database.url,
      REDIS_URL: app.config.redisUrl,
      WINNOW_QUEUE_PREFIX: app.config.queuePrefix,
      WINNOW_START_REDIS: 'never',
      WINNOW_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'winnow-huge-')),
    });
  });
  afterAll(async () => {
    await serve?.kill('SIGKILL');
    await app.close();
  });

  it('stays up, truncates the title with a warning and imports the rest of the file', async () => {
    const call = (p: string, init: RequestInit = {}) =>
      fetch(`${serve.url}/api${p}`, {
        ...init,
        headers: { authorization: `Bearer ${lead.token}`, ...(init.headers ?? {}) },
      });
    const health: number[] = [];
    let stop = false;
    const watch = (async () => {
      while (!stop) {
        const t = performance.now();
        const r = await fetch(`${serve.url}/api/health`);
        expect(r.status).toBe(200);
        health.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 500));
      }
    })();

    try {
      const up = await call('/reviews/huge/imports?fileName=huge.ris', {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: hugeExport() as unknown as BodyInit,
        duplex: 'half',
      } as RequestInit);
      expect(up.status).toBe(202);
      const { importId } = (await up.json()) as { importId: string };

      let summary: ImportSummary | undefined;
      const deadline = Date.now() + 8 * 60_000;
      while (Date.now() < deadline) {
        summary = (await (await call(`/reviews/huge/imports/${importId}`)).json()) as ImportSummary;
        if (summary.status !== 'pending') break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      expect(summary).toMatchObject({ status: 'complete', records: AFTER + 2, errorCount: 0 });
      expect(summary!.warnings.join('\n')).toMatch(
        /huge\.ris: record 2 \(line 7\): title \(TI\) is 209,715,200 characters long, over the limit of 65,536; truncated/,
      );
      const { rows } = await app.rt.db.query<{ n: number; len: number; raw: number }>(
        `SELECT count(*)::int AS n, max(length(title))::int AS len, max(length(raw))::int AS raw
           FROM records WHERE import_id = $1`,
        [importId],
      );
      expect(rows[0]).toMatchObject({ n: AFTER + 2, len: 65_536 });
      expect(rows[0]!.raw).toBeLessThan(2 * MiB);

      // The dedup that follows (which died next, on every restart) completes too.
      const dedup = async () =>
        (
          await app.rt.db.query<{ state: string }>(
            `SELECT state FROM jobs WHERE review_id = (SELECT id FROM reviews WHERE slug = 'huge') AND name = 'dedup.run'`,
          )
        ).rows[0]?.state;
      const until = Date.now() + 5 * 60_000;
      while ((await dedup()) !== 'completed' && Date.now() < until)
        await new Promise((r) => setTimeout(r, 1000));
      expect(await dedup()).toBe('completed');
      expect(serve.child.exitCode).toBeNull();
      expect(serve.child.signalCode).toBeNull();
    } finally {
      stop = true;
      await watch;
    }
    health.sort((a, b) => a - b);
    console.log(
      `huge-field stress: ${health.length} health checks, median ${health[Math.floor(health.length / 2)]?.toFixed(1)} ms, max ${health.at(-1)?.toFixed(1)} ms`,
    );
  });
});
