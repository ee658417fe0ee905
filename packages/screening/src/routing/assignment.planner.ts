import { WinnowError } from '@winnow/core';
import { seededRandom, shuffled } from './seeded-random.ts';

export interface ExistingAssignment {
  recordId: string;
  reviewerId: string;
  /** Open: assigned but not yet voted on. Done assignments are kept even if the reviewer left. */
  open: boolean;
}

export interface PlannedAssignment {
  recordId: string;
  reviewerId: string;
  /** Queue position: a reviewer's next record is their open assignment with the lowest position. */
  position: number;
}

export type RoutingOrder =
  | { kind: 'random'; seed: number }
  /** Higher score first; unscored records follow in seeded random order. */
  | { kind: 'prioritised'; scores: ReadonlyMap<string, number>; seed: number };

export interface RoutingInput {
  recordIds: readonly string[];
  /** The stage's current reviewers. Open assignments of anyone else are revoked and re-routed. */
  reviewerIds: readonly string[];
  votesNeeded: number;
  /** Every assignment at this stage, for any record (the load counts them all). */
  existing: readonly ExistingAssignment[];
  order: RoutingOrder;
  positionOffset?: number;
}

export interface RoutingPlan {
  assignments: PlannedAssignment[];
  /** Open assignments held by people who are no longer reviewers of the stage. */
  revoked: ExistingAssignment[];
  /** Records that could not get all their votes because too few eligible reviewers remain. */
  shortfall: { recordId: string; missing: number }[];
}

export function orderRecords(recordIds: readonly string[], order: RoutingOrder): string[] {
  const unique = [...new Set(recordIds)];
  const random = shuffled(unique, seededRandom(order.seed));
  if (order.kind === 'random') return random;
  const rank = new Map(random.map((id, i) => [id, i]));
  return [...unique].sort((a, b) => {
    const sa = order.scores.get(a);
    const sb = order.scores.get(b);
    if (sa !== undefined && sb !== undefined && sa !== sb) return sb - sa;
    if (sa !== undefined && sb === undefined) return -1;
    if (sa === undefined && sb !== undefined) return 1;
    return rank.get(a)! - rank.get(b)!;
  });
}

/**
 * Spreads records over reviewers: each record gets `votesNeeded` distinct reviewers (counting the
 * ones it already has), each pick goes to the least-loaded eligible reviewer, and ties are broken
 * by a seeded shuffle so reviewer pairs vary (pairwise kappa needs overlap between many pairs).
 * Load is open assignments: what is waiting in each reviewer's queue.
 */
export function planAssignments(input: RoutingInput): RoutingPlan {
  if (!Number.isInteger(input.votesNeeded) || input.votesNeeded < 1) {
    throw new WinnowError('VALIDATION', `votesNeeded must be a positive integer, got ${input.votesNeeded}`);
  }
  const reviewers = [...new Set(input.reviewerIds)];
  const active = new Set(reviewers);
  const load = new Map(reviewers.map((r) => [r, 0]));
  const holders = new Map<string, Set<string>>();
  const revoked: ExistingAssignment[] = [];
  for (const a of input.existing) {
    if (a.open && !active.has(a.reviewerId)) {
      revoked.push(a);
      continue;
    }
    let set = holders.get(a.recordId);
    if (!set) holders.set(a.recordId, (set = new Set()));
    set.add(a.reviewerId);
    if (a.open) load.set(a.reviewerId, (load.get(a.reviewerId) ?? 0) + 1);
  }
  const random = seededRandom(input.order.seed ^ 0x5bd1e995);
  const assignments: PlannedAssignment[] = [];
  const shortfall: RoutingPlan['shortfall'] = [];
  const offset = input.positionOffset ?? 0;
  const toRoute = new Set([...input.recordIds, ...revoked.map((r) => r.recordId)]);
  orderRecords([...toRoute], input.order).forEach((recordId, index) => {
    const has = holders.get(recordId) ?? new Set<string>();
    const missing = input.votesNeeded - has.size;
    if (missing <= 0) return;
    const candidates = shuffled(
      reviewers.filter((r) => !has.has(r)),
      random,
    ).sort((a, b) => load.get(a)! - load.get(b)!);
    const picked = candidates.slice(0, missing);
    for (const reviewerId of picked) {
      assignments.push({ recordId, reviewerId, position: offset + index });
      load.set(reviewerId, load.get(reviewerId)! + 1);
      has.add(reviewerId);
    }
    holders.set(recordId, has);
    if (picked.length < missing) shortfall.push({ recordId, missing: missing - picked.length });
  });
  return { assignments, revoked, shortfall };
}

export interface Move {
  recordId: string;
  from: string;
  to: string;
}

/**
 * After a reviewer joins (or loads drift), moves open assignments from the busiest reviewers to the
 * least busy until open loads differ by at most one, never giving anyone a record twice. The
 * records moved are the ones furthest back in the giver's queue, so nobody loses what is next.
 */
export function rebalance(input: {
  reviewerIds: readonly string[];
  existing: readonly (ExistingAssignment & { position?: number })[];
}): Move[] {
  const reviewers = [...new Set(input.reviewerIds)];
  const open = new Map(reviewers.map((r) => [r, [] as { recordId: string; position: number }[]]));
  const holders = new Map<string, Set<string>>();
  for (const a of input.existing) {
    let set = holders.get(a.recordId);
    if (!set) holders.set(a.recordId, (set = new Set()));
    set.add(a.reviewerId);
    if (a.open) open.get(a.reviewerId)?.push({ recordId: a.recordId, position: a.position ?? 0 });
  }
  for (const list of open.values()) list.sort((a, b) => a.position - b.position);
  const moves: Move[] = [];
  for (;;) {
    const byLoad = [...reviewers].sort(
      (a, b) => open.get(a)!.length - open.get(b)!.length || a.localeCompare(b),
    );
    let moved = false;
    // Try the busiest giver with the least busy taker first; fall back to other pairs when every
    // record the giver holds is already held by the taker.
    outer: for (let g = byLoad.length - 1; g > 0; g--) {
      const giver = byLoad[g]!;
      for (let t = 0; t < g; t++) {
        const taker = byLoad[t]!;
        if (open.get(giver)!.length - open.get(taker)!.length <= 1) break;
        const list = open.get(giver)!;
        for (let i = list.length - 1; i >= 0; i--) {
          const item = list[i]!;
          const has = holders.get(item.recordId)!;
          if (has.has(taker)) continue;
          list.splice(i, 1);
          open.get(taker)!.push(item);
          open.get(taker)!.sort((a, b) => a.position - b.position);
          has.delete(giver);
          has.add(taker);
          moves.push({ recordId: item.recordId, from: giver, to: taker });
          moved = true;
          break outer;
        }
      }
    }
    if (!moved) return moves;
  }
}
