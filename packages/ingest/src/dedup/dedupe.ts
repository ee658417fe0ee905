import { answeredPairs, manualPairs, pairId } from './answers.ts';
import { candidatePairs } from './blocking.ts';
import { canonicalRecord, completeness } from './canonical.ts';
import type {
  CandidatePair,
  DedupGroup,
  DedupInput,
  DedupResult,
  GroupDiff,
  GroupMember,
  ManualDecision,
  PairVerdict,
  PreviousGroup,
} from './dedupe.types.ts';
import { KeyPool, pooledMatchKeys, type MatchKeys } from './match-keys.ts';
import { classify } from './scoring.ts';
import { compare, ratio } from './similarity.ts';
import { UnionFind } from './union-find.ts';

export { manualPairs, answeredPairs } from './answers.ts';

/**
 * Groups records of the same report. Pure: the same records and decisions give the same groups,
 * so manual decisions survive re-runs and later imports because they are inputs, not edits.
 */
export function dedupe(
  inputs: readonly DedupInput[],
  decisions: readonly ManualDecision[] = [],
  previous: readonly PreviousGroup[] = [],
  /** Keys computed beforehand (see `dedupeYielding`), one per input in order. */
  precomputed?: readonly MatchKeys[],
): DedupResult {
  const n = inputs.length;
  const index = new Map<string, number>();
  inputs.forEach((r, i) => index.set(r.id, i));
  const keys = markSharedDois(precomputed && precomputed.length === n ? precomputed : keysOf(inputs));
  const manual = manualPairs(decisions);

  const certain: PairVerdict[] = [];
  const uncertain: PairVerdict[] = [];
  const kept: PairVerdict[] = [];
  const { pairs } = candidatePairs(keys, (i, j) => {
    const v = classify(compare(keys[i]!, keys[j]!));
    if (v.tier === 'distinct') return;
    const pv: PairVerdict = { a: inputs[i]!.id, b: inputs[j]!.id, ...v };
    (v.tier === 'certain' ? certain : uncertain).push(pv);
    kept.push(pv);
  });

  const uf = new UnionFind(n);
  // Cannot-link constraints per component root, so a chain of certain pairs cannot join two
  // records a reviewer said are different.
  const cannot = new Map<number, number[]>();
  const blocked = new Set<string>();
  for (const [id, verdict] of manual) {
    if (verdict !== 'different') continue;
    const [a, b] = id.split('\u0000') as [string, string];
    const ia = index.get(a);
    const ib = index.get(b);
    if (ia === undefined || ib === undefined) continue;
    blocked.add(id);
    cannot.set(ia, [...(cannot.get(ia) ?? []), ib]);
    cannot.set(ib, [...(cannot.get(ib) ?? []), ia]);
  }
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

  const linkOf = new Map<string, GroupMember>();
  const noteLink = (p: PairVerdict): void => {
    for (const id of [p.a, p.b]) {
      const old = linkOf.get(id);
      if (!old || old.score < p.score)
        linkOf.set(id, { recordId: id, kept: false, tier: p.tier, score: p.score, reason: p.reason });
    }
  };
  let manualMerged = 0;
  for (const [id, verdict] of manual) {
    if (verdict !== 'same') continue;
    const [a, b] = id.split('\u0000') as [string, string];
    const ia = index.get(a);
    const ib = index.get(b);
    if (ia === undefined || ib === undefined) continue;
    link(ia, ib, true);
    manualMerged++;
    noteLink({
      a,
      b,
      tier: 'certain',
      score: 1,
      reason: 'marked the same report by a reviewer',
      manual: 'same',
    });
  }
  certain.sort((x, y) => y.score - x.score);
  let autoMerged = 0;
  // Certain pairs a manual separation blocked: shown for review so a reviewer can say which side the record joins.
  const heldBack = new Set<PairVerdict>();
  for (const p of certain) {
    if (manual.has(pairId(p.a, p.b))) continue;
    if (link(index.get(p.a)!, index.get(p.b)!, false)) {
      autoMerged++;
      noteLink(p);
    } else {
      const held: PairVerdict = {
        ...p,
        tier: 'uncertain',
        reason: `${p.reason}; held back: a reviewer separated these groups`,
      };
      heldBack.add(held);
      uncertain.push(held);
    }
  }

  const components = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = uf.find(i);
    const c = components.get(r);
    if (c) c.push(i);
    else components.set(r, [i]);
  }
  const previousByRecord = new Map<string, PreviousGroup>();
  for (const g of previous) for (const id of g.recordIds) previousByRecord.set(id, g);
  const usedPreviousIds = new Set<string>();
  const groups: DedupGroup[] = [];
  const inherits: DedupResult['inherits'] = [];
  for (const members of components.values()) {
    if (members.length < 2) continue;
    const ids = members.map((i) => inputs[i]!.id).sort();
    const keptIndex = chooseKept(members, inputs, previousByRecord);
    const kept = inputs[keptIndex]!;
    const groupId = stableGroupId(ids, kept.id, previousByRecord, usedPreviousIds);
    const sources: Record<string, number> = {};
    for (const i of members) {
      const s = inputs[i]!.source ?? inputs[i]!.record.source.database ?? inputs[i]!.record.source.format;
      sources[s] = (sources[s] ?? 0) + 1;
    }
    const screened = members.filter((i) => inputs[i]!.screened);
    if (screened.length > 0) {
      const from = inputs[screened.includes(keptIndex) ? keptIndex : screened[0]!]!.id;
      for (const i of members)
        if (!inputs[i]!.screened) inherits.push({ recordId: inputs[i]!.id, fromRecordId: from });
    }
    groups.push({
      id: groupId,
      keptId: kept.id,
      members: ids.map((id) =>
        id === kept.id
          ? { ...(linkOf.get(id) ?? fallback(id)), kept: true }
          : (linkOf.get(id) ?? fallback(id)),
      ),
      canonical: canonicalRecord(
        { id: kept.id, record: kept.record },
        members.filter((i) => i !== keptIndex).map((i) => ({ id: inputs[i]!.id, record: inputs[i]!.record })),
      ),
      sources,
    });
  }
  groups.sort((x, y) => (x.id < y.id ? -1 : 1));

  // One pair per pair of groups (the best), and none between groups a reviewer already separated:
  // deciding A vs B1 also decides A vs B2 when B1 and B2 are one report.
  const separated = (ri: number, rj: number): boolean =>
    (cannot.get(ri) ?? []).some((x) => uf.find(x) === rj);
  const bestPerGroups = new Map<string, PairVerdict>();
  for (const p of uncertain) {
    if (manual.has(pairId(p.a, p.b))) continue;
    const ri = uf.find(index.get(p.a)!);
    const rj = uf.find(index.get(p.b)!);
    if (ri === rj || (!heldBack.has(p) && (separated(ri, rj) || separated(rj, ri)))) continue;
    const key = ri < rj ? `${ri}|${rj}` : `${rj}|${ri}`;
    const old = bestPerGroups.get(key);
    if (!old || p.score > old.score) bestPerGroups.set(key, p);
  }
  const membersOf = (root: number): string[] =>
    (components.get(root) ?? [root]).map((i) => inputs[i]!.id).sort();
  // Groups linked by undecided uncertain matches, directly or through each other, are one question:
  // its best pair is shown, and one answer may settle all of them ("all one report" / "all
  // different reports"), so a title shared by many records that may or may not be one report is
  // not asked once per pair of them.
  const clusters = new UnionFind(n);
  const rootsOf = (key: string) => key.split('|').map(Number) as [number, number];
  for (const key of bestPerGroups.keys()) clusters.union(...rootsOf(key));
  const question = new Map<number, { best: PairVerdict; roots: Set<number> }>();
  for (const [key, p] of bestPerGroups) {
    const [ri, rj] = rootsOf(key);
    const c = clusters.find(ri);
    const q = question.get(c);
    if (!q) question.set(c, { best: p, roots: new Set([ri, rj]) });
    else {
      q.roots.add(ri).add(rj);
      if (
        p.score > q.best.score ||
        (p.score === q.best.score && pairId(p.a, p.b) < pairId(q.best.a, q.best.b))
      )
        q.best = p;
    }
  }
  const review = [...question.values()]
    .map(({ best: p, roots }) => ({
      ...p,
      covers: { a: membersOf(uf.find(index.get(p.a)!)), b: membersOf(uf.find(index.get(p.b)!)) },
      ...(roots.size > 2
        ? { parts: [...roots].map(membersOf).sort((x, y) => (x[0]! < y[0]! ? -1 : 1)) }
        : {}),
    }))
    .sort((x, y) => y.score - x.score || (x.a < y.a ? -1 : 1));
  const candidates = pairStatuses(kept, answeredPairs(decisions), (p) => {
    const ri = uf.find(index.get(p.a)!);
    const rj = uf.find(index.get(p.b)!);
    if (ri === rj) return 'grouped';
    return bestPerGroups.has(ri < rj ? `${ri}|${rj}` : `${rj}|${ri}`) ? 'pending' : 'separated';
  });
  const duplicatesRemoved = groups.reduce((s, g) => s + g.members.length - 1, 0);
  return {
    groups,
    review,
    pairs: candidates,
    diff: diffGroups(previous, groups),
    inherits,
    stats: {
      records: n,
      candidatePairs: pairs,
      groups: groups.length,
      duplicatesRemoved,
      autoMerged,
      manualMerged,
      needsReview: review.length,
      pendingPairs: candidates.filter((p) => p.status === 'pending').length,
    },
  };
}

