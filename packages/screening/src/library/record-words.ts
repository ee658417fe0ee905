/**
 * The words a person reads for a record's state at a stage and its duplicate status: on the
 * Records page and in the columns of its CSV export. Pure; the client imports it too.
 */
export const RECORD_STATE_WORDS = {
  'not-in-stage': 'Not at this stage',
  unscreened: 'Not screened yet',
  'awaiting-my-vote': 'Awaiting my vote',
  'awaiting-second-vote': 'Awaiting a second vote',
  'in-progress': 'Being screened',
  conflict: 'Conflict',
  maybe: 'Maybe (to resolve)',
  included: 'Included',
  excluded: 'Excluded',
} as const;

export const DUPLICATE_STATUS_WORDS = {
  unique: 'No duplicate found',
  kept: 'Kept (has duplicates)',
  removed: 'Duplicate removed',
} as const;
