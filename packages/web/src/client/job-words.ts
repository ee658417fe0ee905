/** What each queued job does, as the dashboard says it (job names are for logs and scripts). */
export const JOB_LABELS: Record<string, string> = {
  'ingest.import': 'Importing a file',
  'dedup.run': 'Finding duplicates',
  'screening.route': 'Sending records to reviewers',
  'screening.reconcile': 'Settling votes',
  'prioritisation.retrain': 'Training the prioritisation model',
  'extraction.assign': 'Assigning studies to coders',
  'fulltext.extract': 'Reading the text of a PDF',
  'fulltext.match': 'Matching uploaded PDFs to reports',
};

/** A job's state in words. */
export const JOB_STATES: Record<string, string> = {
  queued: 'waiting',
  active: 'running',
  retrying: 'retrying after a stop',
  completed: 'done',
  failed: 'failed',
};

export function jobLabel(name: string): string {
  return JOB_LABELS[name] ?? 'Background task';
}

export function jobState(state: string): string {
  return JOB_STATES[state] ?? state;
}
