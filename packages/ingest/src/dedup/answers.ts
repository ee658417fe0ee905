import type { ManualDecision, PairStatus } from './dedupe.types.ts';

export const pairId = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/**
 * The links people asked for, folded in order (the latest word on a pair wins). A `different`
 * answer to a question about two groups separates every record pair across them, so the answer
 * holds when either group later changes; a `same` answer links the pair asked about (the groups
 * follow), so a later split of either group still holds.
 */
export function manualPairs(decisions: readonly ManualDecision[]): Map<string, 'same' | 'different'> {
  const out = new Map<string, 'same' | 'different'>();
  for (const d of decisions) {
    if (d.kind === 'split') crossPairs(d.parts, (id) => out.set(id, 'different'));
    else if (d.kind === 'reset') out.delete(pairId(d.a, d.b));
    else if (d.kind === 'different' && d.parts) crossPairs(d.parts, (id) => out.set(id, 'different'));
    else if (d.kind === 'different' && d.covers)
      crossPairs([d.covers.a, d.covers.b], (id) => out.set(id, 'different'));
    else {
      out.set(pairId(d.a, d.b), d.kind);
      // "All one report": one link from the pair asked about to each other group.
      if (d.kind === 'same' && d.parts)
        for (const part of d.parts)
          if (part[0] !== undefined && part[0] !== d.a) out.set(pairId(d.a, part[0]), 'same');
    }
  }
  return out;
}

/**
 * What people said about each record pair, folded in order: an answer applies to every pair
 * across the two groups its question covered; a split says `different` across its parts.
 */
export function answeredPairs(
  decisions: readonly ManualDecision[],
): Map<string, Extract<PairStatus, 'same' | 'different'>> {
  const out = new Map<string, 'same' | 'different'>();
  for (const d of decisions) {
    if (d.kind === 'split') crossPairs(d.parts, (id) => out.set(id, 'different'));
    else if (d.kind === 'reset') out.delete(pairId(d.a, d.b));
    else {
      out.set(pairId(d.a, d.b), d.kind);
      if (d.covers) crossPairs([d.covers.a, d.covers.b], (id) => out.set(id, d.kind));
      if (d.parts) crossPairs(d.parts, (id) => out.set(id, d.kind));
    }
  }
  return out;
}

function crossPairs(parts: readonly (readonly string[])[], visit: (id: string) => void): void {
  for (let p = 0; p < parts.length; p++)
    for (let q = p + 1; q < parts.length; q++)
      for (const a of parts[p]!) for (const b of parts[q]!) if (a !== b) visit(pairId(a, b));
}
