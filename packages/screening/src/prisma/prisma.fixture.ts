import type { PrismaInput } from './prisma.types.ts';

/**
 * A small updated review with every PRISMA 2020 box filled: two databases and a register, duplicates,
 * automation removals and exclusions, a report not retrieved, other methods, a study found twice.
 * Used by tests, the benchmark and the demo.
 */
export function sampleInput(): PrismaInput {
  return {
    searches: [
      {
        id: 's-med',
        source: 'MEDLINE',
        kind: 'database',
        platform: 'Ovid',
        date: '2026-10-01',
        strategy: 'exp Quality Improvement/ AND review.pt.',
        limits: '2010-2026; English',
        recordsReported: 5,
      },
      {
        id: 's-emb',
        source: 'Embase',
        kind: 'database',
        platform: 'Ovid',
        date: '2026-10-01',
        recordsReported: 4,
      },
      { id: 's-ctg', source: 'ClinicalTrials.gov', kind: 'register', date: '2026-10-02' },
      { id: 's-web', source: 'NICE website', kind: 'website', date: '2026-10-03' },
      { id: 's-org', source: 'The King’s Fund', kind: 'organisation' },
      { id: 's-cit', source: 'Citation searching', kind: 'citation' },
    ],
    records: [
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
      { id: 'c2', searchId: 's-ctg', duplicateOf: 'c1' },
      { id: 'w1', searchId: 's-web' },
      { id: 'w2', searchId: 's-web' },
      { id: 'o1', searchId: 's-org' },
      { id: 'k1', searchId: 's-cit' },
      { id: 'k2', searchId: 's-cit', duplicateOf: 'm1' },
    ],
    reports: [
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
      { id: 'r-w1', recordId: 'w1', retrieved: true, assessment: 'included', studyId: 'S3' },
      { id: 'r-w2', recordId: 'w2', retrieved: false },
      {
        id: 'r-o1',
        recordId: 'o1',
        retrieved: true,
        assessment: 'excluded',
        exclusionReason: 'Not a review',
      },
      { id: 'r-k1', recordId: 'k1', retrieved: true, assessment: 'included', studyId: 'S1' },
    ],
    previous: { studies: 10, reports: 14 },
  };
}
