import { createReadStream } from 'node:fs';
import path from 'node:path';
import { WinnowError, type Review } from '@winnow/core';
import { requestImport, type SearchInput } from '@winnow/ingest';
import type { Runtime } from '../app/runtime.ts';

export const DEMO_DIR = path.resolve(import.meta.dirname, '../../../../fixtures/demo');

export const DEMO_FILES: Array<{ file: string; search: SearchInput }> = [
  {
    file: 'medline-ovid.ris',
    search: {
      sourceName: 'MEDLINE (Ovid)',
      sourceKind: 'database',
      platform: 'Ovid',
      searchedOn: '2024-01-15',
      recordsReported: 35,
    },
  },
  {
    file: 'pubmed.nbib',
    search: {
      sourceName: 'PubMed',
      sourceKind: 'database',
      platform: 'NCBI',
      searchedOn: '2024-01-15',
      recordsReported: 14,
    },
  },
  {
    file: 'grey-literature.csv',
    search: { sourceName: 'Organisation websites', sourceKind: 'organisation', searchedOn: '2024-01-20' },
  },
];

/**
 * Imports fixtures/demo through the same import jobs a user's upload goes through. Safe to run
 * again after an interrupted seed: a file already registered (DUPLICATE_IMPORT) has its job sent
 * again, which is the same job (its id is the import's) and completes without writing twice.
 */
export async function importDemoFiles(rt: Runtime, review: Review): Promise<void> {
  for (const { file, search } of DEMO_FILES) {
    let importId: string;
    try {
      const imp = await requestImport(rt.db, {
        reviewId: review.id,
        fileName: file,
        source: createReadStream(path.join(DEMO_DIR, file)),
        maxBytes: rt.config.uploadMaxBytes,
        search,
      });
      importId = imp.id;
    } catch (e) {
      const existing =
        e instanceof WinnowError && e.code === 'DUPLICATE_IMPORT' ? e.details?.importId : undefined;
      if (typeof existing !== 'string') throw e;
      importId = existing;
    }
    const { jobId } = await rt.queue.enqueue('ingest.import', { importId, reviewId: review.id });
    // With workers in this process (serve --demo), wait so the demo opens with its records in place,
    // deduplicated too: routing leaves out records whose import no dedup run has read yet, so the
    // screening opened next would otherwise miss them until the later dedup run routes them. The
    // import job queues this same run (same job id), so this only waits for it.
    if (rt.workers) {
      await rt.queue.waitFor(jobId);
      const dedup = await rt.queue.enqueue('dedup.run', { reviewId: review.id, trigger: importId });
      await rt.queue.waitFor(dedup.jobId);
    }
  }
}
