import type { NormalisedRecord } from '../record.types.ts';
import type { CanonicalRecord } from './canonical.ts';
import type { Tier } from './scoring.ts';

export interface DedupInput {
  /** Stable record id (database id). */
  id: string;
  record: NormalisedRecord;
  /** Where the record came from (file or database), for per-source counts. */
  source?: string;
  /** True when reviewers have already screened this record (review updates). */
  screened?: boolean;
  /**
   * True when the record is already in a screening stage (in reviewers' queues): a group prefers
   * to keep it, so a later import's duplicate does not take its place in the queues.
   */
  queued?: boolean;
}

/**
 * A reviewer's or lead's decision, applied in order (later decisions on the same pair win):
 * `same`/`different` from the review queue, `split` (a lead undoes a merge: records in different
 * parts are never grouped again unless a later `same` says so) and `reset` (forget the manual
 * decision on a pair, back to the automatic rule).
 */
export type ManualDecision =
  | { kind: 'same'; a: string; b: string; covers?: PairCovers; parts?: QuestionParts }
  | { kind: 'different'; a: string; b: string; covers?: PairCovers; parts?: QuestionParts }
  | { kind: 'split'; parts: string[][] }
  | { kind: 'reset'; a: string; b: string };

/**
 * The two groups a review question is about when it was asked: `a`'s group and `b`'s group
 * (each includes its own record). One answer settles every record pair across them.
 */
export interface PairCovers {
  a: readonly string[];
  b: readonly string[];
}

/**
 * Every group of a question that links more than two groups: an answer for all of them ("all
 * one report", "all different reports") names them.
 */
export type QuestionParts = readonly (readonly string[])[];

export interface PairVerdict {
  a: string;
  b: string;
  tier: Tier;
  score: number;
  reason: string;
  /** Set when a manual decision, not the rule, decided this pair. */
  manual?: 'same' | 'different';
  /** On review questions: the groups the question covers. */
  covers?: PairCovers;
}

/**
 * What became of a candidate pair (kept after blocking and scoring): merged by the rule, under a
 * pending review question (every pair across the two groups the question covers), or decided by
 * a person (a review answer, directly or as one of the pairs it covers, or a lead's split).
 */
export type PairStatus = 'auto-merged' | 'pending' | 'same' | 'different';

export interface CandidatePair {
  a: string;
  b: string;
  score: number;
  reason: string;
  status: PairStatus;
}

export interface GroupMember {
  recordId: string;
  kept: boolean;
  /** How the record joined the group: the strongest link to another member. */
  tier: Tier;
  score: number;
  reason: string;
}

export interface DedupGroup {
  id: string;
  keptId: string;
  members: GroupMember[];
  canonical: CanonicalRecord;
  /** Records per source: PRISMA counts records identified per database before duplicates are removed. */
  sources: Record<string, number>;
}

export interface PreviousGroup {
  id: string;
  recordIds: string[];
  keptId?: string;
}

export interface GroupDiff {
  created: string[];
  dissolved: string[];
  changed: { id: string; added: string[]; removed: string[] }[];
}

export interface DedupResult {
  /** Groups of two or more records of the same report. */
  groups: DedupGroup[];
  /**
   * Review questions, best first: one per set of groups (a group may be one record) linked by
   * undecided uncertain matches, shown as its best pair and naming the two groups that pair
   * covers; `parts` lists every group when there are more than two.
   */
  review: (PairVerdict & { covers: PairCovers; parts?: string[][] })[];
  /** Every candidate pair kept after blocking and scoring, with what became of it. */
  pairs: CandidatePair[];
  diff: GroupDiff;
  /** Unscreened records that joined a group holding a screened record: they inherit its decisions. */
  inherits: { recordId: string; fromRecordId: string }[];
  stats: {
    records: number;
    candidatePairs: number;
    groups: number;
    duplicatesRemoved: number;
    autoMerged: number;
    manualMerged: number;
    /** Review questions pending. */
    needsReview: number;
    /** Candidate pairs under a pending question (counted as in `pairs`). */
    pendingPairs: number;
  };
}
