import type { MatchKeys } from './match-keys.ts';

/** Blocks larger than this are not compared all-pairs but by sorted neighbourhood. */
export const MAX_BLOCK = 40;
/** Neighbours compared in an oversized block after sorting by title. */
export const WINDOW = 10;

type KeyFn = (k: MatchKeys) => string[];

const firstAuthor = (k: MatchKeys): string => k.authors[0]?.family ?? '';

/**
 * One key function per blocking pass. Each pass is built and discarded in turn so that only one
 * key map is in memory at a time (1M records).
 */
export const BLOCKING_PASSES: Record<string, KeyFn> = {
  doi: (k) => (k.doi ? [k.doi] : []),
  pmid: (k) => (k.pmid ? [k.pmid] : []),
  // Start and end of the title: either end may carry a database's edits (brackets, subtitles).
  titleStart: (k) => (k.compactTitle.length >= 12 ? [k.compactTitle.slice(0, 24)] : []),
  titleEnd: (k) => (k.compactTitle.length >= 30 ? [k.compactTitle.slice(-24)] : []),
  // Year and year+1 so that records one year apart (epub vs print) share a key.
  authorYear: (k) => {
    const a = firstAuthor(k);
    return a && k.year !== undefined ? [`${a}|${k.year}`, `${a}|${k.year + 1}`] : [];
  },
  // Initials of the first two significant journal words survive abbreviation (`J Antimicrob
  // Chemother` / `Journal of Antimicrobial Chemotherapy`) and keep `Journal of ...` blocks small.
  volumePage: (k) => {
    if (k.volume[0] === undefined || k.pages.start === undefined) return [];
    const j = k.journal.length > 0 ? k.journal : k.journalAbbrev;
    return [
      `${k.volume[0]}|${k.pages.start}|${j
        .slice(0, 2)
        .map((w) => w.charAt(0))
        .join('')}`,
    ];
  },
};

/**
 * Candidate pairs `(i, j)` with i < j, each once, from all blocking passes: never all pairs.
 * `visit` is called once per distinct pair.
 */
export function candidatePairs(
  keys: readonly MatchKeys[],
  visit: (i: number, j: number) => void,
): { pairs: number; oversizedBlocks: number } {
  const n = keys.length;
  const seen = new Set<number>();
  let oversizedBlocks = 0;
  const emit = (a: number, b: number): void => {
    const [i, j] = a < b ? [a, b] : [b, a];
    const id = i * n + j;
    if (seen.has(id)) return;
    seen.add(id);
    visit(i, j);
  };
  for (const pass of Object.values(BLOCKING_PASSES)) {
    const blocks = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      for (const key of pass(keys[i]!)) {
        const block = blocks.get(key);
        if (block) {
          if (block[block.length - 1] !== i) block.push(i);
        } else blocks.set(key, [i]);
      }
    }
    for (const block of blocks.values()) {
      if (block.length < 2) continue;
      if (block.length <= MAX_BLOCK) {
        for (let x = 0; x < block.length; x++)
          for (let y = x + 1; y < block.length; y++) emit(block[x]!, block[y]!);
        continue;
      }
      oversizedBlocks++;
      const sorted = [...block].sort((a, b) =>
        keys[a]!.compactTitle < keys[b]!.compactTitle
          ? -1
          : keys[a]!.compactTitle > keys[b]!.compactTitle
            ? 1
            : 0,
      );
      for (let x = 0; x < sorted.length; x++)
        for (let y = x + 1; y < Math.min(sorted.length, x + 1 + WINDOW); y++) emit(sorted[x]!, sorted[y]!);
    }
  }
  return { pairs: seen.size, oversizedBlocks };
}
