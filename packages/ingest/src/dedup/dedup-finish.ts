import { answeredPairs, pairId } from './answers.ts';
import type { GroupsBuilt } from './dedup-groups.ts';
import { HELD_BACK, type DedupPlan } from './dedup-plan.ts';
import type {
  CandidatePair,
  DedupResult,
  ManualDecision,
  PairStatus,
  PairVerdict,
  PreviousGroup,
} from './dedupe.types.ts';
import { diffGroups } from './group-diff.ts';
import { UnionFind } from './union-find.ts';

/**
 * The run's questions and pair statuses, once its groups are built. One pair per pair of groups
 * (the best), and none between groups a reviewer already separated: deciding A vs B1 also decides
 * A vs B2 when B1 and B2 are one report.
 */
export function finishDedup(
  plan: DedupPlan,
  built: GroupsBuilt,
  decisions: readonly ManualDecision[],
  previous: readonly PreviousGroup[],
): DedupResult {
  const { set, pairs, uf, cannot, manual, heldBack, groupOfRoot } = plan;
  const ids = set.ids;
  const groups = built.groups.sort((x, y) => (x.id < y.id ? -1 : 1));
  const verdict = (k: number): PairVerdict => {
    const held = heldBack.has(k);
    return {
      a: ids[pairs.a[k]!]!,
      b: ids[pairs.b[k]!]!,
      tier: held ? 'uncertain' : pairs.tier(k),
      score: pairs.score[k]!,
      reason: held ? `${pairs.reason(k)}${HELD_BACK}` : pairs.reason(k),
    };
  };
  const separated = (ri: number, rj: number): boolean =>
    (cannot.get(ri) ?? []).some((x) => uf.find(x) === rj);
  const bestPerGroups = new Map<string, number>();
  for (const k of plan.uncertain) {
    if (manual.size > 0 && manual.has(pairId(ids[pairs.a[k]!]!, ids[pairs.b[k]!]!))) continue;
    const ri = uf.find(pairs.a[k]!);
    const rj = uf.find(pairs.b[k]!);
    if (ri === rj || (!heldBack.has(k) && (separated(ri, rj) || separated(rj, ri)))) continue;
    const key = ri < rj ? `${ri}|${rj}` : `${rj}|${ri}`;
    const old = bestPerGroups.get(key);
    if (old === undefined || pairs.score[k]! > pairs.score[old]!) bestPerGroups.set(key, k);
  }
  const membersOf = (root: number): string[] => {
    const g = groupOfRoot[root]!;
    if (g < 0) return [ids[root]!];
    const out: string[] = [];
    for (let x = plan.groupStart[g]!; x < plan.groupStart[g + 1]!; x++) out.push(ids[plan.groupMembers[x]!]!);
    return out.sort();
  };
  // Groups linked by undecided uncertain matches, directly or through each other, are one question:
  // its best pair is shown, and one answer may settle all of them ("all one report" / "all
  // different reports"), so a title shared by many records that may or may not be one report is
  // not asked once per pair of them.
  const clusters = new UnionFind(set.size);
  const rootsOf = (key: string) => key.split('|').map(Number) as [number, number];
  for (const key of bestPerGroups.keys()) clusters.union(...rootsOf(key));
  const question = new Map<number, { best: PairVerdict; k: number; roots: Set<number> }>();
  for (const [key, k] of bestPerGroups) {
    const p = verdict(k);
    const [ri, rj] = rootsOf(key);
    const c = clusters.find(ri);
    const q = question.get(c);
    if (!q) question.set(c, { best: p, k, roots: new Set([ri, rj]) });
    else {
      q.roots.add(ri).add(rj);
      if (
        p.score > q.best.score ||
        (p.score === q.best.score && pairId(p.a, p.b) < pairId(q.best.a, q.best.b))
      ) {
        q.best = p;
        q.k = k;
      }
    }
  }
  const review = [...question.values()]
    .map(({ best: p, k, roots }) => ({
      ...p,
      covers: { a: membersOf(uf.find(pairs.a[k]!)), b: membersOf(uf.find(pairs.b[k]!)) },
      ...(roots.size > 2
        ? { parts: [...roots].map(membersOf).sort((x, y) => (x[0]! < y[0]! ? -1 : 1)) }
        : {}),
    }))
    .sort((x, y) => y.score - x.score || (x.a < y.a ? -1 : 1));

  const { list: candidates, pending } = pairStatuses(plan, answeredPairs(decisions), bestPerGroups);
  const duplicatesRemoved = groups.reduce((s, g) => s + g.members.length - 1, 0);
  return {
    groups,
    review,
    pairs: candidates,
    diff: diffGroups(previous, groups),
    inherits: built.inherits,
    stats: {
      records: set.size,
      candidatePairs: plan.candidatePairs,
      groups: groups.length,
      duplicatesRemoved,
      autoMerged: plan.autoMerged,
      manualMerged: plan.manualMerged,
      needsReview: review.length,
      pendingPairs: pending,
    },
  };
}

/**
 * What became of each kept pair, in the order found. A person's word on the pair (directly or
 * through the groups an answer covered) comes first; otherwise a pair in one group was merged by
 * the rule, one across two groups under a pending question is pending, and any other was kept
 * apart by a person (an answer or split that separated the groups its records now belong to).
 */
function pairStatuses(
  plan: DedupPlan,
  answered: ReadonlyMap<string, 'same' | 'different'>,
  bestPerGroups: ReadonlyMap<string, number>,
): { list: CandidatePair[]; pending: number } {
  const { pairs, uf, set } = plan;
  const list: CandidatePair[] = new Array<CandidatePair>(pairs.length);
  let pending = 0;
  for (let k = 0; k < pairs.length; k++) {
    const x = set.ids[pairs.a[k]!]!;
    const y = set.ids[pairs.b[k]!]!;
    const [a, b] = x < y ? [x, y] : [y, x];
    const ri = uf.find(pairs.a[k]!);
    const rj = uf.find(pairs.b[k]!);
    const rule: PairStatus =
      ri === rj
        ? 'auto-merged'
        : bestPerGroups.has(ri < rj ? `${ri}|${rj}` : `${rj}|${ri}`)
          ? 'pending'
          : 'different';
    const status = (answered.size > 0 ? answered.get(pairId(a, b)) : undefined) ?? rule;
    if (status === 'pending') pending++;
    list[k] = { a, b, score: pairs.score[k]!, reason: pairs.reason(k), status };
  }
  return { list, pending };
}
