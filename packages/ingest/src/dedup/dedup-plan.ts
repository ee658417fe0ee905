import { manualPairs, pairId } from './answers.ts';
import { candidatePairSteps } from './blocking.ts';
import type { ManualDecision, PreviousGroup } from './dedupe.types.ts';
import type { KeySet } from './key-set.ts';
import { PairTable } from './pair-table.ts';
import { classify } from './scoring.ts';
import { compare } from './similarity.ts';
import { UnionFind } from './union-find.ts';

/** Added to the reason of a certain pair a manual separation kept apart (it goes to review). */
export const HELD_BACK = '; held back: a reviewer separated these groups';
/** The link reason of a record a reviewer (not the rule) put in its group. */
export const MANUAL_SAME = 'marked the same report by a reviewer';

/** Whether a group member's link `reason` is a reviewer's answer (its tier reads certain, as the rule's). */
export const joinedByReviewer = (reason: string): boolean => reason === MANUAL_SAME;

/**
 * What a run decides from match keys alone, before it reads any whole record again: kept pairs,
 * links, groups (as positions) and each record's strongest link. Positions are records' places in
 * the run's `KeySet`.
 */
export interface DedupPlan {
  set: KeySet;
  indexOf: (id: string) => number | undefined;
  manual: Map<string, 'same' | 'different'>;
  pairs: PairTable;
  candidatePairs: number;
  uf: UnionFind;
  /** Cannot-link constraints per component root: records a reviewer said are different. */
  cannot: Map<number, number[]>;
  /** Kept uncertain pairs in the order found, then certain pairs held back by a separation. */
  uncertain: number[];
  heldBack: Set<number>;
  /** Strongest link per record: score (-1: none), certain (1) or not, reason (interned in `pairs`). */
  linkScore: Float64Array;
  linkCertain: Uint8Array;
  linkReason: Int32Array;
  autoMerged: number;
  manualMerged: number;
  /** Groups of two or more records in the order of their first record: group g is `groupMembers[groupStart[g]..groupStart[g + 1])`. */
  groupCount: number;
  groupStart: Int32Array;
  groupMembers: Int32Array;
  /** Group of each component root, or -1 for a record on its own. */
  groupOfRoot: Int32Array;
  previous: readonly PreviousGroup[];
  /** The previous group (index into `previous`) that last listed each record, or -1. */
  previousOf: Int32Array;
}

export function planDedup(
  set: KeySet,
  decisions: readonly ManualDecision[],
  previous: readonly PreviousGroup[],
): DedupPlan {
  const steps = comparePairs(set);
  for (;;) {
    const step = steps.next();
    if (step.done) return planFromPairs(set, step.value, decisions, previous);
  }
}

/**
 * `planDedup` for job handlers: the comparison (the long synchronous part: every candidate pair
 * scored) gives the event loop a turn at least every `sliceMs`, so BullMQ keeps renewing the job's
 * lock however long it takes. Same plan as `planDedup`.
 */
export async function planDedupYielding(
  set: KeySet,
  decisions: readonly ManualDecision[],
  previous: readonly PreviousGroup[],
  sliceMs = 50,
): Promise<DedupPlan> {
  const steps = comparePairs(set);
  let since = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return planFromPairs(set, step.value, decisions, previous);
    if (performance.now() - since >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  }
}

interface Compared {
  pairs: PairTable;
  candidateCount: number;
}

/** Scores every candidate pair, keeping those not distinct; pauses at each step of the blocking. */
function* comparePairs(set: KeySet): Generator<void, Compared, void> {
  const { keys } = set;
  const pairs = new PairTable();
  const { pairs: candidateCount } = yield* candidatePairSteps(keys, (i, j) => {
    const v = classify(compare(keys[i]!, keys[j]!));
    if (v.tier !== 'distinct') pairs.push(i, j, v.tier, v.score, v.reason);
  });
  return { pairs, candidateCount };
}