function keysOf(inputs: readonly DedupInput[]): MatchKeys[] {
  const pool = new KeyPool();
  return inputs.map((r) => pooledMatchKeys(r.record, pool));
}

/**
 * Marks DOIs that records of different reports carry in this import: a journal supplement often
 * has one DOI for all its abstracts, and Embase/Scopus export it on each (many abstracts of one
 * supplement share it), so it proves nothing on its own. A DOI is shared when two records carrying
 * it have clearly different titles, or sit on different first pages of the same volume.
 */
export function markSharedDois(keys: readonly MatchKeys[]): readonly MatchKeys[] {
  const byDoi = new Map<string, number[]>();
  keys.forEach((k, i) => {
    if (!k.doi) return;
    const list = byDoi.get(k.doi);
    if (list) list.push(i);
    else byDoi.set(k.doi, [i]);
  });
  const shared = new Map<string, number>();
  for (const [doi, members] of byDoi) {
    if (members.length < 2) continue;
    const first = keys[members[0]!]!;
    const differs = members.slice(1).some((i) => {
      const k = keys[i]!;
      if (ratio(first.compactTitle, k.compactTitle) < 0.8) return true;
      const sameVolume = first.volume.some((v) => k.volume.includes(v));
      return (
        sameVolume &&
        first.pages.start !== undefined &&
        k.pages.start !== undefined &&
        first.pages.start !== k.pages.start
      );
    });
    if (differs) shared.set(doi, members.length);
  }
  if (shared.size === 0) return keys;
  return keys.map((k) => (k.doi && shared.has(k.doi) ? { ...k, doiShared: shared.get(k.doi)! } : k));
}

