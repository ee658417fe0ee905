import { describe, expect, it } from 'vitest';
import { boxListing, derivePrismaFlow } from './prisma-flow.ts';
import type { PrismaInput, PrismaRecord, PrismaReport } from './prisma.types.ts';

/** Small hand-built review: two databases, one register. */
function baseInput(): PrismaInput {
  const records: PrismaRecord[] = [
    // MEDLINE m1..m5, Embase e1..e4, CT.gov c1..c2
    { id: 'm1', searchId: 's-med', screening: 'included' },
    { id: 'm2', searchId: 's-med', screening: 'included' },
    { id: 'm3', searchId: 's-med', screening: 'excluded_human' },
    { id: 'm4', searchId: 's-med', screening: 'excluded_automation' },
    { id: 'm5', searchId: 's-med', removedByAutomation: true },
    { id: 'e1', searchId: 's-emb', duplicateOf: 'm1' },
    { id: 'e2', searchId: 's-emb', screening: 'included' },
    { id: 'e3', searchId: 's-emb', screening: 'excluded_human' },
    { id: 'e4', searchId: 's-emb', removedOtherReason: 'retracted' },
    { id: 'c1', searchId: 's-ctg', screening: 'included' },
    { id: 'c2', searchId: 's-ctg', duplicateOf: 'c1', screening: 'included' },
  ];
  const reports: PrismaReport[] = [
    { id: 'r-m1', recordId: 'm1', retrieved: true, assessment: 'included', studyId: 'S1' },
    {
      id: 'r-m2',
      recordId: 'm2',
      retrieved: true,
      assessment: 'excluded',
      exclusionReason: 'Wrong population',
    },
    { id: 'r-e2', recordId: 'e2', retrieved: false },
    { id: 'r-c1', recordId: 'c1', retrieved: true, assessment: 'included', studyId: 'S2' },
  ];
  return {
    searches: [
      { id: 's-med', source: 'MEDLINE', kind: 'database', platform: 'Ovid', recordsReported: 5 },
      { id: 's-emb', source: 'Embase', kind: 'database' },
      { id: 's-ctg', source: 'ClinicalTrials.gov', kind: 'register' },
    ],
    records,
    reports,
  };
}

describe('derivePrismaFlow: new review', () => {
  const flow = derivePrismaFlow(baseInput());
  const c = flow.counts;

  it('counts records identified per source and per kind', () => {
    expect(c.databases).toEqual([
      { name: 'MEDLINE', n: 5 },
      { name: 'Embase', n: 4 },
    ]);
    expect(c.registers).toEqual([{ name: 'ClinicalTrials.gov', n: 2 }]);
    expect(c.databaseTotal).toBe(9);
    expect(c.registerTotal).toBe(2);
    expect(flow.ids['database_results:Embase']).toEqual(['e1', 'e2', 'e3', 'e4']);
  });

  it('puts each record removed before screening in exactly one box', () => {
    expect(c.duplicates).toBe(2);
    expect(flow.ids['duplicates']).toEqual(['e1', 'c2']);
    expect(c.removedByAutomation).toBe(1);
    expect(flow.ids['excluded_automatic']).toEqual(['m5']);
    expect(c.removedOther).toBe(1);
    expect(flow.ids['excluded_other']).toEqual(['e4']);
    // The box itself (its title, its blank part) lists the three together.
    expect(flow.ids['removed_before_screening']).toEqual(['e1', 'c2', 'm5', 'e4']);
  });

  it('counts screened and excluded records, human and automation apart', () => {
    expect(c.screened).toBe(7);
    expect(c.recordsExcluded).toBe(3);
    expect(c.excludedByAutomation).toBe(1);
    expect(flow.ids['records_excluded_human']).toEqual(['m3', 'e3']);
    expect(flow.ids['records_excluded_automation']).toEqual(['m4']);
  });

  it('counts reports from retrieval to inclusion', () => {
    expect(c.dbr).toEqual({
      sought: 4,
      notRetrieved: 1,
      assessed: 3,
      excluded: [{ name: 'Wrong population', n: 1 }],
      awaitingRetrieval: 0,
      awaitingAssessment: 0,
    });
    expect(flow.ids['dbr_notretrieved_reports']).toEqual(['r-e2']);
    expect(flow.ids['dbr_excluded:Wrong population']).toEqual(['r-m2']);
    expect(c.newReports).toBe(2);
    expect(c.newStudies).toBe(2);
    expect(c.totalStudies).toBe(2);
    expect(c.other).toBeUndefined();
    expect(c.previous).toBeUndefined();
  });

  it('holds every invariant; flags only the count the source reported', () => {
    expect(flow.warnings.map((w) => w.code)).toEqual([]);
  });

  it('is not in progress once every record and report has an outcome', () => {
    expect(c.awaitingScreening).toBe(0);
    expect(flow.inProgress).toBe(false);
  });
});

