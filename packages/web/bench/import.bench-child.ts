// Child process of the import bench: one review, one upload through the real import path (the
// stored upload, the `ingest.import` job on the real queue and its worker, then the `dedup.run` job
// it enqueues), as `winnow serve` runs them. Prints JSON; its maxRSS is this process's own.
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
try {
  const review = await createReview(rt.db, { slug: 'import-bench', title: 'Import bench' });
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const imp = await requestImport(rt.db, {
    reviewId: review.id,
    fileName: path.basename(file),
    source: createReadStream(file),
    maxBytes: 8 * 2 ** 30,
    search: { sourceName: 'bench' },
  });
  const stored = performance.now();
  const { jobId } = await rt.queue.enqueue('ingest.import', { importId: imp.id, reviewId: review.id });
  const summary = (await rt.queue.waitFor(jobId, 60 * 60_000)) as ImportSummary;
  const imported = performance.now();
  const dedup = (await rt.queue.waitFor(`dedup-${review.id}-${imp.id}`, 60 * 60_000)) as Record<
    string,
    unknown
  >;
  const done = performance.now();
  const cpu = process.cpuUsage(cpuStart);
  let second: Record<string, number> | undefined;
  if (secondFile) {
    const started2 = performance.now();
    const imp2 = await requestImport(rt.db, {
      reviewId: review.id,
      fileName: path.basename(secondFile),
      source: createReadStream(secondFile),
      maxBytes: 8 * 2 ** 30,
      search: { sourceName: 'bench, second search' },
    });
    const { jobId: job2 } = await rt.queue.enqueue('ingest.import', {
      importId: imp2.id,
      reviewId: review.id,
    });
    const summary2 = (await rt.queue.waitFor(job2, 60 * 60_000)) as ImportSummary;
    const imported2 = performance.now();
    await rt.queue.waitFor(`dedup-${review.id}-${imp2.id}`, 60 * 60_000);
    second = {
      records: summary2.records,
      importSeconds: (imported2 - started2) / 1000,
      dedupSeconds: (performance.now() - imported2) / 1000,
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
