import type { NormalisedRecord } from '../record.types.ts';
import { buildGroup, groupMembers, noGroupsYet, type RecordAt } from './dedup-groups.ts';
import { finishDedup } from './dedup-finish.ts';
import { planDedup, planDedupYielding, type DedupPlan } from './dedup-plan.ts';
import type { DedupInput, DedupResult, ManualDecision, PreviousGroup } from './dedupe.types.ts';
import { KeySet, type KeyInput } from './key-set.ts';
import type { MatchKeys } from './match-keys.ts';
import { ratio } from './similarity.ts';

export { manualPairs, answeredPairs } from './answers.ts';
export { diffGroups } from './group-diff.ts';

/**
 * Groups records of the same report. Pure: the same records and decisions give the same groups,
 * so manual decisions survive re-runs and later imports because they are inputs, not edits.
 */
export function dedupe(
  inputs: readonly DedupInput[],
  decisions: readonly ManualDecision[] = [],
  previous: readonly PreviousGroup[] = [],
): DedupResult {
  const set = new KeySet();
  for (const input of inputs) set.add(input);
  return dedupeKeys(set, decisions, previous, (i) => inputs[i]!.record);
}

function dedupeKeys(
  set: KeySet,
  decisions: readonly ManualDecision[],
  previous: readonly PreviousGroup[],
  recordAt: RecordAt,
): DedupResult {
  const plan = plannedWithSharedDois(set, decisions, previous);
  const built = noGroupsYet();
  for (let g = 0; g < plan.groupCount; g++) buildGroup(plan, g, recordAt, built);
  return finishDedup(plan, built, decisions, previous);
}

function plannedWithSharedDois(
  set: KeySet,
  decisions: readonly ManualDecision[],
  previous: readonly PreviousGroup[],
): DedupPlan {
  withSharedDois(set);
  return planDedup(set, decisions, previous);
}

function withSharedDois(set: KeySet): void {
  set.done();
  set.keys = markSharedDois(set.keys) as MatchKeys[];
}

/**
 * Where a streamed run reads its records (issue 18: a million records are never all in memory).
 * `keys` gives every record once, in a fixed order, with only the fields matching reads;
 * `records` gives the whole records of the ids asked for (records that ended up in a group).
 */
export interface DedupSource {
  keys(): AsyncIterable<readonly KeyInput[]>;
  records(ids: readonly string[]): Promise<ReadonlyMap<string, NormalisedRecord>>;
}

/**
 * `dedupe` over a source read in batches: match keys as the records arrive (each batch dropped
 * once read, with a turn of the event loop between batches so a long run does not starve BullMQ's
 * lock renewal), then the whole records of grouped records, a few thousand groups at a time.
 * Gives exactly what `dedupe` gives on the same records.
 */
export async function dedupeStream(
  source: DedupSource,
  decisions: readonly ManualDecision[] = [],
  previous: readonly PreviousGroup[] = [],
  options: {
    groupsPerRead?: number;
    onKeysRead?: (records: number) => Promise<void>;
    /** Longest stretch of comparison between turns of the event loop (ms). */
    sliceMs?: number;
  } = {},
): Promise<DedupResult> {
  const groupsPerRead = options.groupsPerRead ?? 5000;
  const set = new KeySet();
  for await (const batch of source.keys()) {
    for (const input of batch) set.add(input);
    await turn();
  }
  await options.onKeysRead?.(set.size);
  withSharedDois(set);
  // The comparison yields too: with every record present 42 times it outlasted BullMQ's 30 s lock
  // on PGlite, and the job stalled twice and failed (issue 18).
  const plan = await planDedupYielding(set, decisions, previous, options.sliceMs);
  const built = noGroupsYet();
  for (let from = 0; from < plan.groupCount; from += groupsPerRead) {
    const to = Math.min(plan.groupCount, from + groupsPerRead);
    const wanted: string[] = [];
    for (let g = from; g < to; g++) for (const i of groupMembers(plan, g)) wanted.push(set.ids[i]!);
    const records = await source.records(wanted);
    const recordAt: RecordAt = (i) => {
      const r = records.get(set.ids[i]!);
      if (!r)
        throw new Error(`Record ${set.ids[i]} was compared but could not be read again to build its group`);
      return r;
    };
    for (let g = from; g < to; g++) buildGroup(plan, g, recordAt, built);
    await turn();
  }
  return finishDedup(plan, built, decisions, previous);
}

/**
 * `dedupe` for job handlers holding all records: keys in chunks with a turn of the event loop
 * between them, so a 100k-record run does not starve BullMQ's lock renewal.
 */
export async function dedupeYielding(
  inputs: readonly DedupInput[],
  decisions: readonly ManualDecision[] = [],
  previous: readonly PreviousGroup[] = [],
  chunk = 2000,
): Promise<DedupResult> {
  const set = new KeySet();
  for (let i = 0; i < inputs.length; i += chunk) {
    for (let j = i; j < Math.min(inputs.length, i + chunk); j++) set.add(inputs[j]!);
    await turn();
  }
  return dedupeKeys(set, decisions, previous, (i) => inputs[i]!.record);
}

const turn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

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