describe('derivePrismaFlow: invariants name the offenders', () => {
  // Until issue 14 a record still to screen counted as screened and was named in this warning.
  it('counts a record still to screen as awaiting, and flags an included record with no report', () => {
    const input = baseInput();
    const records = [
      ...input.records,
      { id: 'm6', searchId: 's-med' },
      { id: 'm7', searchId: 's-med', screening: 'included' as const },
    ];
    const flow = derivePrismaFlow({ ...input, records });
    expect(flow.counts.screened).toBe(8);
    expect(flow.counts.awaitingScreening).toBe(1);
    expect(flow.ids['records_awaiting']).toEqual(['m6']);
    expect(flow.inProgress).toBe(true);
    const w = flow.warnings.find((x) => x.code === 'SCREENED_MINUS_EXCLUDED_NE_SOUGHT');
    expect(w?.ids).toEqual(['m7']);
    expect(w?.message).toContain('records screened (8) - excluded (3) = 5, but 4');
    expect(flow.warnings.map((x) => x.code)).not.toContain('IDENTIFIED_MINUS_REMOVED_NE_SCREENED');
  });

  it('flags a report sought from a record that was excluded; its retrieval is awaited', () => {
    const input = baseInput();
    const reports = [...input.reports, { id: 'r-m3', recordId: 'm3' }];
    const flow = derivePrismaFlow({ ...input, reports });
    expect(flow.warnings.map((w) => [w.code, w.ids])).toEqual([
      ['SCREENED_MINUS_EXCLUDED_NE_SOUGHT', ['m3']],
    ]);
    expect(flow.counts.dbr).toMatchObject({ sought: 5, awaitingRetrieval: 1, assessed: 3 });
    expect(flow.ids['dbr_awaiting_retrieval']).toEqual(['r-m3']);
  });

  // Until issue 14 a report in hand but not yet assessed counted as assessed and was named in a warning.
  it('counts a report retrieved but not yet assessed as awaiting assessment; flags exclusions without a reason', () => {
    const input = baseInput();
    const reports = input.reports.map((r) =>
      r.id === 'r-m1' ? { ...r, assessment: null } : r.id === 'r-m2' ? { ...r, exclusionReason: '' } : r,
    );
    const flow = derivePrismaFlow({ ...input, reports });
    expect(flow.counts.dbr).toMatchObject({ sought: 4, notRetrieved: 1, assessed: 2, awaitingAssessment: 1 });
    expect(flow.ids['dbr_awaiting_assessment']).toEqual(['r-m1']);
    expect(flow.warnings.map((w) => [w.code, w.ids])).toEqual([['MISSING_EXCLUSION_REASON', ['r-m2']]]);
    expect(flow.counts.dbr.excluded).toEqual([{ name: 'Reason not recorded', n: 1 }]);
  });

  it('flags searches whose reported count differs from what was imported', () => {
    const input = baseInput();
    const searches = input.searches.map((s) => (s.id === 's-med' ? { ...s, recordsReported: 7 } : s));
    const w = derivePrismaFlow({ ...input, searches }).warnings;
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ code: 'REPORTED_NE_IMPORTED', ids: ['s-med'], idKind: 'search' });
  });

  it('flags records of unknown searches and reports of unknown records', () => {
    const input = baseInput();
    const flow = derivePrismaFlow({
      ...input,
      records: [...input.records, { id: 'x1', searchId: 'nope' }],
      reports: [...input.reports, { id: 'r-x', recordId: 'nothing' }],
    });
    const byCode = new Map(flow.warnings.map((w) => [w.code, w.ids]));
    expect(byCode.get('UNKNOWN_SEARCH')).toEqual(['x1']);
    expect(byCode.get('UNKNOWN_RECORD')).toEqual(['r-x']);
    expect(flow.counts.databaseTotal).toBe(9);
  });
});

