/**
 * A set of record pairs `(i, j)` held in two typed arrays (open addressing, linear probing): a
 * million records give millions of candidate pairs, and a `Set` of `i * n + j` keeps each as a
 * boxed number in a hash table entry, several times the 8 bytes a slot costs here.
 */
export class PairSet {
  /** `i + 1` per slot, 0 when empty. */
  private first: Int32Array;
  private second: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let capacity = 1024;
    while (capacity * 0.7 < expected) capacity *= 2;
    this.first = new Int32Array(capacity);
    this.second = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  /** Adds the pair; false when it was there already. Pairs are ordered: call with i < j. */
  add(i: number, j: number): boolean {
    let slot = slotOf(i, j) & this.mask;
    for (;;) {
      const f = this.first[slot]!;
      if (f === 0) break;
      if (f === i + 1 && this.second[slot] === j) return false;
      slot = (slot + 1) & this.mask;
    }
    this.first[slot] = i + 1;
    this.second[slot] = j;
    this.size++;
    if (this.size > (this.mask + 1) * 0.7) this.grow();
    return true;
  }

  has(i: number, j: number): boolean {
    let slot = slotOf(i, j) & this.mask;
    for (;;) {
      const f = this.first[slot]!;
      if (f === 0) return false;
      if (f === i + 1 && this.second[slot] === j) return true;
      slot = (slot + 1) & this.mask;
    }
  }

  private grow(): void {
    const { first, second } = this;
    const capacity = first.length * 2;
    this.first = new Int32Array(capacity);
    this.second = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let s = 0; s < first.length; s++) {
      const f = first[s]!;
      if (f === 0) continue;
      let slot = slotOf(f - 1, second[s]!) & this.mask;
      while (this.first[slot] !== 0) slot = (slot + 1) & this.mask;
      this.first[slot] = f;
      this.second[slot] = second[s]!;
    }
  }
}

/** Multiplicative mixing of both positions (neighbouring pairs land far apart). */
function slotOf(i: number, j: number): number {
  let h = Math.imul(i, 0x9e3779b1) ^ Math.imul(j + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 13)) >>> 0;
}
