import type { MatchKeys } from './match-keys.ts';
import { PairSet } from './pair-set.ts';

/** Blocks larger than this are not compared all-pairs but by sorted neighbourhood. */
export const MAX_BLOCK = 40;
/** Neighbours compared in an oversized block after sorting by title. */
export const WINDOW = 10;

export type KeyFn = (k: MatchKeys) => string[];

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
 * `visit` is called once per distinct pair, in a fixed order: pass by pass, blocks in the order
 * their key first occurs, members in record order (oversized blocks: by title, then a window).
 *
 * Memory (issue 18): a pass holds its keys as hashes in typed arrays sorted into blocks (CSR:
 * members of block b at `members[starts[b]..starts[b+1])`), not as a map of arrays; pairs already
 * visited are remembered in a `PairSet`, not a `Set` of numbers.
 */
export function candidatePairs(
  keys: readonly MatchKeys[],
  visit: (i: number, j: number) => void,
): { pairs: number; oversizedBlocks: number } {
  const steps = candidatePairSteps(keys, visit);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Visits between the points where `candidatePairSteps` pauses. */
export const VISITS_PER_STEP = 64;

/**
 * `candidatePairs` in steps: pauses after every `VISITS_PER_STEP` visits (and after each pass's
 * blocks are built), so a caller can give the event loop a turn while comparing (a job handler
 * must, or BullMQ's lock is not renewed: issue 18's dedup stalled on PGlite). Same visits, same order.
 */
export function* candidatePairSteps(
  keys: readonly MatchKeys[],
  visit: (i: number, j: number) => void,
): Generator<void, { pairs: number; oversizedBlocks: number }, void> {
  const seen = new PairSet(keys.length * 2);
  let oversizedBlocks = 0;
  let visits = 0;
  const emit = (a: number, b: number): boolean => {
    const i = a < b ? a : b;
    const j = a < b ? b : a;
    if (!seen.add(i, j)) return false;
    visit(i, j);
    return ++visits % VISITS_PER_STEP === 0;
  };
  const byTitle = (a: number, b: number): number =>
    keys[a]!.compactTitle < keys[b]!.compactTitle
      ? -1
      : keys[a]!.compactTitle > keys[b]!.compactTitle
        ? 1
        : 0;
  for (const pass of Object.values(BLOCKING_PASSES)) {
    const { members, starts, count } = passBlocks(keys, pass);
    yield;
    for (let b = 0; b < count; b++) {
      const from = starts[b]!;
      const to = starts[b + 1]!;
      const size = to - from;
      if (size <= MAX_BLOCK) {
        for (let x = from; x < to; x++)
          for (let y = x + 1; y < to; y++) if (emit(members[x]!, members[y]!)) yield;
        continue;
      }
      oversizedBlocks++;
      const sorted = Array.from(members.subarray(from, to)).sort(byTitle);
      for (let x = 0; x < sorted.length; x++)
        for (let y = x + 1; y < Math.min(sorted.length, x + 1 + WINDOW); y++)
          if (emit(sorted[x]!, sorted[y]!)) yield;
    }
  }
  return { pairs: seen.size, oversizedBlocks };
}

/**
 * One pass's blocks of two or more records, in the order their key first occurs, each listing its
 * records once in record order. Keys are hashed and sorted with their entry number; records whose
 * hashes collide are told apart by their key itself, so a block is exactly the records sharing a key.
 */
export function passBlocks(
  keys: readonly MatchKeys[],
  pass: KeyFn,
  /** A 32-bit hash of a key (tests pass a weak one to force collisions). */
  hashOf: (key: string) => number = fnv1a,
): { members: Int32Array; starts: Int32Array; count: number } {
  // Entries: one per (record, key), in record order.
  let record = new Int32Array(Math.max(16, keys.length));
  let position = new Uint8Array(record.length);
  let hash = new Uint32Array(record.length);
  let m = 0;
  for (let i = 0; i < keys.length; i++) {
    const ks = pass(keys[i]!);
    for (let k = 0; k < ks.length; k++) {
      if (m === record.length) {
        record = grown(record, new Int32Array(m * 2));
        position = grown(position, new Uint8Array(m * 2));
        hash = grown(hash, new Uint32Array(m * 2));
      }
      record[m] = i;
      position[m] = k;
      hash[m] = hashOf(ks[k]!) >>> 0;
      m++;
    }
  }
  // Sort (hash, entry) packed in one double: the entry number in the low bits, as many hash bits
  // above it as 53 bits leave (fewer hash bits only mean more collisions to tell apart below).
  const entryBits = Math.max(1, Math.ceil(Math.log2(m + 1)));
  const hashBits = Math.min(32, 53 - entryBits);
  const scale = 2 ** entryBits;
  const sorted = new Float64Array(m);
  for (let e = 0; e < m; e++) sorted[e] = (hash[e]! >>> (32 - hashBits)) * scale + e;
  hash = new Uint32Array(0);
  sorted.sort();

  const members = new Int32Array(m);
  const blockStart: number[] = [];
  const blockEntry: number[] = [];
  let used = 0;
  const addBlock = (entries: readonly number[]): void => {
    const from = used;
    for (const e of entries) {
      const r = record[e]!;
      if (used === from || members[used - 1] !== r) members[used++] = r;
    }
    if (used - from < 2) used = from;
    else {
      blockStart.push(from);
      blockEntry.push(entries[0]!);
    }
  };
  const keyOf = (e: number): string => pass(keys[record[e]!]!)[position[e]!]!;
  for (let x = 0; x < m;) {
    const h = Math.floor(sorted[x]! / scale);
    let y = x + 1;
    while (y < m && Math.floor(sorted[y]! / scale) === h) y++;
    if (y - x >= 2) {
      // Entries of one hash in entry order; split by key when different keys collided.
      const byKey = new Map<string, number[]>();
      for (let z = x; z < y; z++) {
        const e = sorted[z]! - h * scale;
        const key = keyOf(e);
        const list = byKey.get(key);
        if (list) list.push(e);
        else byKey.set(key, [e]);
      }
      for (const entries of byKey.values()) addBlock(entries);
    }
    x = y;
  }
  // Blocks in the order their key first occurs (the entry that opened each).
  const order = blockEntry.map((_, b) => b).sort((a, b) => blockEntry[a]! - blockEntry[b]!);
  const out = new Int32Array(used);
  const starts = new Int32Array(order.length + 1);
  let at = 0;
  order.forEach((b, k) => {
    starts[k] = at;
    const from = blockStart[b]!;
    const to = b + 1 < blockStart.length ? blockStart[b + 1]! : used;
    out.set(members.subarray(from, to), at);
    at += to - from;
  });
  starts[order.length] = at;
  return { members: out, starts, count: order.length };
}

function grown<T extends Int32Array | Uint8Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** FNV-1a over UTF-16 code units. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
