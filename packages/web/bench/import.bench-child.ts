// Child process of the import bench: one review, one upload through the real import path (the
// stored upload, the `ingest.import` job on the real queue and its worker, then the `dedup.run` job
// it enqueues), as `winnow serve` runs them, then a second file's if given. Prints JSON; its maxRSS is this process's own.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createReview, loadConfig } from '@winnow/core';
import { requestImport, type ImportSummary } from '@winnow/ingest';
import { createRuntime } from '../src/app/runtime.ts';

const file = process.argv[2]!;
/** A second file imported into the same review afterwards, if given: its dedup run derives the whole review again. */
const secondFile = process.argv[3];
const config = loadConfig(process.env);
const rt = await createRuntime(config, { workers: true });

/** Uploads `file` into the review, runs its import job, then waits for the dedup run it queues. */
async function importFile(reviewId: string, file: string, sourceName: string) {
  const started = performance.now();
  const imp = await requestImport(rt.db, {
    reviewId,
    fileName: path.basename(file),
    source: createReadStream(file),
    maxBytes: 8 * 2 ** 30,
    search: { sourceName },
  });
  const stored = performance.now();
  const { jobId } = await rt.queue.enqueue('ingest.import', { importId: imp.id, reviewId });
  const summary = (await rt.queue.waitFor(jobId, 60 * 60_000)) as ImportSummary;
  const imported = performance.now();
  const dedup = (await rt.queue.waitFor(`dedup-${reviewId}-${imp.id}`, 60 * 60_000)) as Record<
    string,
    unknown
  >;
  return { started, stored, imported, done: performance.now(), summary, dedup };
}

try {
  const review = await createReview(rt.db, { slug: 'import-bench', title: 'Import bench' });
  const cpuStart = process.cpuUsage();
  const { started, stored, imported, done, summary, dedup } = await importFile(review.id, file, 'bench');
  const cpu = process.cpuUsage(cpuStart);
  let second: Record<string, number> | undefined;
  if (secondFile) {
    const run = await importFile(review.id, secondFile, 'bench, second search');
    second = {
      records: run.summary.records,
      importSeconds: (run.imported - run.started) / 1000,
      dedupSeconds: (run.done - run.imported) / 1000,
    };
  }
  process.stdout.write(
    JSON.stringify({
      records: summary.records,
      uploadSeconds: (stored - started) / 1000,
      importSeconds: (imported - stored) / 1000,
      dedupSeconds: (done - imported) / 1000,
      totalSeconds: (done - started) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      maxRssKiB: process.resourceUsage().maxRSS,
      dedup,
      second,
    }),
  );
} catch (e) {
  // The bench reports the failure in its row rather than a JSON parse error.
  process.stdout.write(
    JSON.stringify({ error: (e as Error).message, maxRssKiB: process.resourceUsage().maxRSS }),
  );
} finally {
  await rt.close();
  // The queue's connections and the blob sweep's timer would keep the process alive.
  process.exit(0);
}