/**
 * A person's word on the pair (directly or through the groups an answer covered) comes first;
 * otherwise a pair in one group was merged by the rule, one across two groups under a pending
 * question is pending, and any other was kept apart by a person (an answer or split that
 * separated the groups its records now belong to).
 */
function pairStatuses(
  kept: readonly PairVerdict[],
  answered: ReadonlyMap<string, 'same' | 'different'>,
  where: (p: PairVerdict) => 'grouped' | 'pending' | 'separated',
): CandidatePair[] {
  return kept.map((p) => {
    const [a, b] = p.a < p.b ? [p.a, p.b] : [p.b, p.a];
    const w = where(p);
    const status =
      answered.get(pairId(a, b)) ??
      (w === 'grouped' ? 'auto-merged' : w === 'pending' ? 'pending' : 'different');
    return { a, b, score: p.score, reason: p.reason, status };
  });
}

function fallback(id: string): GroupMember {
  return { recordId: id, kept: false, tier: 'certain', score: 1, reason: 'grouped' };
}

/**
 * Keeps last run's choice when still a member, then a screened record, then one already in
 * reviewers' queues (so a later import's copy does not swap places with it), then the most complete.
 */
function chooseKept(
  members: number[],
  inputs: readonly DedupInput[],
  previousByRecord: Map<string, PreviousGroup>,
): number {
  for (const i of members) if (previousByRecord.get(inputs[i]!.id)?.keptId === inputs[i]!.id) return i;
  const screened = members.filter((i) => inputs[i]!.screened);
  const queued = members.filter((i) => inputs[i]!.queued);
  const pool = screened.length > 0 ? screened : queued.length > 0 ? queued : members;
  return pool.reduce((best, i) => {
    const d = completeness(inputs[i]!.record) - completeness(inputs[best]!.record);
    return d > 0 || (d === 0 && inputs[i]!.id < inputs[best]!.id) ? i : best;
  });
}

