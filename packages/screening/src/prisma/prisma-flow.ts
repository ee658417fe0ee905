import { counted } from '@winnow/core';
import type {
  NamedCount,
  PrismaCounts,
  PrismaFlow,
  PrismaInput,
  PrismaRecord,
  PrismaReport,
  PrismaSearch,
  PrismaWarning,
  RetrievalCounts,
  SourceKind,
} from './prisma.types.ts';
import { isInProgress, isOtherMethod } from './prisma.types.ts';
import { checkFlowInvariants } from './prisma-invariants.ts';

/** The PRISMA2020 template `data` key of each source kind's identification count. */
export const KIND_KEY: Record<SourceKind, string> = {
  database: 'database_results',
  register: 'register_results',
  website: 'website_results',
  organisation: 'organisation_results',
  citation: 'citations_results',
  other: 'other_results',
};

export const REASON_NOT_RECORDED = 'Reason not recorded';

/** Records removed before screening fall in exactly one box: duplicate first, then automation, then other. */
export type RemovalBox = 'duplicates' | 'excluded_automatic' | 'excluded_other';

/**
 * The study key of an included report linked to no study: PRISMA counts it as a study of its own,
 * and the box lists name it by its report (`reportOfOwnStudy`).
 */
const OWN_STUDY = 'report:';
export const ownStudyKey = (reportId: string): string => `${OWN_STUDY}${reportId}`;
/** The report behind a study key made by `ownStudyKey`, or null for a study's own id. */
export const reportOfOwnStudy = (key: string): string | null =>
  key.startsWith(OWN_STUDY) ? key.slice(OWN_STUDY.length) : null;

export function removalOf(r: PrismaRecord): RemovalBox | null {
  if (r.duplicateOf) return 'duplicates';
  if (r.removedByAutomation) return 'excluded_automatic';
  if (r.removedOtherReason) return 'excluded_other';
  return null;
}

/**
 * Full-text state of a report: an assessment implies the text was in hand; a text in hand with no
 * outcome yet awaits assessment; nothing recorded awaits retrieval.
 */
export function retrievalState(
  p: PrismaReport,
): 'awaiting_retrieval' | 'not_retrieved' | 'awaiting_assessment' | 'assessed' {
  if (p.assessment) return 'assessed';
  if (p.retrieved === true) return 'awaiting_assessment';
  if (p.retrieved === false) return 'not_retrieved';
  return 'awaiting_retrieval';
}

const isExcluded = (r: PrismaRecord): boolean =>
  r.screening === 'excluded_human' || r.screening === 'excluded_automation';

class IdBoxes {
  readonly ids: Record<string, string[]> = {};
  add(key: string, id: string): void {
    (this.ids[key] ??= []).push(id);
  }
  get(key: string): string[] {
    return this.ids[key] ?? [];
  }
  count(key: string): number {
    return this.ids[key]?.length ?? 0;
  }
}

/**
 * Derives every box of the PRISMA 2020 flow diagram from the review's records and reports, with the ids
 * each box counts and the invariants that do not hold (as warnings naming the offending ids). Each box
 * counts only what has happened; records and reports still without an outcome are counted apart as in
 * progress (`records_awaiting`, `*_awaiting_retrieval`, `*_awaiting_assessment`).
 */
