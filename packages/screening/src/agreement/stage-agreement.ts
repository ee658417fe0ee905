import type { Vote } from '../stages/stage.types.ts';
import { addTables, agreementFromTable, tableFromPairs, type AgreementStats } from './kappa.ts';

export interface RatedVote {
  recordId: string;
  reviewerId: string;
  vote: Vote;
}

/**
 * How `maybe` counts. Binary (default): maybe counts as include, since both mean "do not exclude
 * yet", which is the decision title/abstract screening makes. Three-way keeps it a category.
 */
export type MaybeAs = 'include' | 'category';

export interface PairAgreement extends AgreementStats {
  reviewerA: string;
  reviewerB: string;
  table: number[][];
}

export interface StageAgreement {
  categories: string[];
  /** Pooled over every reviewer pair: each record with two votes from a pair adds one cell. */
  overall: AgreementStats & { table: number[][] };
  pairs: PairAgreement[];
}

/**
 * Agreement per reviewer pair and pooled over pairs, from one vote per reviewer per record (the
 * caller chooses which: current votes, or the first independent ones). Pairs are ordered by id so
 * the table orientation is stable.
 */
export function stageAgreement(votes: readonly RatedVote[], maybeAs: MaybeAs = 'include'): StageAgreement {
  const categories: Vote[] = maybeAs === 'include' ? ['include', 'exclude'] : ['include', 'exclude', 'maybe'];
  const map = (v: Vote): Vote => (maybeAs === 'include' && v === 'maybe' ? 'include' : v);
  const byRecord = new Map<string, Map<string, Vote>>();
  for (const v of votes) {
    let m = byRecord.get(v.recordId);
    if (!m) byRecord.set(v.recordId, (m = new Map()));
    m.set(v.reviewerId, map(v.vote));
  }
  const pairRatings = new Map<string, [Vote, Vote][]>();
  for (const m of byRecord.values()) {
    const reviewers = [...m.keys()].sort();
    for (let i = 0; i < reviewers.length; i++) {
      for (let j = i + 1; j < reviewers.length; j++) {
        const key = `${reviewers[i]}\u0000${reviewers[j]}`;
        let list = pairRatings.get(key);
        if (!list) pairRatings.set(key, (list = []));
        list.push([m.get(reviewers[i]!)!, m.get(reviewers[j]!)!]);
      }
    }
  }
  let pooled = categories.map(() => categories.map(() => 0));
  const pairs: PairAgreement[] = [];
  for (const [key, ratings] of [...pairRatings.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const [reviewerA, reviewerB] = key.split('\u0000') as [string, string];
    const table = tableFromPairs(categories, ratings);
    pooled = addTables(pooled, table);
    pairs.push({ reviewerA, reviewerB, table, ...agreementFromTable(table) });
  }
  return { categories, overall: { table: pooled, ...agreementFromTable(pooled) }, pairs };
}