/** A group keeps the id of the previous group it overlaps most, so links and exports stay valid. */
function stableGroupId(
  ids: string[],
  keptId: string,
  previousByRecord: Map<string, PreviousGroup>,
  used: Set<string>,
): string {
  const overlap = new Map<string, number>();
  for (const id of ids) {
    const g = previousByRecord.get(id);
    if (g && !used.has(g.id)) overlap.set(g.id, (overlap.get(g.id) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const [id, count] of overlap)
    if (best === undefined || count > overlap.get(best)! || (count === overlap.get(best)! && id < best))
      best = id;
  const id = best ?? `g-${keptId}`;
  used.add(id);
  return id;
}

export function diffGroups(previous: readonly PreviousGroup[], current: readonly DedupGroup[]): GroupDiff {
  const before = new Map(previous.map((g) => [g.id, new Set(g.recordIds)]));
  const diff: GroupDiff = { created: [], dissolved: [], changed: [] };
  const seen = new Set<string>();
  for (const g of current) {
    seen.add(g.id);
    const old = before.get(g.id);
    const now = g.members.map((m) => m.recordId);
    if (!old) {
      diff.created.push(g.id);
      continue;
    }
    const added = now.filter((id) => !old.has(id));
    const removed = [...old].filter((id) => !now.includes(id));
    if (added.length + removed.length > 0) diff.changed.push({ id: g.id, added, removed });
  }
  for (const g of previous) if (!seen.has(g.id)) diff.dissolved.push(g.id);
  return diff;
}

/**
 * `dedupe` for job handlers: computing the matching keys (most of the work) in chunks with a
 * turn of the event loop between them, so a 100k-record run does not starve BullMQ's lock renewal.
 */
export async function dedupeYielding(
  inputs: readonly DedupInput[],
  decisions: readonly ManualDecision[] = [],
  previous: readonly PreviousGroup[] = [],
  chunk = 2000,
): Promise<DedupResult> {
  const keys: MatchKeys[] = [];
  const pool = new KeyPool();
  for (let i = 0; i < inputs.length; i += chunk) {
    for (const r of inputs.slice(i, i + chunk)) keys.push(pooledMatchKeys(r.record, pool));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return dedupe(inputs, decisions, previous, keys);
}