describe('derivePrismaFlow: records, reports and studies stay distinct', () => {
  it('a study with two reports counts once as a study and twice as reports', () => {
    const input = baseInput();
    const records = input.records.map((r) => (r.id === 'm2' ? { ...r } : r));
    const reports = input.reports.map((r) =>
      r.id === 'r-m2' ? { ...r, assessment: 'included' as const, exclusionReason: null, studyId: 'S1' } : r,
    );
    const flow = derivePrismaFlow({ ...input, records, reports });
    expect(flow.counts.newReports).toBe(3);
    expect(flow.counts.newStudies).toBe(2);
    expect(flow.ids['new_studies']).toEqual(['S1', 'S2']);
    expect(flow.ids['new_reports']).toEqual(['r-m1', 'r-m2', 'r-c1']);
    expect(flow.warnings).toEqual([]);
  });

  it('an included report without a study counts as its own study, with a warning', () => {
    const input = baseInput();
    const reports = input.reports.map((r) => (r.id === 'r-c1' ? { ...r, studyId: null } : r));
    const flow = derivePrismaFlow({ ...input, reports });
    expect(flow.counts.newStudies).toBe(2);
    expect(flow.warnings.map((w) => [w.code, w.ids])).toEqual([['REPORT_WITHOUT_STUDY', ['r-c1']]]);
  });
});

describe('derivePrismaFlow: other methods', () => {
  const base = baseInput();
  const input: PrismaInput = {
    searches: [
      ...base.searches,
      { id: 's-web', source: 'NICE website', kind: 'website' },
      { id: 's-org', source: 'The King’s Fund', kind: 'organisation' },
      { id: 's-cit', source: 'Citation searching', kind: 'citation' },
    ],
    records: [
      ...base.records,
      { id: 'w1', searchId: 's-web' },
      { id: 'w2', searchId: 's-web' },
      { id: 'o1', searchId: 's-org' },
      { id: 'k1', searchId: 's-cit' },
      { id: 'k2', searchId: 's-cit', duplicateOf: 'm1' },
    ],
    reports: [
      ...base.reports,
      { id: 'r-w1', recordId: 'w1', retrieved: true, assessment: 'included', studyId: 'S3' },
      { id: 'r-w2', recordId: 'w2', retrieved: false },
      {
        id: 'r-o1',
        recordId: 'o1',
        retrieved: true,
        assessment: 'excluded',
        exclusionReason: 'Not a review',
      },
      // A citation-searched report of a study already found in the databases.
      { id: 'r-k1', recordId: 'k1', retrieved: true, assessment: 'included', studyId: 'S1' },
    ],
  };
  const flow = derivePrismaFlow(input);
  const o = flow.counts.other!;

  it('counts other-methods records apart, straight to retrieval', () => {
    expect(o.websites).toBe(2);
    expect(o.organisations).toBe(1);
    expect(o.citations).toBe(1);
    expect(o.duplicates).toBe(1);
    expect(o.sources).toEqual([
      { name: 'NICE website', n: 2 },
      { name: 'The King’s Fund', n: 1 },
      { name: 'Citation searching', n: 2 },
    ]);
    expect(o.sought).toBe(4);
    expect(o.notRetrieved).toBe(1);
    expect(o.assessed).toBe(3);
    expect(o.excluded).toEqual([{ name: 'Not a review', n: 1 }]);
    expect(flow.ids['other_duplicates']).toEqual(['k2']);
  });

  it('leaves the databases column unchanged and merges included studies', () => {
    expect(flow.counts.screened).toBe(7);
    expect(flow.counts.dbr.sought).toBe(4);
    expect(flow.counts.newReports).toBe(4);
    expect(flow.counts.newStudies).toBe(3);
    expect(flow.warnings).toEqual([]);
  });

  it('counts other-methods records screened out apart, not as a gap', () => {
    const records = input.records.map((r) =>
      r.id === 'o1' ? { ...r, screening: 'excluded_human' as const } : r,
    );
    const reports = input.reports.filter((r) => r.id !== 'r-o1');
    const f = derivePrismaFlow({ ...input, records, reports });
    expect(f.counts.other).toMatchObject({ organisations: 0, screenedOut: 1, sought: 3 });
    expect(f.ids['other_screened_out']).toEqual(['o1']);
    expect(f.warnings).toEqual([]);
  });

  it('counts an other-methods record not yet screened nor sought as awaiting', () => {
    const more = derivePrismaFlow({ ...input, records: [...input.records, { id: 'w3', searchId: 's-web' }] });
    expect(more.warnings).toEqual([]);
    expect(more.counts.other).toMatchObject({ websites: 3, awaitingScreening: 1, sought: 4 });
    expect(more.ids['other_records_awaiting']).toEqual(['w3']);
    expect(more.inProgress).toBe(true);
  });

  it('flags an other-methods record included but never sought', () => {
    const more = derivePrismaFlow({
      ...input,
      records: [...input.records, { id: 'w3', searchId: 's-web', screening: 'included' }],
    });
    expect(more.warnings.map((w) => [w.code, w.ids])).toEqual([['OTHER_IDENTIFIED_NE_SOUGHT', ['w3']]]);
  });
});

