import type { DedupGroup, GroupDiff, PreviousGroup } from './dedupe.types.ts';

/** Groups created, dissolved and changed since the previous run (by group id). */
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
