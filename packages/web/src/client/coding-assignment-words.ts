/** What an "assign included studies to coders" run did (the extraction.assign job's result). */
export interface CodingAssignmentOutcome {
  newStudies: number;
  assigned: number;
  studies: number;
  coders: number;
  codersPerStudy: number;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The run in words for the lead: what was handed out, or why nothing was (no included study yet,
 * no one to code), and whether the team is too small for the coders each study needs.
 */
export function codingAssignmentWords(r: CodingAssignmentOutcome): string {
  if (r.studies === 0)
    return 'No included studies to assign yet: a study appears here once its report is included at full text.';
  if (r.coders === 0)
    return 'No one to assign the studies to: give members the coder or reviewer role on the Members page, then assign again.';
  const short =
    r.coders < r.codersPerStudy
      ? ` Each study needs ${plural(r.codersPerStudy, 'coder', 'coders')} but the review has ${r.coders}: add coders on the Members page, then assign again.`
      : '';
  if (r.assigned === 0) return `Nothing new to assign: every included study already has its coders.${short}`;
  const made = r.newStudies > 0 ? ` (${plural(r.newStudies, 'new study', 'new studies')})` : '';
  return `${plural(r.assigned, 'coding task', 'coding tasks')} handed out${made}: each is in its coder’s queue.${short}`;
}