describe('derivePrismaFlow: updated review', () => {
  it('adds previous studies and reports to the totals, counting a study found again once', () => {
    const flow = derivePrismaFlow({
      ...baseInput(),
      previous: {
        studies: 10,
        reports: 14,
        studyIds: ['S1', ...Array.from({ length: 9 }, (_, i) => `P${i}`)],
      },
    });
    expect(flow.counts.previous).toEqual({ studies: 10, reports: 14 });
    expect(flow.counts.totalStudies).toBe(11);
    expect(flow.counts.totalReports).toBe(16);
    expect(flow.warnings).toEqual([]);
  });

  it('without previous study ids, adds the counts', () => {
    const flow = derivePrismaFlow({ ...baseInput(), previous: { studies: 3, reports: 2 } });
    expect(flow.counts.totalStudies).toBe(5);
    expect(flow.counts.totalReports).toBe(4);
    expect(flow.warnings.map((w) => w.message)).toEqual([
      'total included: 5 studies but only 4 reports; every study has at least one report',
      'previously included: 3 studies but only 2 reports; every study has at least one report',
    ]);
  });
});

describe('derivePrismaFlow: a review in progress', () => {
  const searches = baseInput().searches.map((x) => ({ ...x, recordsReported: undefined }));
  const ids = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

  it('right after import and dedup: nothing screened, every unique record awaiting', () => {
    const records: PrismaRecord[] = [
      ...ids('m', 6).map((id) => ({ id, searchId: 's-med' })),
      ...ids('e', 4).map((id, i) => ({ id, searchId: 's-emb', duplicateOf: i < 2 ? `m${i}` : null })),
    ];
    const flow = derivePrismaFlow({ searches, records, reports: [] });
    expect(flow.counts).toMatchObject({
      databaseTotal: 10,
      duplicates: 2,
      screened: 0,
      recordsExcluded: 0,
      awaitingScreening: 8,
      dbr: { sought: 0, notRetrieved: 0, assessed: 0, awaitingRetrieval: 0, awaitingAssessment: 0 },
    });
    expect(flow.inProgress).toBe(true);
    expect(flow.warnings).toEqual([]);
  });

  it('part screened, one in conflict, reports at each step: every box counts only what happened', () => {
    const records: PrismaRecord[] = [
      { id: 'a', searchId: 's-med', screening: 'included' },
      { id: 'b', searchId: 's-med', screening: 'included' },
      { id: 'c', searchId: 's-med', screening: 'included' },
      { id: 'd', searchId: 's-med', screening: 'included' },
      { id: 'x', searchId: 's-med', screening: 'excluded_human' },
      // In conflict: votes disagree, no outcome yet.
      { id: 'k', searchId: 's-med' },
      { id: 'u', searchId: 's-emb' },
    ];
    const reports: PrismaReport[] = [
      { id: 'ra', recordId: 'a' },
      { id: 'rb', recordId: 'b', retrieved: true },
      { id: 'rc', recordId: 'c', retrieved: false },
      { id: 'rd', recordId: 'd', retrieved: true, assessment: 'included', studyId: 'S' },
    ];
    const flow = derivePrismaFlow({ searches, records, reports });
    expect(flow.counts).toMatchObject({
      screened: 5,
      recordsExcluded: 1,
      awaitingScreening: 2,
      dbr: { sought: 4, notRetrieved: 1, assessed: 1, awaitingRetrieval: 1, awaitingAssessment: 1 },
      newStudies: 1,
    });
    expect(flow.ids['records_awaiting']).toEqual(['k', 'u']);
    expect(flow.ids['records_screened']).toEqual(['a', 'b', 'c', 'd', 'x']);
    expect(flow.inProgress).toBe(true);
    expect(flow.warnings).toEqual([]);
  });

  it('names the box that lists a record or report, most specific first', () => {
    const input = baseInput();
    const flow = derivePrismaFlow({
      ...input,
      records: [...input.records, { id: 'm6', searchId: 's-med' }],
    });
    const box = boxListing(flow.ids);
    expect(box('m6')).toBe('records_awaiting');
    expect(box('m3')).toBe('records_excluded');
    expect(box('m1')).toBe('records_included');
    expect(box('e1')).toBe('duplicates');
    expect(box('r-e2')).toBe('dbr_notretrieved_reports');
    expect(box('r-m2')).toBe('dbr_excluded');
    expect(box('S1')).toBe('new_studies');
    expect(box('nothing')).toBeNull();
  });
});
