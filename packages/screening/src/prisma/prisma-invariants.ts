import { counted } from '@winnow/core';
import type { PrismaCounts, PrismaWarning } from './prisma.types.ts';

const sum = (xs: { n: number }[]): number => xs.reduce((a, x) => a + x.n, 0);

/** Ids in `of` not in any of `minus` (order kept). */
function without(of: string[] | undefined, ...minus: (string[] | undefined)[]): string[] {
  const drop = new Set(minus.flatMap((m) => m ?? []));
  return (of ?? []).filter((id) => !drop.has(id));
}

/** Ids listed more than once. */
function repeated(ids: string[] | undefined): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const id of ids ?? []) (seen.has(id) ? twice : seen).add(id);
  return [...twice];
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)].sort();
}

/** ` + N awaiting <what>` when N > 0: the in-progress term of an equation, left out once nothing waits. */
function waiting(n: number, what: string): string {
  return n > 0 ? ` + ${n} awaiting ${what}` : '';
}

/**
 * The arithmetic of PRISMA 2020 that every diagram must satisfy. Works on counts alone (an imported CSV)
 * and, given the ids of each box (a derived flow), names the records or reports that break it.
 * While the review runs, records and reports with no outcome yet are counted as awaiting, and each
 * equation holds with them counted apart: identified - removed = screened + awaiting screening;
 * sought = not retrieved + awaiting retrieval + awaiting assessment + assessed.
 */
export function checkFlowInvariants(c: PrismaCounts, boxIds?: Record<string, string[]>): PrismaWarning[] {
  const ids = boxIds ?? {};
  const warnings: PrismaWarning[] = [];
  const fail = (
    code: PrismaWarning['code'],
    holds: boolean,
    message: string,
    offenders: string[],
    idKind: PrismaWarning['idKind'],
  ): void => {
    if (holds && offenders.length === 0) return;
    warnings.push({ code, message, ids: unique(offenders), idKind });
  };

  const identified = c.databaseTotal + c.registerTotal;
  const removed = c.duplicates + c.removedByAutomation + c.removedOther;
  fail(
    'IDENTIFIED_MINUS_REMOVED_NE_SCREENED',
    identified - removed === c.screened + c.awaitingScreening,
    `records identified (${identified}) - removed before screening (${removed}) = ${identified - removed}, but ${c.screened} screened${waiting(c.awaitingScreening, 'screening')}`,
    [],
    'record',
  );

  // Records included without a report, reported without being included, or sought twice.
  const screenedGap = [
    ...without(ids['records_screened'], ids['records_excluded'], ids['dbr_sought_records']),
    ...without(ids['dbr_sought_records'], ids['records_included']),
    ...repeated(ids['dbr_sought_records']),
  ];
  fail(
    'SCREENED_MINUS_EXCLUDED_NE_SOUGHT',
    c.screened - c.recordsExcluded === c.dbr.sought,
    `records screened (${c.screened}) - excluded (${c.recordsExcluded}) = ${c.screened - c.recordsExcluded}, but ${counted(c.dbr.sought, 'report')} sought for retrieval`,
    screenedGap,
    'record',
  );

  for (const col of ['dbr', 'other'] as const) {
    const r = col === 'dbr' ? c.dbr : c.other;
    if (!r) continue;
    const label = col === 'dbr' ? 'databases and registers' : 'other methods';
    const pending = r.awaitingRetrieval + r.awaitingAssessment;
    fail(
      'SOUGHT_MINUS_NOT_RETRIEVED_NE_ASSESSED',
      r.sought - r.notRetrieved === r.assessed + pending,
      `${label}: reports sought (${r.sought}) - not retrieved (${r.notRetrieved}) = ${r.sought - r.notRetrieved}, but ${r.assessed} assessed${waiting(r.awaitingRetrieval, 'retrieval')}${waiting(r.awaitingAssessment, 'assessment')}`,
      without(
        ids[`${col}_sought_reports`],
        ids[`${col}_notretrieved_reports`],
        ids[`${col}_awaiting_retrieval`],
        ids[`${col}_awaiting_assessment`],
        ids[`${col}_assessed`],
      ),
      'report',
    );
    const excluded = sum(r.excluded);
    const included = ids[`${col}_included`];
    // Imported counts carry no per-column included figure; only a derived flow can check each column.
    if (boxIds) {
      fail(
        'ASSESSED_MINUS_EXCLUDED_NE_INCLUDED',
        r.assessed - excluded === (included?.length ?? 0),
        `${label}: reports assessed (${r.assessed}) - excluded (${excluded}) = ${r.assessed - excluded}, but ${included?.length ?? 0} included`,
        without(ids[`${col}_assessed`], ids[`${col}_excluded`], included),
        'report',
      );
    }
  }
  if (!boxIds) {
    // Counts only: both columns together must add up to the new reports included.
    const assessed = c.dbr.assessed + (c.other?.assessed ?? 0);
    const excluded = sum(c.dbr.excluded) + sum(c.other?.excluded ?? []);
    fail(
      'ASSESSED_MINUS_EXCLUDED_NE_INCLUDED',
      assessed - excluded === c.newReports,
      `reports assessed (${assessed}) - excluded (${excluded}) = ${assessed - excluded}, but ${counted(c.newReports, 'report')} of new included studies`,
      [],
      'report',
    );
  }

  if (c.other) {
    // Sources of kind "other" appear only in the per-source list (gross of duplicates).
    const net = c.other.websites + c.other.organisations + c.other.citations;
    const dropped = c.other.duplicates + c.other.screenedOut;
    const identified = Math.max(net + dropped, sum(c.other.sources));
    const awaiting = c.other.awaitingScreening;
    const offenders = [
      ...without(
        ids['other_identified'],
        ids['other_duplicates'],
        ids['other_screened_out'],
        ids['other_sought_records'],
        ids['other_records_awaiting'],
      ),
      ...repeated(ids['other_sought_records']),
    ];
    fail(
      'OTHER_IDENTIFIED_NE_SOUGHT',
      identified - dropped === c.other.sought + awaiting,
      `other methods: records identified (${identified})${c.other.duplicates ? ` - duplicates of records found elsewhere (${c.other.duplicates})` : ''}${c.other.screenedOut ? ` - excluded at title/abstract (${c.other.screenedOut})` : ''} = ${identified - dropped}, but ${counted(c.other.sought, 'report')} sought for retrieval${waiting(awaiting, 'screening')}`,
      offenders,
      'record',
    );
  }

  const pairs: [string, number, number][] = [
    ['new included', c.newStudies, c.newReports],
    ['total included', c.totalStudies, c.totalReports],
  ];
  if (c.previous) pairs.push(['previously included', c.previous.studies, c.previous.reports]);
  for (const [what, studies, reports] of pairs) {
    fail(
      'STUDIES_GT_REPORTS',
      studies <= reports,
      `${what}: ${studies} studies but only ${counted(reports, 'report')}; every study has at least one report`,
      [],
      'study',
    );
  }
  return warnings;
}