export function derivePrismaFlow(input: PrismaInput): PrismaFlow {
  const warnings: PrismaWarning[] = [];
  const boxes = new IdBoxes();
  const searches = new Map<string, PrismaSearch>(input.searches.map((s) => [s.id, s]));
  const recordById = new Map<string, { record: PrismaRecord; search: PrismaSearch }>();
  const unknownSearch: string[] = [];
  const importedPerSearch = new Map<string, number>();
  const withReport = new Set(input.reports.map((p) => p.recordId));

  for (const record of input.records) {
    const search = searches.get(record.searchId);
    if (!search) {
      unknownSearch.push(record.id);
      continue;
    }
    recordById.set(record.id, { record, search });
    importedPerSearch.set(search.id, (importedPerSearch.get(search.id) ?? 0) + 1);
    const kindKey = KIND_KEY[search.kind];
    boxes.add(kindKey, record.id);
    boxes.add(`${kindKey}:${search.source}`, record.id);
    if (isOtherMethod(search.kind)) {
      boxes.add('other_identified', record.id);
      // The diagram's per-source lines of the other-methods box name sources of every kind.
      boxes.add(`other_identified:${search.source}`, record.id);
      if (record.duplicateOf) boxes.add('other_duplicates', record.id);
      else if (isExcluded(record)) boxes.add('other_screened_out', record.id);
      else {
        boxes.add(`${kindKey}:net`, record.id);
        // Not yet screened and not yet sought: still on its way to retrieval.
        if (!record.screening && !withReport.has(record.id)) boxes.add('other_records_awaiting', record.id);
      }
      continue;
    }
    boxes.add('dbr_identified', record.id);
    const removal = removalOf(record);
    if (removal) {
      boxes.add(removal, record.id);
      continue;
    }
    if (!record.screening) {
      // No title/abstract outcome yet (unscreened, votes still to come, or in conflict).
      boxes.add('records_awaiting', record.id);
      continue;
    }
    boxes.add('records_screened', record.id);
    if (isExcluded(record)) {
      boxes.add('records_excluded', record.id);
      boxes.add(
        record.screening === 'excluded_human' ? 'records_excluded_human' : 'records_excluded_automation',
        record.id,
      );
    } else if (record.screening === 'included') {
      boxes.add('records_included', record.id);
    }
  }
  if (unknownSearch.length > 0) {
    warnings.push({
      code: 'UNKNOWN_SEARCH',
      message: `${counted(unknownSearch.length, 'record')} ${unknownSearch.length === 1 ? 'points' : 'point'} at a search that is not in the review; left out of every box`,
      ids: unknownSearch.sort(),
      idKind: 'record',
    });
  }
  const mismatched = input.searches.filter(
    (s) => s.recordsReported !== undefined && s.recordsReported !== (importedPerSearch.get(s.id) ?? 0),
  );
  if (mismatched.length > 0) {
    warnings.push({
      code: 'REPORTED_NE_IMPORTED',
      message: mismatched
        .map(
          (s) =>
            `${s.source}: the source reported ${counted(s.recordsReported ?? 0, 'record')}, ${importedPerSearch.get(s.id) ?? 0} imported`,
        )
        .join('; '),
      ids: mismatched.map((s) => s.id),
      idKind: 'search',
    });
  }

  const unknownRecord: string[] = [];
  const missingReason: string[] = [];
  const reportsWithoutStudy: string[] = [];
  const includedStudies = new Set<string>();
  for (const report of input.reports) {
    const from = recordById.get(report.recordId);
    if (!from) {
      unknownRecord.push(report.id);
      continue;
    }
    const col = isOtherMethod(from.search.kind) ? 'other' : 'dbr';
    boxes.add(`${col}_sought_reports`, report.id);
    boxes.add(`${col}_sought_records`, from.record.id);
    const state = retrievalState(report);
    if (state === 'not_retrieved') boxes.add(`${col}_notretrieved_reports`, report.id);
    if (state === 'awaiting_retrieval') boxes.add(`${col}_awaiting_retrieval`, report.id);
    if (state === 'awaiting_assessment') boxes.add(`${col}_awaiting_assessment`, report.id);
    if (state !== 'assessed') continue;
    boxes.add(`${col}_assessed`, report.id);
    if (report.assessment === 'excluded') {
      const reason = report.exclusionReason?.trim() || REASON_NOT_RECORDED;
      if (reason === REASON_NOT_RECORDED) missingReason.push(report.id);
      boxes.add(`${col}_excluded`, report.id);
      boxes.add(`${col}_excluded:${reason}`, report.id);
    } else if (report.assessment === 'included') {
      boxes.add(`${col}_included`, report.id);
      boxes.add('new_reports', report.id);
      if (!report.studyId) reportsWithoutStudy.push(report.id);
      const studyId = report.studyId || ownStudyKey(report.id);
      if (!includedStudies.has(studyId)) boxes.add('new_studies', studyId);
      includedStudies.add(studyId);
    }
  }
  if (unknownRecord.length > 0) {
    warnings.push({
      code: 'UNKNOWN_RECORD',
      message: `${counted(unknownRecord.length, 'report')} ${unknownRecord.length === 1 ? 'points' : 'point'} at a record that is not in the review; left out of every box`,
      ids: unknownRecord.sort(),
      idKind: 'report',
    });
  }
  if (missingReason.length > 0) {
    warnings.push({
      code: 'MISSING_EXCLUSION_REASON',
      message: `${counted(missingReason.length, 'report')} excluded at full text without a reason (PRISMA 2020 asks for one)`,
      ids: missingReason.sort(),
      idKind: 'report',
    });
  }
  if (reportsWithoutStudy.length > 0) {
    warnings.push({
      code: 'REPORT_WITHOUT_STUDY',
      message: `${counted(reportsWithoutStudy.length, 'included report')} ${reportsWithoutStudy.length === 1 ? 'is' : 'are'} not linked to a study; each counts as its own study`,
      ids: reportsWithoutStudy.sort(),
      idKind: 'report',
    });
  }

  const counts = countsFrom(input, boxes);
  boxes.ids['total_reports'] = boxes.get('new_reports');
  boxes.ids['total_studies'] = boxes.get('new_studies');
  // The box of records removed before screening lists its three lines' records together.
  const removed = ['duplicates', 'excluded_automatic', 'excluded_other'].flatMap((k) => boxes.get(k));
  if (removed.length > 0) boxes.ids['removed_before_screening'] = removed;
  warnings.push(...checkFlowInvariants(counts, boxes.ids));
  return { counts, inProgress: isInProgress(counts), ids: boxes.ids, warnings };
}

