import type { NormalisedRecord } from '../record.types.ts';
import { canonicalRecord, completeness } from './canonical.ts';
import type { DedupPlan } from './dedup-plan.ts';
import type { DedupGroup, DedupResult, GroupMember } from './dedupe.types.ts';

/** The whole record at a position of the run, for records in groups only. */
export type RecordAt = (i: number) => NormalisedRecord;

/** Groups built so far, in the plan's group order (ids stay stable across runs through `usedPrevious`). */
export interface GroupsBuilt {
  groups: DedupGroup[];
  inherits: DedupResult['inherits'];
  usedPrevious: Set<string>;
}

export const noGroupsYet = (): GroupsBuilt => ({ groups: [], inherits: [], usedPrevious: new Set() });

/** The records of group `g`, in record order. */
export function groupMembers(plan: DedupPlan, g: number): Int32Array {
  return plan.groupMembers.subarray(plan.groupStart[g]!, plan.groupStart[g + 1]!);
}

/** Builds group `g` of the plan: kept record, id, members with their links, canonical record, sources. */
export function buildGroup(plan: DedupPlan, g: number, recordAt: RecordAt, out: GroupsBuilt): void {
  const { set } = plan;
  const members = Array.from(groupMembers(plan, g));
  const byId = members.map((i) => [set.ids[i]!, i] as const).sort((x, y) => (x[0] < y[0] ? -1 : 1));
  const keptIndex = chooseKept(plan, members, recordAt);
  const keptId = set.ids[keptIndex]!;
  const id = stableGroupId(plan, members, keptId, out.usedPrevious);
  const sources: Record<string, number> = {};
  for (const i of members) {
    const s = set.source(i);
    sources[s] = (sources[s] ?? 0) + 1;
  }
  const screened = members.filter((i) => set.screened(i));
  if (screened.length > 0) {
    const fromIndex = screened.includes(keptIndex) ? keptIndex : screened[0]!;
    const from = set.ids[fromIndex]!;
    // Only a record that joins the screened record's group now takes over its screening: one
    // already grouped with it by an earlier run was a duplicate before anyone voted, and a re-run
    // (any import, any hand-added record) must not say it took over anything.
    const fromBefore = plan.previousOf[fromIndex]!;
    for (const i of members)
      if (!set.screened(i) && (fromBefore < 0 || plan.previousOf[i] !== fromBefore))
        out.inherits.push({ recordId: set.ids[i]!, fromRecordId: from });
  }
  out.groups.push({
    id,
    keptId,
    members: byId.map(([recordId, i]) =>
      recordId === keptId ? { ...memberLink(plan, recordId, i), kept: true } : memberLink(plan, recordId, i),
    ),
    canonical: canonicalRecord(
      { id: keptId, record: recordAt(keptIndex) },
      members.filter((i) => i !== keptIndex).map((i) => ({ id: set.ids[i]!, record: recordAt(i) })),
    ),
    sources,
  });
}

/** How the record joined its group: its strongest link. */
function memberLink(plan: DedupPlan, recordId: string, i: number): GroupMember {
  const score = plan.linkScore[i]!;
  if (score < 0) return { recordId, kept: false, tier: 'certain', score: 1, reason: 'grouped' };
  return {
    recordId,
    kept: false,
    tier: plan.linkCertain[i] === 1 ? 'certain' : 'uncertain',
    score,
    reason: plan.pairs.reasonAt(plan.linkReason[i]!),
  };
}

/**
 * Keeps last run's choice when still a member, then a screened record, then one already in
 * reviewers' queues (so a later import's copy does not swap places with it), then the most complete.
 */
function chooseKept(plan: DedupPlan, members: number[], recordAt: RecordAt): number {
  const { set } = plan;
  for (const i of members) {
    const p = plan.previousOf[i]!;
    if (p >= 0 && plan.previous[p]!.keptId === set.ids[i]) return i;
  }
  const screened = members.filter((i) => set.screened(i));
  const queued = members.filter((i) => set.queued(i));
  const pool = screened.length > 0 ? screened : queued.length > 0 ? queued : members;
  return pool.reduce((best, i) => {
    const d = completeness(recordAt(i)) - completeness(recordAt(best));
    return d > 0 || (d === 0 && set.ids[i]! < set.ids[best]!) ? i : best;
  });
}

/** A group keeps the id of the previous group it overlaps most, so links and exports stay valid. */
function stableGroupId(plan: DedupPlan, members: number[], keptId: string, used: Set<string>): string {
  const overlap = new Map<string, number>();
  for (const i of members) {
    const p = plan.previousOf[i]!;
    if (p < 0) continue;
    const id = plan.previous[p]!.id;
    if (!used.has(id)) overlap.set(id, (overlap.get(id) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const [id, count] of overlap)
    if (best === undefined || count > overlap.get(best)! || (count === overlap.get(best)! && id < best))
      best = id;
  const id = best ?? `g-${keptId}`;
  used.add(id);
  return id;
}
