import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Review } from '@winnow/core';
import { requestImport, type SearchInput } from '@winnow/ingest';
import type { Runtime } from '../app/runtime.ts';

const DEMO_DIR = path.resolve(import.meta.dirname, '../../../../fixtures/demo');

const FILES: Array<{ file: string; search: SearchInput }> = [
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

/** Imports fixtures/demo through the same import jobs a user's upload goes through. */
export async function importDemoFiles(rt: Runtime, review: Review): Promise<void> {
  for (const { file, search } of FILES) {
    const imp = await requestImport(rt.db, {
      reviewId: review.id,
      fileName: file,
      source: createReadStream(path.join(DEMO_DIR, file)),
      maxBytes: rt.config.uploadMaxBytes,
      search,
    });
    const { jobId } = await rt.queue.enqueue('ingest.import', { importId: imp.id, reviewId: review.id });
    // With workers in this process (serve --demo), wait so the demo opens with its records in place.
    if (rt.workers) await rt.queue.waitFor(jobId);
  }
}
