import type { AnyJobDefinition } from '@winnow/core';
import { dedupRunJob, ingestImportJob } from '@winnow/ingest';
import { extractionAssignJob } from '@winnow/extraction';
import { FULLTEXT_JOBS, PRIORITISATION_JOBS, SCREENING_JOBS } from '@winnow/screening';

/**
 * Every job Winnow runs: name -> payload schema -> handler. Workers and producers both build the
 * registry from this list, so a job without a handler cannot be enqueued or started.
 * Add one line per job definition.
 */
export const JOB_CATALOG: readonly AnyJobDefinition[] = [
  ingestImportJob,
  dedupRunJob,
  extractionAssignJob,
  ...SCREENING_JOBS,
  ...PRIORITISATION_JOBS,
  ...FULLTEXT_JOBS,
];
