import { boxListing } from './prisma-flow.ts';

/**
 * Which stage's outcome a box reveals. Boxes of records removed before screening say nothing of
 * anyone's vote; the title/abstract boxes say how that stage ended; a report's boxes say the record
 * passed title/abstract and how full-text assessment went.
 */
const NO_VOTES = new Set(['duplicates', 'excluded_automatic', 'excluded_other', 'other_duplicates']);
const TITLE_ABSTRACT = new Set([
  'records_awaiting',
  'other_records_awaiting',
  'records_excluded',
  'records_included',
  'other_screened_out',
]);

export type BoxStage = 'title-abstract' | 'full-text';

export function stagesRevealedBy(key: string): BoxStage[] {
  const head = key.split(':')[0]!;
  if (NO_VOTES.has(head)) return [];
  if (TITLE_ABSTRACT.has(head)) return ['title-abstract'];
  return ['title-abstract', 'full-text'];
}

const WORDS: Record<string, string> = {
  records_awaiting: 'Records from databases and registers awaiting title/abstract screening (in progress)',
  other_records_awaiting: 'Records from other methods awaiting screening (in progress)',
  records_excluded: 'Records excluded at title/abstract screening',
  records_included: 'Records screened and sought for retrieval',
  duplicates: 'Duplicate records removed before screening',
  excluded_automatic: 'Records marked as ineligible by automation tools',
  excluded_other: 'Records removed before screening for other reasons',
  other_duplicates: 'Records from other methods that duplicate records found elsewhere',
  other_screened_out: 'Records from other methods excluded at title/abstract screening',
  website_results: 'Records identified from websites, sought for retrieval',
  organisation_results: 'Records identified from organisations, sought for retrieval',
  citations_results: 'Records identified by citation searching, sought for retrieval',
  other_results: 'Records identified from other sources, sought for retrieval',
  other_identified: 'Records identified via other methods',
  database_results: 'Records identified from databases',
  register_results: 'Records identified from registers',
  dbr_awaiting_retrieval: 'Reports from databases and registers awaiting retrieval (in progress)',
  dbr_awaiting_assessment: 'Reports from databases and registers awaiting full-text assessment (in progress)',
  dbr_notretrieved_reports: 'Reports not retrieved',
  dbr_excluded: 'Reports excluded at full-text assessment',
  dbr_included: 'Reports of studies included in the review',
  dbr_sought_reports: 'Reports sought for retrieval',
  other_awaiting_retrieval: 'Reports from other methods awaiting retrieval (in progress)',
  other_awaiting_assessment: 'Reports from other methods awaiting full-text assessment (in progress)',
  other_notretrieved_reports: 'Reports from other methods not retrieved',
  other_excluded: 'Reports from other methods excluded at full-text assessment',
  other_included: 'Reports from other methods of studies included in the review',
  other_sought_reports: 'Reports from other methods sought for retrieval',
  new_studies: 'New studies included in the review',
};

/** A box key in words: "dbr_excluded:Wrong population" -> "Reports excluded at full-text assessment: Wrong population". */
export function boxWords(key: string): string {
  const [head, ...rest] = key.split(':');
  const words = WORDS[head!] ?? 'Another box of the PRISMA diagram';
  const detail = rest.join(':');
  return detail && detail !== 'net' ? `${words}: ${detail}` : words;
}

/**
 * The boxes a record and its report count in: the most specific list that shows each (as the PRISMA
 * page links them), and for an excluded report the box of its reason.
 */
export function recordBoxKeys(
  ids: Record<string, string[]>,
  recordId: string,
  reportId: string | null,
): { record: string | null; report: string | null } {
  const listing = boxListing(ids);
  const record = listing(recordId);
  let report = reportId ? listing(reportId) : null;
  if (reportId && report && /^(dbr|other)_excluded$/.test(report)) {
    const withReason = Object.keys(ids).find((k) => k.startsWith(`${report}:`) && ids[k]!.includes(reportId));
    if (withReason) report = withReason;
  }
  return { record, report };
}

export interface StageSight {
  /** The viewer may see how the stage ended for this record. */
  outcome: boolean;
  /** The viewer may see others' votes (and so the reasons they gave). */
  otherVotes: boolean;
}

export type BoxView = { key: string; words: string; reasonHidden: boolean } | { hidden: true } | null;

/**
 * A box as one viewer may see it: hidden when it would tell an outcome the viewer may not see at a
 * stage it reveals (blinding.policy's `outcome`), and without its exclusion reason when the viewer may
 * not see the votes that gave it. A stage the record has not entered reveals nothing.
 */
export function boxForViewer(
  key: string | null,
  sight: (stage: BoxStage) => StageSight | undefined,
): BoxView {
  if (key === null) return null;
  const stages = stagesRevealedBy(key);
  if (stages.some((s) => sight(s)?.outcome === false)) return { hidden: true };
  const [head, ...rest] = key.split(':');
  const reasonHidden =
    /^(dbr|other)_excluded$/.test(head!) && rest.length > 0 && sight('full-text')?.otherVotes === false;
  const shown = reasonHidden ? head! : key;
  return { key: shown, words: boxWords(shown), reasonHidden };
}
