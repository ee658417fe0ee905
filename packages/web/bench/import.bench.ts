// Import at the speed of the disk (issue 18): the same real-RIS file (the corpus's RIS exports
// concatenated to about 100 MB) imported end to end on the embedded PGlite and on PostgreSQL:
// upload stored, `ingest.import` job, then the `dedup.run` it triggers, each engine in a child
// process of its own (import.bench-child.ts) so its peak RSS is its own.
// Reproduce: `nice -n 5 pnpm bench import` (WINNOW_BENCH_IMPORT_MB=25 for a smaller file).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createWorkerRedis } from '@winnow/core';
import { createTestDatabase } from '@winnow/core/testing';
import { realRisExports, writeRealRisFile } from '../../ingest/bench/real-ris.bench-data.ts';

interface ChildResult {
  error?: string;
  records: number;
  uploadSeconds: number;
  importSeconds: number;
  dedupSeconds: number;
  totalSeconds: number;
  cpuSeconds: number;
  maxRssKiB: number;
  dedup: { groups?: number; duplicatesRemoved?: number; needsReview?: number };
  /** The second import into the same review. */
  second?: { records: number; importSeconds: number; dedupSeconds: number };
}

const TARGET = { pglite: 5_000, postgres: 10_000 } as const;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-GB');

function runChild(file: string, second: string, env: Record<string, string>): ChildResult {
  const out = execFileSync(
    process.execPath,
    [
      '--max-semi-space-size=64',
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'import.bench-child.ts'),
      file,
      second,
    ],
    {
      cwd: path.resolve(import.meta.dirname, '..'),
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, WINNOW_LOG: 'error', ...env },
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out) as ChildResult;
}

/** The run's jobs go with it: nothing of the bench stays in Redis. */
async function dropQueue(prefix: string): Promise<void> {
  const redis = createWorkerRedis('redis://127.0.0.1:6379');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export default async function (): Promise<string> {
  const exports = realRisExports();
  if (!exports) return '## Ingest: import end to end\n\nSkipped: ../shared/corpus is absent.\n';
  const mb = Number(process.env.WINNOW_BENCH_IMPORT_MB ?? 100);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'winnow-import-bench-'));
  const rows: string[] = [];
  const secondRows: string[] = [];
  const loads: string[] = [];
  const file = path.join(dir, 'real.ris');
  const secondFile = path.join(dir, 'second.ris');
  try {
    const { bytes, copies } = await writeRealRisFile(file, exports, mb * 1e6);
    // One more copy of the exports: a second search's file, every record a duplicate of one stored.
    await writeRealRisFile(secondFile, exports, 1);
    for (const engine of ['pglite', 'postgres'] as const) {
      const pg = engine === 'postgres' ? await createTestDatabase('postgres') : undefined;
      const prefix = `import-bench-${process.pid}-${engine}`;
      try {
        const env: Record<string, string> = {
          WINNOW_QUEUE_PREFIX: prefix,
          WINNOW_DATA_DIR: path.join(dir, `data-${engine}`),
          ...(pg ? { DATABASE_URL: pg.url! } : {}),
        };
        loads.push(`${engine}: ${os.loadavg()[0]!.toFixed(1)} before`);
        const r = runChild(file, secondFile, env);
        loads[loads.length - 1] += `, ${os.loadavg()[0]!.toFixed(1)} after`;
        if (r.error) {
          rows.push(
            `| ${engine} | | ${(bytes / 1e6).toFixed(0)} MB | failed: ${r.error} | | | | | | ${fmt(r.maxRssKiB / 1024)} MiB | not met |`,
          );
          continue;
        }
        const rate = r.records / r.totalSeconds;
        rows.push(
          `| ${engine} | ${fmt(r.records)} | ${(bytes / 1e6).toFixed(0)} MB | ${r.uploadSeconds.toFixed(1)} | ${r.importSeconds.toFixed(1)} | ${r.dedupSeconds.toFixed(1)} | ${r.totalSeconds.toFixed(1)} | **${fmt(rate)}** | ${fmt(r.records / r.cpuSeconds)} | ${fmt(r.maxRssKiB / 1024)} MiB | ${fmt(TARGET[engine])}/s: ${rate >= TARGET[engine] ? 'met' : 'not met'} |`,
        );
        if (r.second)
          secondRows.push(
            `| ${engine} | ${fmt(r.second.records)} | ${fmt(r.records + r.second.records)} | ${r.second.importSeconds.toFixed(1)} | ${r.second.dedupSeconds.toFixed(1)} |`,
          );
      } finally {
        await pg?.drop();
        await dropQueue(prefix);
      }
    }
    return `## Ingest: import end to end (issue 18, import at the speed of the disk)

The corpus's ${exports.length} real RIS exports (${exports.reduce((n, e) => n + e.bytes.length, 0).toLocaleString('en-GB')} bytes) concatenated ${copies} times into one file,
imported through the real path in one process as \`winnow serve\` runs it: the upload stored as a blob, the \`ingest.import\`
job on the real BullMQ queue (Redis on 127.0.0.1:6379) and its worker, then the \`dedup.run\` job the import enqueues.
Every record has ${copies - 1} exact copies in the file, so dedup works hard. Records/s end to end = records /
(upload + import + dedup wall seconds); records per CPU-second counts the process's user + system time. PGlite keeps its data
directory on disk. Load average (1 min): ${loads.join('; ')} (2 cores shared with other work).

| engine | records | file | upload s | import s | dedup s | total s | records/s end to end | records per CPU-second | peak RSS | target |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|
${rows.join('\n')}

Then a second search's file into the same review: one more copy of the ${exports.length} exports, every record a
duplicate of one already stored. Its import (upload included), then its \`dedup.run\`, which derives the whole review's
groups again and stores what changed (peak RSS above includes this step; records per CPU-second does not).

| engine | records | records in the review | import s | dedup s |
|---|---:|---:|---:|---:|
${secondRows.join('\n')}

Reproduce: \`nice -n 5 pnpm bench import\` (needs PostgreSQL on 5432 and Redis on 6379; \`WINNOW_BENCH_IMPORT_MB\` sets the file size).
`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