function planFromPairs(
  set: KeySet,
  { pairs, candidateCount }: Compared,
  decisions: readonly ManualDecision[],
  previous: readonly PreviousGroup[],
): DedupPlan {
  const n = set.size;
  const { ids } = set;
  const needsIndex = decisions.length > 0 || previous.length > 0;
  const indexOf = needsIndex ? set.indexOf() : () => undefined;
  const manual = manualPairs(decisions);

  const uf = new UnionFind(n);
  const cannot = new Map<number, number[]>();
  const manualIndices = (id: string): [number, number] | undefined => {
    const [a, b] = id.split('\u0000') as [string, string];
    const ia = indexOf(a);
    const ib = indexOf(b);
    return ia === undefined || ib === undefined ? undefined : [ia, ib];
  };
  for (const [id, verdict] of manual) {
    if (verdict !== 'different') continue;
    const ab = manualIndices(id);
    if (!ab) continue;
    const [ia, ib] = ab;
    cannot.set(ia, [...(cannot.get(ia) ?? []), ib]);
    cannot.set(ib, [...(cannot.get(ib) ?? []), ia]);
  }
  // A chain of certain pairs cannot join two records a reviewer said are different.
  const link = (i: number, j: number, force: boolean): boolean => {
    const ri = uf.find(i);
    const rj = uf.find(j);
    if (ri === rj) return true;
    const ci = cannot.get(ri) ?? [];
    const cj = cannot.get(rj) ?? [];
    if (!force && (ci.some((x) => uf.find(x) === rj) || cj.some((x) => uf.find(x) === ri))) return false;
    const root = uf.union(ri, rj);
    if (ci.length + cj.length > 0) cannot.set(root, [...ci, ...cj]);
    return true;
  };

  const linkScore = new Float64Array(n).fill(-1);
  const linkCertain = new Uint8Array(n);
  const linkReason = new Int32Array(n);
  const noteLink = (i: number, j: number, score: number, certain: number, reason: number): void => {
    for (const x of [i, j])
      if (linkScore[x]! < score) {
        linkScore[x] = score;
        linkCertain[x] = certain;
        linkReason[x] = reason;
      }
  };
  let manualMerged = 0;
  const manualReason = pairs.intern(MANUAL_SAME);
  for (const [id, verdict] of manual) {
    if (verdict !== 'same') continue;
    const ab = manualIndices(id);
    if (!ab) continue;
    link(ab[0], ab[1], true);
    manualMerged++;
    noteLink(ab[0], ab[1], 1, 1, manualReason);
  }

  const certain: number[] = [];
  const uncertain: number[] = [];
  for (let k = 0; k < pairs.length; k++) (pairs.certain[k] === 1 ? certain : uncertain).push(k);
  // Best first; pairs of equal score in the order found.
  certain.sort((x, y) => pairs.score[y]! - pairs.score[x]! || x - y);
  let autoMerged = 0;
  const heldBack = new Set<number>();
  for (const k of certain) {
    const a = pairs.a[k]!;
    const b = pairs.b[k]!;
    if (manual.size > 0 && manual.has(pairId(ids[a]!, ids[b]!))) continue;
    if (link(a, b, false)) {
      autoMerged++;
      noteLink(a, b, pairs.score[k]!, 1, pairs.reasonOf[k]!);
    } else {
      // Shown for review so a reviewer can say which side the record joins.
      heldBack.add(k);
      uncertain.push(k);
    }
  }

  const root = new Int32Array(n);
  const size = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    root[i] = uf.find(i);
    size[root[i]!]!++;
  }
  const groupOfRoot = new Int32Array(n).fill(-1);
  const sizes: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = root[i]!;
    if (size[r]! >= 2 && groupOfRoot[r] === -1) {
      groupOfRoot[r] = sizes.length;
      sizes.push(size[r]!);
    }
  }
  const groupStart = new Int32Array(sizes.length + 1);
  sizes.forEach((s, g) => (groupStart[g + 1] = groupStart[g]! + s));
  const groupMembers = new Int32Array(groupStart[sizes.length]!);
  const cursor = groupStart.slice(0, sizes.length);
  for (let i = 0; i < n; i++) {
    const g = groupOfRoot[root[i]!]!;
    if (g >= 0) groupMembers[cursor[g]!++] = i;
  }

  const previousOf = new Int32Array(n).fill(-1);
  previous.forEach((g, p) => {
    for (const id of g.recordIds) {
      const i = indexOf(id);
      if (i !== undefined) previousOf[i] = p;
    }
  });

  return {
    set,
    indexOf,
    manual,
    pairs,
    candidatePairs: candidateCount,
    uf,
    cannot,
    uncertain,
    heldBack,
    linkScore,
    linkCertain,
    linkReason,
    autoMerged,
    manualMerged,
    groupCount: sizes.length,
    groupStart,
    groupMembers,
    groupOfRoot,
    previous,
    previousOf,
  };
}