/** Box keys searched, most specific first, for the list that shows a record, report or study. */
const LISTING_ORDER = [
  'records_awaiting',
  'other_records_awaiting',
  'records_excluded',
  'records_included',
  'duplicates',
  'excluded_automatic',
  'excluded_other',
  'other_duplicates',
  'other_screened_out',
  'dbr_awaiting_retrieval',
  'dbr_awaiting_assessment',
  'dbr_notretrieved_reports',
  'dbr_excluded',
  'dbr_included',
  'other_awaiting_retrieval',
  'other_awaiting_assessment',
  'other_notretrieved_reports',
  'other_excluded',
  'other_included',
  'dbr_sought_reports',
  'other_sought_reports',
  'new_studies',
  'website_results:net',
  'organisation_results:net',
  'citations_results:net',
  'database_results',
  'register_results',
  'other_results',
];

/**
 * For naming a record, report or study with a link: the box whose list shows it (the most specific
 * one), or null when no box counts it (a record of an unknown search, a report of an unknown record).
 */
export function boxListing(ids: Record<string, string[]>): (id: string) => string | null {
  const sets = new Map<string, Set<string>>();
  return (id) => {
    for (const key of LISTING_ORDER) {
      const list = Object.hasOwn(ids, key) ? ids[key] : undefined;
      if (!list) continue;
      let set = sets.get(key);
      if (!set) sets.set(key, (set = new Set(list)));
      if (set.has(id)) return key;
    }
    return null;
  };
}

function namedCounts(input: PrismaInput, boxes: IdBoxes, kinds: SourceKind[]): NamedCount[] {
  const seen = new Set<string>();
  const out: NamedCount[] = [];
  for (const s of input.searches) {
    if (!kinds.includes(s.kind) || seen.has(`${s.kind}:${s.source}`)) continue;
    seen.add(`${s.kind}:${s.source}`);
    out.push({ name: s.source, n: boxes.count(`${KIND_KEY[s.kind]}:${s.source}`) });
  }
  return out;
}

function reasons(boxes: IdBoxes, col: 'dbr' | 'other'): NamedCount[] {
  const prefix = `${col}_excluded:`;
  return Object.keys(boxes.ids)
    .filter((k) => k.startsWith(prefix))
    .map((k) => ({ name: k.slice(prefix.length), n: boxes.count(k) }))
    .sort((a, b) => b.n - a.n || a.name.localeCompare(b.name));
}

function retrieval(boxes: IdBoxes, col: 'dbr' | 'other'): RetrievalCounts {
  return {
    sought: boxes.count(`${col}_sought_reports`),
    notRetrieved: boxes.count(`${col}_notretrieved_reports`),
    assessed: boxes.count(`${col}_assessed`),
    excluded: reasons(boxes, col),
    awaitingRetrieval: boxes.count(`${col}_awaiting_retrieval`),
    awaitingAssessment: boxes.count(`${col}_awaiting_assessment`),
  };
}

function countsFrom(input: PrismaInput, boxes: IdBoxes): PrismaCounts {
  const hasOther = input.searches.some((s) => isOtherMethod(s.kind));
  const newStudies = boxes.count('new_studies');
  const newReports = boxes.count('new_reports');
  const previous = input.previous;
  let totalStudies = newStudies;
  if (previous) {
    const before = new Set(previous.studyIds ?? []);
    totalStudies = previous.studies + boxes.get('new_studies').filter((id) => !before.has(id)).length;
  }
  return {
    previous: previous ? { studies: previous.studies, reports: previous.reports } : undefined,
    databases: namedCounts(input, boxes, ['database']),
    registers: namedCounts(input, boxes, ['register']),
    databaseTotal: boxes.count('database_results'),
    registerTotal: boxes.count('register_results'),
    duplicates: boxes.count('duplicates'),
    removedByAutomation: boxes.count('excluded_automatic'),
    removedOther: boxes.count('excluded_other'),
    screened: boxes.count('records_screened'),
    awaitingScreening: boxes.count('records_awaiting'),
    recordsExcluded: boxes.count('records_excluded'),
    excludedByAutomation: boxes.count('records_excluded_automation'),
    dbr: retrieval(boxes, 'dbr'),
    other: hasOther
      ? {
          ...retrieval(boxes, 'other'),
          websites: boxes.count('website_results:net'),
          organisations: boxes.count('organisation_results:net'),
          citations: boxes.count('citations_results:net'),
          duplicates: boxes.count('other_duplicates'),
          screenedOut: boxes.count('other_screened_out'),
          awaitingScreening: boxes.count('other_records_awaiting'),
          sources: namedCounts(input, boxes, ['website', 'organisation', 'citation', 'other']),
        }
      : undefined,
    newStudies,
    newReports,
    totalStudies,
    totalReports: (previous?.reports ?? 0) + newReports,
    metaAnalysis: input.metaAnalysis,
  };
}
